// SPDX-License-Identifier: GPL-3.0-or-later
// Inline in the body, right after the CPU card and the data the server put
// in the page (#first-data: the last 20 s of cpu.total and the cores).
// Draws the CPU chart as uPlot will (app.js chartSpecs and buildChart: the
// total filled and thick, the cores thin; grid, % axis, clock axis) on a
// plain canvas, while the page is parsed, so that the page's first paint
// already holds real data. app.js's uPlot chart later takes its place.
'use strict';
(function () {
  const early = window.tidewatchEarly;
  const box = document.getElementById('chart-cpu');
  const source = document.getElementById('first-data');
  // A stored range (hours, days) is not what the page is about to show.
  if (!box || !source || (early && !early.windowMs)) return;
  let data;
  try { data = JSON.parse(source.textContent); } catch (e) { return; }
  if (!data || typeof data !== 'object') return;
  // {"t0": ms, "t": [ms after t0…], "v": {id: [value…]}} (FeedServer::dashboardPage)
  const ts = Array.isArray(data.t) ? data.t.map((t) => data.t0 + t) : [];
  const values = data.v || {};
  const ids = Object.keys(values).filter((id) => /^cpu\.core\.\d+$/.test(id))
    .sort((a, b) => a.split('.')[2] - b.split('.')[2]);
  ids.push('cpu.total'); // drawn last, on top
  const real = (col) => (Array.isArray(col) ? col.filter((v) => typeof v === 'number').length : 0);
  if (ts.length < 2 || !ids.some((id) => real(values[id]) >= 2)) return;
  const cs = getComputedStyle(document.documentElement);
  const css = (name) => cs.getPropertyValue(name).trim();
  const width = Math.max(200, box.clientWidth);
  const height = parseInt(css('--chart-h'), 10) || 210;
  const dpr = window.devicePixelRatio || 1;
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(width * dpr);
  canvas.height = Math.round(height * dpr);
  canvas.style.width = width + 'px';
  canvas.style.height = height + 'px';
  canvas.setAttribute('aria-hidden', 'true');
  const g = canvas.getContext('2d');
  g.scale(dpr, dpr);
  g.font = '11px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
  const left = Math.ceil(g.measureText('100%').width) + 14;
  const plot = { x: left, y: 6, w: width - left - 8, h: height - 28 - 6 };
  const t0 = ts[0];
  const span = Math.max(1, ts[ts.length - 1] - t0);
  const px = (t) => plot.x + ((t - t0) / span) * plot.w;
  const py = (v) => plot.y + plot.h - (Math.max(0, Math.min(100, v)) / 100) * plot.h;
  g.lineWidth = 1;
  g.strokeStyle = css('--grid');
  g.fillStyle = css('--axis');
  g.textAlign = 'right';
  g.textBaseline = 'middle';
  for (let v = 0; v <= 100; v += 20) {
    const y = Math.round(py(v)) + 0.5;
    g.beginPath(); g.moveTo(plot.x, y); g.lineTo(plot.x + plot.w, y); g.stroke();
    g.fillText(v + '%', plot.x - 7, y);
  }
  // Not Intl.DateTimeFormat: its first use loads locale data for 50-100 ms.
  const two = (n) => String(n).padStart(2, '0');
  const clock = (t) => {
    const d = new Date(t);
    return two(d.getHours()) + ':' + two(d.getMinutes()) + ':' + two(d.getSeconds());
  };
  const stepMs = [1, 2, 5, 10, 15, 30, 60, 120, 300].map((s) => s * 1000)
    .find((s) => (s / span) * plot.w >= 70) || 600000;
  g.textAlign = 'center';
  g.textBaseline = 'top';
  for (let t = Math.ceil(t0 / stepMs) * stepMs; t <= t0 + span; t += stepMs) {
    const x = Math.round(px(t)) + 0.5;
    g.beginPath(); g.moveTo(x, plot.y); g.lineTo(x, plot.y + plot.h + 4); g.stroke();
    g.fillText(clock(t), x, plot.y + plot.h + 8);
  }
  const colors = ['--s1', '--s2', '--s3', '--s4', '--s5', '--s6', '--s7', '--s8'].map(css);
  const rgba = (hex, alpha) => {
    const n = parseInt(hex.slice(1), 16);
    return /^#[0-9a-f]{6}$/i.test(hex) ? `rgba(${n >> 16},${(n >> 8) & 255},${n & 255},${alpha})` : hex;
  };
  g.save();
  g.beginPath(); g.rect(plot.x, plot.y, plot.w, plot.h); g.clip();
  ids.forEach((id, i) => {
    const total = id === 'cpu.total';
    const col = values[id];
    if (!Array.isArray(col)) return;
    const path = new Path2D();
    let open = false;
    let firstX = 0;
    let lastX = 0;
    for (let k = 0; k < ts.length; k++) {
      if (typeof col[k] !== 'number') { open = false; continue; }
      const x = px(ts[k]);
      if (open) path.lineTo(x, py(col[k])); else { path.moveTo(x, py(col[k])); firstX = x; }
      open = true;
      lastX = x;
    }
    if (total) {
      const fill = new Path2D(path);
      fill.lineTo(lastX, py(0));
      fill.lineTo(firstX, py(0));
      g.fillStyle = rgba(colors[0], 0.12);
      g.fill(fill);
    }
    g.strokeStyle = total ? colors[0] : rgba(colors[1 + (i % 7)], 0.55);
    g.lineWidth = total ? 2.2 : 1;
    g.stroke(path);
  });
  g.restore();
  box.replaceChildren(canvas);
  if (early) early.drawn();
  // On screen with the next frame: the mark goes in the task after it.
  requestAnimationFrame(() => setTimeout(() => {
    performance.mark('tidewatch:first-chart');
    if (early) early.shown();
  }, 0));
})();

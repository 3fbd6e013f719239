// SPDX-License-Identifier: GPL-3.0-or-later
// Tidewatch browser dashboard. Fed by the WebSocket on the same origin
// (docs/protocol.md): back-fills from the server's in-memory history, then
// appends live frames. Server data reaches the DOM through textContent only.
'use strict';
(function () {
  performance.mark('tidewatch:app');
  // ------------------------------------------------------------ language

  // The catalogues live in i18n.js, which boot.js loads just before this file.
  const I18N = self.TidewatchI18n;
  const MESSAGES = I18N.dashboard;
  const LANG = I18N.lang;
  const t = I18N.translator(MESSAGES);

  // ----------------------------------------------------------- formatting

  const nf1 = new Intl.NumberFormat(LANG, { maximumFractionDigits: 1, minimumFractionDigits: 1 });
  const nf0 = new Intl.NumberFormat(LANG, { maximumFractionDigits: 0 });
  const nf2 = new Intl.NumberFormat(LANG, { maximumFractionDigits: 2, minimumFractionDigits: 2 });
  const nfAxis = new Intl.NumberFormat(LANG, { maximumFractionDigits: 1 });
  const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  const missing = (v) => v === null || v === undefined || Number.isNaN(v);
  const fmt = {
    percent: (v) => (missing(v) ? '–' : nf1.format(v) + '\u202f%'),
    bytes: (v) => {
      if (missing(v)) return '–';
      let i = 0;
      let x = Math.abs(v);
      while (x >= 1024 && i < UNITS.length - 1) { x /= 1024; i++; }
      const s = i === 0 ? nf0.format(x) : (x >= 100 ? nf0 : nf1).format(x);
      return (v < 0 ? '-' : '') + s + '\u202f' + UNITS[i];
    },
    rate: (v) => (missing(v) ? '–' : fmt.bytes(v) + '/s'),
    celsius: (v) => (missing(v) ? '–' : nf1.format(v) + '\u202f°C'),
    load: (v) => (missing(v) ? '–' : nf2.format(v)),
    count: (v) => (missing(v) ? '–' : nf0.format(v)),
    ms: (v) => (v >= 1000 ? nfAxis.format(v / 1000) + '\u202fs' : nf0.format(v) + '\u202fms'),
    uptime: (s) => {
      if (missing(s)) return '–';
      const d = Math.floor(s / 86400);
      const h = Math.floor((s % 86400) / 3600);
      const m = Math.floor((s % 3600) / 60);
      const pad = (n) => String(n).padStart(2, '0');
      return (d > 0 ? d + '\u202f' + t('days') + ' ' : '') + pad(h) + ':' + pad(m);
    },
  };
  // Axis labels: shorter, still with units.
  const axisFmt = {
    percent: (v) => nf0.format(v) + '%',
    rate: (v) => {
      let i = 0;
      let x = Math.abs(v);
      while (x >= 1024 && i < UNITS.length - 1) { x /= 1024; i++; }
      return nfAxis.format(x) + ' ' + UNITS[i] + '/s';
    },
    celsius: (v) => nf0.format(v) + '°',
    load: (v) => nfAxis.format(v),
  };
  const BINARY_INCRS = [];
  for (let k = 0; k < 6; k++) for (const m of [1, 2, 5, 10, 20, 50, 100, 200, 500]) BINARY_INCRS.push(m * 1024 ** k);
  const clockFmt = new Intl.DateTimeFormat(LANG, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
  const clockShortFmt = new Intl.DateTimeFormat(LANG, { hour: '2-digit', minute: '2-digit', hour12: false });
  // Made when first needed (stored ranges only): each Intl object costs
  // start-up time.
  const lazyFormat = (options) => {
    let f = null;
    return { format: (d) => (f || (f = new Intl.DateTimeFormat(LANG, options))).format(d) };
  };
  const dayFmt = lazyFormat({ day: 'numeric', month: 'short' });
  const dayTimeFmt = lazyFormat({ day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hour12: false });
  const dateTimeFmt = lazyFormat({ dateStyle: 'medium', timeStyle: 'medium', hour12: false });

  // ------------------------------------------------------------- helpers

  const $ = (id) => document.getElementById(id);
  const el = (tag, className, text) => {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const storage = {
    get(key) { try { return localStorage.getItem('tidewatch.' + key); } catch (e) { return null; } },
    set(key, value) { try { localStorage.setItem('tidewatch.' + key, value); } catch (e) { /* private mode */ } },
  };

  function translateStatic() {
    document.documentElement.lang = LANG;
    for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
    for (const node of document.querySelectorAll('[data-i18n-aria]')) node.setAttribute('aria-label', t(node.dataset.i18nAria));
    for (const node of document.querySelectorAll('[data-i18n-label]')) node.label = t(node.dataset.i18nLabel);
    for (const node of document.querySelectorAll('[data-i18n-title]')) node.title = t(node.dataset.i18nTitle);
  }

  // --------------------------------------------------------------- theme

  const systemDark = window.matchMedia('(prefers-color-scheme: dark)');
  function effectiveTheme() {
    const stored = storage.get('theme');
    if (stored === 'light' || stored === 'dark') return stored;
    return systemDark.matches ? 'dark' : 'light';
  }
  function applyTheme() {
    const theme = effectiveTheme();
    document.documentElement.dataset.theme = theme;
    const button = $('theme');
    button.setAttribute('aria-pressed', String(theme === 'dark'));
    button.title = t(theme === 'dark' ? 'themeToLight' : 'themeToDark');
    button.querySelector('.sr-only').textContent = t('darkTheme');
    readPalette();
    rebuildCharts();
  }
  let palette = {};
  let chartH = 210;
  function readPalette() {
    // One style read for all of these: getComputedStyle forces a style pass.
    const cs = getComputedStyle(document.documentElement);
    const v = (name) => cs.getPropertyValue(name).trim();
    chartH = parseInt(v('--chart-h'), 10) || 210;
    palette = {
      text: v('--text'), axis: v('--axis'), grid: v('--grid'), card: v('--card'),
      series: ['--s1', '--s2', '--s3', '--s4', '--s5', '--s6', '--s7', '--s8'].map(v),
    };
  }
  const withAlpha = (hex, alpha) => {
    const m = /^#([0-9a-f]{6})$/i.exec(hex);
    if (!m) return hex;
    const n = parseInt(m[1], 16);
    return `rgba(${n >> 16},${(n >> 8) & 255},${n & 255},${alpha})`;
  };

  // ---------------------------------------------------------------- data

  // One column store for every charted metric, aligned on one time axis
  // (seconds, as uPlot wants). The chart data arrays are these very arrays.
  // mins/maxs: the envelope of each bucket of a downsampled stored range.
  const store = { ts: [], cols: new Map(), lastMs: 0, mins: new Map(), maxs: new Map() };
  // The range shown: a live window (back-filled from the server's memory,
  // then appended at the subscribed rate) or a longer range read from the
  // server's store and asked for again now and then.
  const LIVE_MAX_MS = 600000;
  const RANGES = [60000, 300000, 600000, 21600000, 86400000, 604800000, 2592000000];
  let windowMs = RANGES.includes(Number(storage.get('window'))) ? Number(storage.get('window')) : 300000;
  const isLive = () => windowMs <= LIVE_MAX_MS;
  let zoom = null; // { min, max } in ms while zoomed in
  let rangeInfo = null; // from, to, step, stepMs, tier of the stored range shown
  let envelopeShown = false; // the charts have min/max bands
  let catalog = new Map();
  let catalogOrder = [];
  let samplerMs = 1000;
  let tracked = [];
  let latest = null;

  function ensureColumn(id) {
    let col = store.cols.get(id);
    if (!col) {
      col = new Array(store.ts.length).fill(null);
      store.cols.set(id, col);
    }
    return col;
  }

  function appendRow(tsMs, valueOf) {
    // A real outage (server restart, network) shows as a gap, not a line.
    if (store.lastMs && tsMs - store.lastMs > Math.max(3 * samplerMs, 5000)) {
      store.ts.push((store.lastMs + 1) / 1000);
      for (const col of store.cols.values()) col.push(null);
    }
    store.ts.push(tsMs / 1000);
    for (const [id, col] of store.cols) {
      const v = valueOf(id);
      col.push(missing(v) ? null : v);
    }
    store.lastMs = tsMs;
  }

  function trimStore() {
    if (!isLive()) return; // a stored range is replaced whole
    // Zoomed in, the view stays put while data goes on arriving.
    const keepFrom = (zoom ? Math.min(zoom.min, store.lastMs - windowMs) : store.lastMs - windowMs) / 1000;
    let n = 0;
    while (n < store.ts.length && store.ts[n] < keepFrom) n++;
    // Trim in batches: splice shifts the whole array.
    if (n > 0 && (n > 64 || n > store.ts.length / 10)) {
      store.ts.splice(0, n);
      for (const col of store.cols.values()) col.splice(0, n);
    }
  }

  function clearStore() {
    store.ts.length = 0;
    for (const col of store.cols.values()) col.length = 0;
    store.lastMs = 0;
    store.mins = new Map();
    store.maxs = new Map();
  }

  // -------------------------------------------------------------- charts

  // Which metrics each chart shows, from the catalogue in the hello message.
  function chartSpecs() {
    const ids = catalogOrder;
    const info = (id) => catalog.get(id) || {};
    const attr = (id, key) => (info(id).attributes || {})[key];
    const specs = [];
    const cores = ids.filter((id) => /^cpu\.core\.\d+$/.test(id))
      .sort((a, b) => Number(a.split('.')[2]) - Number(b.split('.')[2]));
    specs.push({
      key: 'cpu', title: t('chartCpu'), unit: 'percent', range: [0, 100],
      series: [
        ...(catalog.has('cpu.total') ? [{ id: 'cpu.total', label: t('total'), color: 0, width: 2.2, fill: true }] : []),
        ...cores.map((id, i) => ({ id, label: t('core', id.split('.')[2]), color: 1 + (i % 7), width: 1, alpha: 0.55 })),
      ],
    });
    specs.push({
      key: 'memory', title: t('chartMemory'), unit: 'percent', range: [0, 100],
      series: [
        ...(catalog.has('mem.percent') ? [{ id: 'mem.percent', label: t('memory'), color: 1, width: 2, fill: true }] : []),
        ...(catalog.has('swap.percent') ? [{ id: 'swap.percent', label: t('swap'), color: 3, width: 1.5 }] : []),
      ],
    });
    const netIfs = ids.filter((id) => /^net\..+\.rx$/.test(id) && attr(id, 'device') && attr(id, 'device') !== 'lo');
    specs.push({
      key: 'network', title: t('chartNetwork'), unit: 'rate', empty: t('noNetwork'),
      series: netIfs.flatMap((id, i) => {
        const dev = attr(id, 'device');
        const tx = id.replace(/\.rx$/, '.tx');
        return [
          { id, label: t('received', dev), color: (2 * i) % 8, width: 1.6, fill: netIfs.length === 1 },
          ...(catalog.has(tx) ? [{ id: tx, label: t('sent', dev), color: (2 * i + 1) % 8, width: 1.6 }] : []),
        ];
      }),
    });
    const disks = ids.filter((id) => /^disk\..+\.read$/.test(id) && attr(id, 'device'));
    specs.push({
      key: 'disk', title: t('chartDisk'), unit: 'rate', empty: t('noDisks'),
      series: disks.flatMap((id, i) => {
        const dev = attr(id, 'device');
        const w = id.replace(/\.read$/, '.write');
        return [
          { id, label: t('read', dev), color: (2 * i + 5) % 8, width: 1.6 },
          ...(catalog.has(w) ? [{ id: w, label: t('written', dev), color: (2 * i + 6) % 8, width: 1.6 }] : []),
        ];
      }),
    });
    const temps = ids.filter((id) => id.startsWith('temp.'));
    specs.push({
      key: 'temps', title: t('chartTemps'), unit: 'celsius', empty: t('noTemps'),
      series: temps.map((id, i) => {
        const a = info(id).attributes || {};
        const name = (a.chip || '') + ' ' + (a.label || a.sensor || id.slice(5));
        return { id, label: name.trim(), color: (i + 3) % 8, width: 1.6 };
      }),
    });
    specs.push({
      key: 'load', title: t('chartLoad'), unit: 'load',
      series: [['load.1', 'load1', 4], ['load.5', 'load5', 1], ['load.15', 'load15', 5]]
        .filter(([id]) => catalog.has(id))
        .map(([id, label, color], i) => ({ id, label: t(label), color, width: i === 0 ? 2 : 1.4 })),
    });
    return specs;
  }

  const charts = new Map(); // key -> chart state
  let chartSignature = '';
  const measureCtx = document.createElement('canvas').getContext('2d');

  function createCards(specs) {
    const container = $('cards');
    const before = $('card-processes');
    for (const spec of specs) {
      let chart = charts.get(spec.key);
      if (!chart) {
        // index.html holds the CPU card, with boot.js's first picture in it.
        let card = $('card-' + spec.key);
        if (!card) {
          card = el('article', 'card');
          card.id = 'card-' + spec.key;
          const head = el('header', 'card-head');
          const title = el('h2', null, spec.title);
          title.id = 'title-' + spec.key;
          head.append(title, el('span', 'now'));
          const box = el('div', 'chart');
          box.id = 'chart-' + spec.key;
          box.setAttribute('role', 'img');
          card.setAttribute('aria-labelledby', title.id);
          card.append(head, box);
          container.insertBefore(card, before);
        }
        const [title, now, box] = ['.card-head h2', '.card-head .now', '.chart'].map((s) => card.querySelector(s));
        chart = { key: spec.key, card, box, now, title, u: null, dirty: true, onscreen: true, spec };
        charts.set(spec.key, chart);
        resizeObserver.observe(box);
        intersectionObserver.observe(card);
      }
      chart.spec = spec;
      chart.title.textContent = spec.title;
    }
  }

  function destroyChart(chart) {
    if (chart.u) { chart.u.destroy(); chart.u = null; }
    chart.box.replaceChildren();
  }

  function buildChart(chart, width, height) {
    destroyChart(chart);
    const spec = chart.spec;
    if (!spec.series.length) {
      chart.box.append(el('p', 'empty', spec.empty || t('waiting')));
      chart.box.setAttribute('aria-label', spec.empty || t('waiting'));
      return;
    }
    const valueFmt = fmt[spec.unit];
    const axisValue = axisFmt[spec.unit];
    const font = '11px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
    measureCtx.font = font;
    chart.box.setAttribute('aria-label', t('chartLabel', spec.title, rangeLabel(windowMs)));
    // Bands between the bucket minimum and maximum of a downsampled stored
    // range, so that a short spike stays visible.
    const env = envelopeShown ? spec.series.filter((s) => store.maxs.has(s.id) && store.mins.has(s.id)) : [];
    const n = spec.series.length;
    const colorOf = (s) => palette.series[s.color % palette.series.length];
    const opts = {
      width,
      height,
      pxAlign: 1,
      // Dragging across a chart zooms every chart into that span (selectZoom).
      cursor: { drag: { x: true, y: false, setScale: false }, points: { size: 6 } },
      select: { show: true },
      legend: { show: true, live: true },
      hooks: { setSelect: [selectZoom] },
      bands: env.map((s, k) => ({ series: [n + 1 + 2 * k, n + 2 + 2 * k], fill: withAlpha(colorOf(s), 0.2) })),
      scales: {
        x: { time: true, range: xRange },
        y: {
          range: spec.range ? () => spec.range : (u, min, max) => {
            if (spec.unit === 'celsius') {
              if (missing(min) || missing(max)) return [20, 80];
              return [Math.floor(Math.min(min, max - 10) / 5) * 5, Math.ceil((max + 3) / 5) * 5];
            }
            const top = missing(max) || max <= 0 ? (spec.unit === 'rate' ? 1024 : 1) : max * 1.12;
            return [0, top];
          },
        },
        y: {
          range: spec.range ? () => spec.range : (u, min, max) => {
            if (spec.unit === 'celsius') {
              if (missing(min) || missing(max)) return [20, 80];
              return [Math.floor(Math.min(min, max - 10) / 5) * 5, Math.ceil((max + 3) / 5) * 5];
            }
            const top = missing(max) || max <= 0 ? (spec.unit === 'rate' ? 1024 : 1) : max * 1.12;
            return [0, top];
          },
        },
      },
      axes: [
        {
          // Wider apart once the labels carry a date.
          stroke: palette.axis, font, space: (u, i, min, max) => (max - min > 86400 ? 100 : 70), size: 28,
          grid: { stroke: palette.grid, width: 1 }, ticks: { stroke: palette.grid, width: 1, size: 4 },
          // Seconds only when the ticks are closer than a minute; the date
          // once the view spans more than a day.
          values: (u, splits) => {
            const gap = splits.length > 1 ? splits[1] - splits[0] : 60;
            const span = u.scales.x.max - u.scales.x.min;
            const f = gap >= 86400 ? dayFmt : span > 86400 ? dayTimeFmt : gap < 60 ? clockFmt : clockShortFmt;
            return splits.map((s) => f.format(new Date(s * 1000)));
          },
        },
        {
          stroke: palette.axis, font, space: 26,
          grid: { stroke: palette.grid, width: 1 }, ticks: { show: false },
          values: (u, splits) => splits.map(axisValue),
          // Bytes step in binary units: 1, 2, 5 × 1024^k, never 1,000 B/s.
          incrs: spec.unit === 'rate' ? BINARY_INCRS : undefined,
          size: (u, values) => {
            if (!values) return 40;
            let w = 0;
            for (const v of values) w = Math.max(w, measureCtx.measureText(v).width);
            return Math.ceil(w) + 14;
          },
        },
      ],
      series: [
        {
          label: t('time'),
          value: (u, v) => (v == null ? '–' : (isLive() ? clockFmt : dateTimeFmt).format(new Date(v * 1000))),
        },
        ...spec.series.map((s) => {
          const color = colorOf(s);
          return {
            label: s.label,
            stroke: s.alpha ? withAlpha(color, s.alpha) : color,
            width: s.width,
            fill: s.fill && !env.length ? withAlpha(color, 0.12) : undefined,
            points: { show: false },
            value: (u, v) => valueFmt(v),
          };
        }),
        ...env.flatMap((s) => ['max', 'min'].map((which) => ({
          label: s.label + ' ' + t(which), stroke: withAlpha(colorOf(s), 0.35), width: 0.5,
          points: { show: false }, value: (u, v) => valueFmt(v),
        }))),
      ],
    };
    chart.ids = spec.series.map((s) => s.id);
    chart.env = env.map((s) => s.id);
    for (const id of chart.ids) ensureColumn(id);
    chart.u = new uPlot(opts, chartData(chart), chart.box);
    // The band edges are drawn but not listed: the legend stays readable.
    const rows = chart.u.root.querySelectorAll('.u-legend .u-series');
    for (let i = n + 1; i < rows.length; i++) rows[i].style.display = 'none';
    chart.u.over.addEventListener('dblclick', resetZoom);
    chart.dirty = true;
  }

  // The x range of every chart: the zoomed span, else the stored range, else
  // the live window once it is full (until then the data fills the plot).
  function xRange() {
    if (zoom) return [zoom.min / 1000, zoom.max / 1000];
    if (!isLive()) {
      const to = (rangeInfo && rangeInfo.to ? rangeInfo.to : store.lastMs || Date.now()) / 1000;
      return [to - windowMs / 1000, to];
    }
    const last = store.lastMs / 1000;
    const first = store.ts.length ? store.ts[0] : last;
    return [Math.max(first, last - windowMs / 1000), Math.max(last, first + 1)];
  }

  // At least two real values of one series: a line, not an empty frame.
  function hasPoints(chart) {
    for (const id of chart.ids || []) {
      const col = store.cols.get(id);
      let n = 0;
      for (let i = col ? col.length - 1 : -1; i >= 0 && n < 2; i--) if (col[i] !== null) n++;
      if (n >= 2) return true;
    }
    return false;
  }

  // A chart built with bands may draw once more before it is rebuilt for an
  // answer without envelopes: empty bands then, not a missing column.
  const noValues = () => new Array(store.ts.length).fill(null);
  const chartData = (chart) => [store.ts, ...chart.ids.map((id) => store.cols.get(id) || noValues()),
    ...(chart.env || []).flatMap((id) => [store.maxs.get(id) || noValues(), store.mins.get(id) || noValues()])];

  const chartHeight = () => chartH;
  const whenIdle = window.requestIdleCallback
    ? (fn) => requestIdleCallback(fn, { timeout: 100 }) : (fn) => setTimeout(fn, 16);

  // The first chart is built at once, for the first picture; the others one
  // per idle slot after it, so that building six plots (each a DOM subtree
  // and a layout) does not stand between the page and its first chart.
  let buildGeneration = 0;
  function rebuildCharts() {
    const generation = ++buildGeneration;
    const list = [...charts.values()];
    if (list.length) buildChart(list[0], Math.max(200, list[0].box.clientWidth), chartHeight());
    let next = 1;
    const buildNext = () => {
      if (generation !== buildGeneration || next >= list.length) return;
      const chart = list[next++];
      buildChart(chart, Math.max(200, chart.box.clientWidth), chartHeight());
      scheduleDraw(false, true);
      whenIdle(buildNext);
    };
    if (list.length > 1 && !firstChartMarked) {
      // Not even idle time before the first chart is on screen: an idle
      // build that has begun delays the frame the first chart needs.
      afterFirstChart.push(() => whenIdle(buildNext));
      setTimeout(flushAfterFirstChart, 1000);
    } else if (list.length > 1) {
      whenIdle(buildNext);
    }
    scheduleDraw(true, true);
  }

  // Cheap: what to chart. The history request goes out right after this,
  // before the charts are built, so the round trip overlaps the building.
  function readCatalog(metrics) {
    catalog = new Map(metrics.map((m) => [m.id, m]));
    catalogOrder = metrics.map((m) => m.id);
    const specs = chartSpecs();
    tracked = [...new Set(specs.flatMap((s) => s.series.map((x) => x.id)))];
    for (const id of tracked) ensureColumn(id);
    return specs;
  }

  function applySpecs(specs) {
    const signature = JSON.stringify(specs.map((s) => [s.key, s.series.map((x) => x.id)]));
    if (signature === chartSignature) return false;
    chartSignature = signature;
    createCards(specs);
    rebuildCharts();
    return true;
  }

  // Draw no more often than the newest point moves the plot by about one
  // pixel, at most once per data interval and at least once a second.
  let drawTimer = 0;
  let drawFrame = 0;
  let lastDrawAt = 0;
  let firstChartMarked = false;
  const afterFirstChart = []; // work held back until the first chart is painted
  const flushAfterFirstChart = () => { for (const fn of afterFirstChart.splice(0)) fn(); };
  function drawGapMs() {
    let width = 600;
    for (const c of charts.values()) if (c.u) { width = Math.max(200, c.u.bbox.width / devicePixelRatio); break; }
    return Math.min(1000, Math.max(subscribedMs * 0.9, windowMs / width));
  }
  // markDirty: data changed, every chart needs new data. now: skip the
  // throttle (a rebuild, the tab shown again).
  function scheduleDraw(markDirty, now) {
    if (markDirty) for (const c of charts.values()) c.dirty = true;
    uiDirty = true;
    if (document.hidden) return;
    if (now && drawTimer) { clearTimeout(drawTimer); drawTimer = 0; }
    if (drawFrame || drawTimer) return;
    const wait = lastDrawAt && !now ? drawGapMs() - (performance.now() - lastDrawAt) : 0;
    if (wait > 4) {
      drawTimer = setTimeout(() => { drawTimer = 0; scheduleDraw(false, true); }, wait);
      return;
    }
    drawFrame = requestAnimationFrame(drawNow);
  }
  // limit: draw at most this many charts now and the rest a frame later.
  function drawNow(limit = Infinity) {
    drawFrame = 0;
    if (document.hidden) return; // resumes from visibilitychange
    lastDrawAt = performance.now();
    trimStore();
    let drewChart = false;
    for (const chart of charts.values()) {
      if (!chart.u || !chart.dirty || !chart.onscreen) continue;
      if (limit-- <= 0) { scheduleDraw(false, true); break; }
      chart.dirty = false;
      chart.u.setData(chartData(chart));
      const n = store.ts.length;
      if (chart.u.cursor.idx == null && n) chart.u.setLegend({ idx: n - 1 });
      const box = chart.card.dataset;
      box.points = String(n);
      box.firstTs = n ? String(Math.round(store.ts[0] * 1000)) : '';
      box.lastTs = n ? String(store.lastMs) : '';
      // What setData just asked for (uPlot commits its scales a microtask later).
      const [viewFrom, viewTo] = xRange();
      box.viewFrom = String(Math.round(viewFrom * 1000));
      box.viewTo = String(Math.round(viewTo * 1000));
      if (!firstChartMarked && !drewChart) drewChart = hasPoints(chart);
    }
    if (uiDirty) renderUi();
    if (drewChart && !firstChartMarked) {
      firstChartMarked = true;
      // The canvas reaches the screen with the next frame: the mark goes in
      // the task after that frame's animation callbacks and paint.
      requestAnimationFrame(() => setTimeout(() => {
        // first-chart.js's picture is usually first; this is uPlot's chart.
        performance.mark('tidewatch:uplot-chart');
        if (!performance.getEntriesByName('tidewatch:first-chart').length) performance.mark('tidewatch:first-chart');
        flushAfterFirstChart();
      }, 0));
    }
  }

  const resizeObserver = new ResizeObserver((entries) => {
    // --chart-h follows the breakpoints in style.css; one style read per batch.
    chartH = parseInt(getComputedStyle(document.documentElement).getPropertyValue('--chart-h'), 10) || chartH;
    for (const entry of entries) {
      for (const chart of charts.values()) {
        if (chart.box !== entry.target || !chart.u) continue;
        const width = Math.max(200, Math.floor(entry.contentRect.width));
        const height = chartHeight();
        if (width !== chart.u.width || height !== chart.u.height) chart.u.setSize({ width, height });
      }
    }
  });
  const intersectionObserver = new IntersectionObserver((entries) => {
    for (const entry of entries) {
      for (const chart of charts.values()) {
        if (chart.card !== entry.target) continue;
        chart.onscreen = entry.isIntersecting;
        if (chart.onscreen && chart.dirty) scheduleDraw(false, true);
      }
    }
  }, { rootMargin: '200px' });

  document.addEventListener('visibilitychange', () => {
    // Data kept arriving while hidden; catch up in one draw.
    if (!document.hidden) scheduleDraw(true, true);
  });

  // ------------------------------------------------- range, zoom, export

  // Message keys, which are also the ranges' names in a file name ("r" off).
  const RANGE_KEYS = new Map([[60000, 'r1min'], [300000, 'r5min'], [600000, 'r10min'], [21600000, 'r6h'],
    [86400000, 'r24h'], [604800000, 'r7d'], [2592000000, 'r30d']]);
  const rangeLabel = (ms) => (RANGE_KEYS.has(ms) ? t(RANGE_KEYS.get(ms)) : fmt.ms(ms));
  let rangeTimer = 0;

  function setRange(ms) {
    windowMs = ms;
    storage.set('window', String(ms));
    zoom = null;
    updateZoomUi();
    // Answers still on their way belong to the old range.
    historyToken++;
    historyPending = false;
    pendingFrames = [];
    clearTimeout(rangeTimer);
    rangeTimer = 0;
    rangeInfo = null;
    clearStore();
    setRangeNote(isLive() ? '' : 'loading');
    if (envelopeShown) envelopeShown = false;
    rebuildCharts();
    if (ws && ws.readyState === WebSocket.OPEN) requestData();
  }

  // Points per series for a stored range: about one per pixel of the
  // widest chart; the server picks the tier and bucket width from it.
  function rangePoints() {
    let width = 0;
    for (const chart of charts.values()) width = Math.max(width, chart.box.clientWidth);
    // Before the first hello's charts exist: the width they share.
    if (!width) width = $('cards').clientWidth;
    return Math.max(200, Math.min(10000, Math.round(width || 1000)));
  }

  function requestRange() {
    clearTimeout(rangeTimer);
    rangeTimer = 0;
    const now = latest && Number(latest.ts) > 0 ? Number(latest.ts) : Date.now();
    const req = { type: 'history', metrics: historyPatterns(), max_points: rangePoints() };
    if (zoom) {
      req.from = Math.floor(zoom.min);
      req.to = Math.ceil(zoom.max);
    } else {
      req.from = Math.max(0, now - windowMs); // to: the newest sample
    }
    if (sendHistory(req, 'range')) setRangeNote('loading');
  }

  // A stored range replaces what the charts hold.
  function applyRange(msg) {
    const ts = Array.isArray(msg.ts) ? msg.ts : [];
    const n = ts.length;
    const values = msg.values || {};
    const step = Number(msg.step) || 1;
    const stepMs = Number(msg.step_ms) || 0;
    store.ts = ts.map((x) => x / 1000);
    for (const id of store.cols.keys()) store.cols.set(id, cleanColumn(values[id], n));
    store.mins = new Map();
    store.maxs = new Map();
    // min/max are absent, or equal to the values, when nothing was averaged:
    // memory averages `step` samples, the store buckets of `step_ms`.
    if ((step > 1 || stepMs > 0) && msg.min && msg.max && typeof msg.min === 'object' && typeof msg.max === 'object') {
      for (const id of store.cols.keys()) {
        if (!Array.isArray(msg.min[id]) || !Array.isArray(msg.max[id])) continue;
        store.mins.set(id, cleanColumn(msg.min[id], n));
        store.maxs.set(id, cleanColumn(msg.max[id], n));
      }
    }
    store.lastMs = n ? ts[n - 1] : 0;
    rangeInfo = {
      from: Number(msg.from) || 0, to: Number(msg.to) || store.lastMs, step,
      stepMs, tier: typeof msg.tier === 'string' ? msg.tier : 'memory',
    };
    setRangeNote(rangeInfo.tier);
    // How wide a point is, when it stands for more than one sample.
    const width = stepMs || (step > 1 ? step * samplerMs : 0);
    if (width) {
      $('range-note').textContent = t(store.maxs.size ? 'bucketsEnvelope' : 'bucketsAverage', tierText(rangeInfo.tier), fmtDuration(width));
    }
    logActivity(t('evRange', fmt.count(n), zoom ? t('zoomed') : rangeLabel(windowMs), tierText(rangeInfo.tier)));
    const envelope = store.maxs.size > 0;
    if (envelope !== envelopeShown) {
      envelopeShown = envelope;
      rebuildCharts();
    } else {
      scheduleDraw(true, true);
    }
    // Asked for again every bucket width, at least every minute and at
    // most every ten; a zoomed view stays as it is. The whole range comes
    // again, not just its end: the server counts its buckets back from the
    // newest sample, so a piece asked for alone would not line up.
    if (!zoom) rangeTimer = setTimeout(requestRange, Math.min(600000, Math.max(60000, rangeInfo.stepMs)));
  }

  function rangeFailed(busy) {
    setRangeNote('failed');
    // busy: the server's send buffer for us is full; try again shortly.
    rangeTimer = setTimeout(requestRange, busy ? 2000 : 60000);
  }

  // A tier this page does not know (a newer server) is shown by its name.
  const tierText = (tier) => (MESSAGES.en['tier_' + tier] !== undefined ? t('tier_' + tier) : String(tier));

  function setRangeNote(state) {
    const note = $('range-note');
    note.dataset.state = state;
    note.textContent = state ? tierText(state) : '';
    $('main').dataset.tier = isLive() ? 'live' : (rangeInfo ? rangeInfo.tier : '');
  }

  function selectZoom(u) {
    const sel = u.select;
    if (!sel || sel.width < 4) return;
    const min = u.posToVal(sel.left, 'x') * 1000;
    const max = u.posToVal(sel.left + sel.width, 'x') * 1000;
    u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
    if (!(max > min)) return;
    zoom = { min: Math.round(min), max: Math.round(max) };
    updateZoomUi();
    logActivity(t('evZoom', fmtSpan(zoom.min), fmtSpan(zoom.max)));
    // A stored range is asked for again at the finer resolution the span allows.
    if (!isLive()) { historyToken++; requestRange(); }
    scheduleDraw(true, true);
  }

  function resetZoom() {
    if (!zoom) return;
    zoom = null;
    updateZoomUi();
    if (!isLive()) { historyToken++; requestRange(); }
    scheduleDraw(true, true);
  }

  const fmtDuration = (ms) => (ms < 60000 ? nfAxis.format(ms / 1000) + '\u202fs'
    : ms < 3600000 ? nfAxis.format(ms / 60000) + '\u202fmin'
      : ms < 86400000 ? nfAxis.format(ms / 3600000) + '\u202fh' : nfAxis.format(ms / 86400000) + '\u202f' + t('days'));
  const fmtSpan = (ms) => (isLive() ? clockFmt : dateTimeFmt).format(new Date(ms));

  function updateZoomUi() {
    $('zoom-reset').hidden = !zoom;
  }

  // The visible time span of every charted series as CSV: a header row
  // "time,<metric ids>" (with "<id>.min,<id>.max" where a stored range was
  // downsampled), then one row per timestamp, time in ISO 8601 UTC. Fields
  // are quoted as RFC 4180 says: a metric id holds an interface or mount
  // name, which may contain commas and quotes.
  const csvField = (text) => (/[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text);
  function csvText() {
    const [fromS, toS] = xRange();
    const header = ['time'];
    const cols = [];
    const seen = new Set();
    for (const chart of charts.values()) {
      for (const s of chart.spec.series) {
        if (seen.has(s.id)) continue;
        seen.add(s.id);
        header.push(s.id);
        cols.push(store.cols.get(s.id) || []);
        if (envelopeShown && store.mins.has(s.id) && store.maxs.has(s.id)) {
          header.push(s.id + '.min', s.id + '.max');
          cols.push(store.mins.get(s.id), store.maxs.get(s.id));
        }
      }
    }
    const lines = [header.map(csvField).join(',')];
    let rows = 0;
    for (let i = 0; i < store.ts.length; i++) {
      const ts = store.ts[i];
      if (ts < fromS || ts > toS) continue;
      const row = [new Date(Math.round(ts * 1000)).toISOString()];
      let any = false;
      for (const col of cols) {
        const v = col[i];
        if (v === null || v === undefined) row.push('');
        else { any = true; row.push(String(v)); }
      }
      // A row with nothing in it is the break the page puts in a line at an
      // outage, not a sample.
      if (any) { lines.push(row.join(',')); rows++; }
    }
    return { text: lines.join('\r\n') + '\r\n', rows, from: fromS * 1000, to: toS * 1000 };
  }

  function exportCsv() {
    const csv = csvText();
    const stamp = (ms) => new Date(Math.round(ms)).toISOString().replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '');
    const host = ($('host').textContent || location.hostname || 'host').replace(/[^A-Za-z0-9._-]+/g, '_');
    const range = zoom ? 'zoom' : (RANGE_KEYS.get(windowMs) || 'r').slice(1);
    const name = `tidewatch_${host}_${range}_${stamp(csv.from)}-${stamp(csv.to)}.csv`;
    const url = URL.createObjectURL(new Blob([csv.text], { type: 'text/csv;charset=utf-8' }));
    const a = el('a');
    a.href = url;
    a.download = name;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
    logActivity(t('evExport', fmt.count(csv.rows), name));
  }

  // ------------------------------------------------------- tiles, tables

  let uiDirty = false;
  const tiles = new Map();
  const TILE_DEFS = [
    ['cpu', 'cpu', '--s1'], ['memory', 'memory', '--s2'], ['swap', 'swap', '--s3'],
    ['network', 'network', '--s8'], ['disk', 'diskIo', '--s6'], ['load', 'load', '--s5'],
    ['temp', 'temperature', '--s4'], ['uptime', 'uptime', '--s7'],
  ];
  function createTiles() {
    const box = $('tiles');
    for (const [key, label, color] of TILE_DEFS) {
      const tile = el('div', 'tile');
      tile.dataset.tile = key;
      tile.style.setProperty('--tile-color', `var(${color})`);
      const value = el('div', 'value', '–');
      const sub = el('div', 'sub', '\u00a0');
      const meter = el('div', 'meter');
      const bar = el('span');
      meter.append(bar);
      meter.setAttribute('aria-hidden', 'true');
      tile.append(el('div', 'label', t(label)), value, sub, meter);
      box.append(tile);
      tiles.set(key, { tile, value, sub, bar });
    }
  }
  function setTile(key, value, sub, fraction) {
    const tile = tiles.get(key);
    if (!tile) return;
    if (tile.value.textContent !== value) tile.value.textContent = value;
    const s = sub || '\u00a0';
    if (tile.sub.textContent !== s) tile.sub.textContent = s;
    const f = missing(fraction) ? 0 : Math.max(0, Math.min(1, fraction));
    tile.bar.style.width = (f * 100).toFixed(1) + '%';
    tile.tile.dataset.level = f >= 0.9 ? 'bad' : f >= 0.75 ? 'warn' : 'ok';
  }

  function value(id) {
    if (!latest || !latest.values) return null;
    const v = latest.values[id];
    return missing(v) ? null : v;
  }

  function renderUi() {
    uiDirty = false;
    if (!latest) return;
    const cores = catalogOrder.filter((id) => /^cpu\.core\.\d+$/.test(id)).length;
    setTile('cpu', fmt.percent(value('cpu.total')), cores ? t('cores', cores) : '', value('cpu.total') / 100);
    setTile('memory', fmt.percent(value('mem.percent')),
      t('ofTotal', fmt.bytes(value('mem.used')), fmt.bytes(value('mem.total'))), value('mem.percent') / 100);
    setTile('swap', value('swap.total') ? fmt.percent(value('swap.percent')) : '–',
      value('swap.total') ? t('ofTotal', fmt.bytes(value('swap.used')), fmt.bytes(value('swap.total'))) : t('noSwap'),
      value('swap.percent') / 100);
    setTile('network', fmt.rate(value('net.rx')), t('downUp', fmt.rate(value('net.rx')), fmt.rate(value('net.tx'))));
    setTile('disk', fmt.rate((value('disk.read') || 0) + (value('disk.write') || 0)),
      t('readWrite', fmt.rate(value('disk.read')), fmt.rate(value('disk.write'))));
    setTile('load', fmt.load(value('load.1')),
      [value('load.5'), value('load.15')].map(fmt.load).join(' · '),
      cores ? value('load.1') / cores : null);
    const temps = catalogOrder.filter((id) => id.startsWith('temp.')).map(value).filter((v) => v !== null);
    const hottest = temps.length ? Math.max(...temps) : null;
    setTile('temp', fmt.celsius(hottest), temps.length ? t('hottest') : t('noSensors'), hottest === null ? null : hottest / 100);
    setTile('uptime', fmt.uptime(value('host.uptime')),
      t('processCount', fmt.count(value('proc.count')), fmt.count(value('proc.running'))));

    for (const chart of charts.values()) {
      if (!chart.spec.series.length) { chart.now.textContent = ''; continue; }
      const first = chart.spec.series[0];
      let text = first.label + ' ' + fmt[chart.spec.unit](value(first.id));
      if (chart.spec.key === 'network') text = t('downUp', fmt.rate(value('net.rx')), fmt.rate(value('net.tx')));
      if (chart.spec.key === 'disk') text = t('readWrite', fmt.rate(value('disk.read')), fmt.rate(value('disk.write')));
      if (chart.now.textContent !== text) chart.now.textContent = text;
    }
    renderFilesystems();
    renderProcesses();
  }

  const fsRows = new Map();
  function renderFilesystems() {
    const list = $('filesystems');
    const mounts = catalogOrder.filter((id) => id.startsWith('fs.') && id.endsWith('.percent'))
      .map((id) => id.slice(3, -8));
    const seen = new Set();
    for (const mount of mounts) {
      seen.add(mount);
      let row = fsRows.get(mount);
      if (!row) {
        const li = el('li');
        const name = el('span', 'mount', mount);
        name.title = mount;
        const usage = el('span', 'usage');
        const bar = el('div', 'bar');
        bar.setAttribute('role', 'progressbar');
        bar.setAttribute('aria-valuemin', '0');
        bar.setAttribute('aria-valuemax', '100');
        bar.setAttribute('aria-label', mount);
        const fill = el('span');
        bar.append(fill);
        const info = catalog.get('fs.' + mount + '.percent') || {};
        const a = info.attributes || {};
        const detail = el('span', 'detail', [a.device, a.fstype].filter(Boolean).join(' · '));
        li.append(name, usage, bar, detail);
        list.append(li);
        row = { li, usage, bar, fill, detail };
        fsRows.set(mount, row);
      }
      const pct = value('fs.' + mount + '.percent');
      const usage = fmt.percent(pct);
      if (row.usage.textContent !== usage) row.usage.textContent = usage;
      row.fill.style.width = (missing(pct) ? 0 : Math.min(100, pct)).toFixed(1) + '%';
      row.bar.setAttribute('aria-valuenow', missing(pct) ? '0' : pct.toFixed(1));
      row.li.dataset.level = pct >= 90 ? 'bad' : pct >= 75 ? 'warn' : 'ok';
      const a = catalog.get('fs.' + mount + '.percent') || {};
      const dev = [(a.attributes || {}).device, (a.attributes || {}).fstype].filter(Boolean).join(' · ');
      const detail = (dev ? dev + ' · ' : '') +
        t('free', fmt.bytes(value('fs.' + mount + '.free')), fmt.bytes(value('fs.' + mount + '.size')));
      if (row.detail.textContent !== detail) row.detail.textContent = detail;
    }
    for (const [mount, row] of fsRows) {
      if (!seen.has(mount)) { row.li.remove(); fsRows.delete(mount); }
    }
    if (!mounts.length && !list.firstChild) list.append(el('li', 'empty', t('noFilesystems')));
    else if (mounts.length) for (const e of list.querySelectorAll('.empty')) e.remove();
  }

  let sortBy = storage.get('sort') === 'rss' ? 'rss' : 'cpu';
  const processRows = [];
  function renderProcesses() {
    const p = latest && latest.processes;
    if (!p) return;
    const list = (sortBy === 'rss' ? p.top_rss : p.top_cpu) || [];
    const body = $('process-rows');
    const cores = Math.max(1, catalogOrder.filter((id) => /^cpu\.core\.\d+$/.test(id)).length);
    while (processRows.length < list.length) {
      const tr = el('tr');
      const name = el('td', 'name');
      const pid = el('td', 'num pid');
      const cpu = el('td', 'num cpu');
      const cell = el('div', 'cpu-cell');
      const mini = el('div', 'mini');
      const miniBar = el('span');
      mini.append(miniBar);
      mini.setAttribute('aria-hidden', 'true');
      const cpuText = el('span');
      cell.append(mini, cpuText);
      cpu.append(cell);
      const rss = el('td', 'num rss');
      tr.append(name, pid, cpu, rss);
      body.append(tr);
      processRows.push({ tr, name, pid, cpuText, miniBar, rss });
    }
    processRows.forEach((row, i) => {
      const proc = list[i];
      row.tr.hidden = !proc;
      if (!proc) return;
      // Names come from the monitored machine: text only, never markup.
      const name = String(proc.name);
      if (row.name.textContent !== name) { row.name.textContent = name; row.name.title = name; }
      row.pid.textContent = String(proc.pid);
      row.cpuText.textContent = fmt.percent(proc.cpu);
      row.miniBar.style.width = Math.min(100, (proc.cpu || 0) / cores).toFixed(1) + '%';
      row.rss.textContent = fmt.bytes(proc.rss);
    });
    $('process-count').textContent = t('processCount', fmt.count(p.count), fmt.count(value('proc.running'))) +
      (value('proc.threads') !== null ? ' · ' + t('threads', fmt.count(value('proc.threads'))) : '');
  }
  function setSort(by) {
    sortBy = by;
    storage.set('sort', by);
    $('sort-cpu').setAttribute('aria-pressed', String(by === 'cpu'));
    $('sort-rss').setAttribute('aria-pressed', String(by === 'rss'));
    renderProcesses();
  }

  // ------------------------------------------------------------ activity

  const MAX_ACTIVITY = 20;
  function logActivity(text, kind) {
    const list = $('activity');
    const li = el('li');
    if (kind) li.dataset.kind = kind;
    const now = new Date();
    const time = el('time', null, clockFmt.format(now));
    time.dateTime = now.toISOString();
    li.append(time, el('span', null, text));
    list.prepend(li);
    while (list.children.length > MAX_ACTIVITY) list.lastElementChild.remove();
  }

  // ---------------------------------------------------------- connection

  const HEARTBEAT_MS = 30000;
  const PONG_TIMEOUT_MS = 10000;
  const MAX_BACKOFF_MS = 30000;
  let ws = null;
  let attempt = 0;
  let retryTimer = 0;
  let heartbeatTimer = 0;
  let pongTimer = 0;
  let pingSentAt = 0;
  let updates = 0;
  let subscribedMs = 1000;
  // History requests in flight, in the order sent: the server answers
  // commands in order, so each `history` (or `error`) answers the oldest.
  // kind: 'live' back-fills the live window (frames wait in pendingFrames
  // meanwhile), 'older' puts an earlier part in front, 'range' replaces
  // the data with a stored range. token: answers to a superseded request
  // (the range changed since) are dropped.
  let historyQueue = [];
  let historyToken = 0;
  let historyPending = false;
  let pendingFrames = [];
  let firstHello = true;
  let serverVersion = '';
  let earlyWindowMs = 0; // boot.js asked for this window's history already

  function setStatus(state, text) {
    const status = $('status');
    status.dataset.state = state;
    $('status-text').textContent = text || t(state);
    $('retry').hidden = state === 'connected' || state === 'connecting';
  }

  function wsUrl() {
    return (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws';
  }

  function connect() {
    clearTimeout(retryTimer);
    retryTimer = 0;
    if (ws) return;
    setStatus(attempt ? 'reconnecting' : 'connecting');
    // The socket boot.js opened while the page loaded, once.
    const early = window.tidewatchEarly;
    window.tidewatchEarly = null;
    let socket;
    if (early && early.ws) {
      socket = early.ws;
    } else {
      try {
        socket = new WebSocket(wsUrl());
      } catch (e) {
        scheduleReconnect();
        return;
      }
    }
    ws = socket;
    firstHello = true;
    const onClose = (event) => {
      if (socket !== ws) return;
      ws = null;
      stopHeartbeat();
      historyPending = false;
      pendingFrames = [];
      historyQueue = [];
      waitingHistory = null;
      clearTimeout(rangeTimer);
      logActivity(event.reason ? t('evClosedReason', event.code, event.reason) : t('evClosed', event.code), 'bad');
      // An ended session (a restarted server) goes to the login page.
      if (window.tidewatchSession) window.tidewatchSession.sessionLost();
      scheduleReconnect();
    };
    socket.onmessage = (event) => {
      if (socket !== ws) return;
      // The whole window behind the first tail (boot.js) is big: parsing and
      // merging it before the first chart is on screen would only delay that
      // picture, so it waits for it. Its place in the queue is taken now.
      if (!firstChartMarked && historyQueue.length && historyQueue[0].kind === 'older' &&
          event.data.startsWith('{"type":"history"')) {
        const req = historyQueue.shift();
        historyAnswered();
        afterFirstChart.push(() => {
          if (socket !== ws || req.token !== historyToken) return;
          let msg = null;
          try { msg = JSON.parse(event.data); } catch (e) { return; }
          prependHistory(msg);
        });
        // Not forever: a hidden tab paints nothing.
        setTimeout(flushAfterFirstChart, 1000);
        return;
      }
      onMessage(event.data);
    };
    socket.onclose = onClose;
    if (early && early.ws) {
      // Its history requests are answered on this socket like our own: a
      // short tail first, then the whole window to put in front of it.
      const windows = early.historyWindows || [];
      earlyWindowMs = windows.length ? windows[windows.length - 1] : 0;
      windows.forEach((ms, i) => historyQueue.push({ kind: i ? 'older' : 'live', token: historyToken }));
      if (windows.length) { historyPending = true; pendingFrames = []; }
      for (const data of early.messages) if (socket === ws) onMessage(data);
      if (early.closeEvent) onClose(early.closeEvent);
    }
  }

  function scheduleReconnect() {
    if (retryTimer) return;
    // 1 s, 2 s, 4 s … capped at 30 s, with jitter so that many pages do not
    // come back at the same instant after a server restart.
    const base = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** attempt);
    const delay = Math.round(base * (0.75 + Math.random() * 0.25));
    attempt++;
    setStatus(navigator.onLine === false ? 'offline' : 'reconnecting');
    logActivity(t('evRetry', (delay / 1000).toFixed(1), attempt), 'warn');
    retryTimer = setTimeout(connect, delay);
  }

  function send(obj) {
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(obj));
  }

  function startHeartbeat() {
    stopHeartbeat();
    heartbeatTimer = setInterval(() => {
      pingSentAt = performance.now();
      send({ type: 'ping' });
      clearTimeout(pongTimer);
      pongTimer = setTimeout(() => {
        logActivity(t('evHeartbeat'), 'bad');
        if (ws) ws.close(4000, 'heartbeat timeout');
      }, PONG_TIMEOUT_MS);
    }, HEARTBEAT_MS);
  }
  function stopHeartbeat() {
    clearInterval(heartbeatTimer);
    clearTimeout(pongTimer);
    heartbeatTimer = pongTimer = 0;
  }

  function requestHistory() {
    const req = {
      type: 'history', metrics: historyPatterns(), window_ms: windowMs,
      max_points: Math.min(5000, Math.ceil(windowMs / samplerMs) + 1),
    };
    // After a reconnect only what is missing; a restarted server simply
    // has less history.
    if (store.lastMs) req.from = store.lastMs + 1;
    historyPending = true;
    pendingFrames = [];
    sendHistory(req, 'live');
  }

  function historyPatterns() {
    // Ids are valid patterns; the protocol takes at most 64 of them.
    return tracked.length <= 64 ? tracked
      : ['cpu.total', 'cpu.core.*', 'mem.percent', 'swap.percent', 'net.*.rx', 'net.*.tx',
        'disk.*.read', 'disk.*.write', 'temp.*', 'load.*'];
  }

  // One history request in flight at a time (boot.js's pair aside, which
  // memory answers in order): a server answers a request that reaches its
  // store later, off its event loop, so a request sent behind it could be
  // answered first. A request made meanwhile waits here; a newer one
  // replaces it, as only the latest choice counts.
  let waitingHistory = null;
  function sendHistory(req, kind) {
    if (!ws || ws.readyState !== WebSocket.OPEN) return false;
    if (historyQueue.length) {
      waitingHistory = { req, kind };
      return true;
    }
    historyQueue.push({ kind, token: historyToken });
    send(req);
    return true;
  }
  function historyAnswered() {
    if (historyQueue.length || !waitingHistory) return;
    const { req, kind } = waitingHistory;
    waitingHistory = null;
    sendHistory(req, kind);
  }

  // What the chosen range needs: a live back-fill or a stored range.
  function requestData() {
    if (isLive()) requestHistory();
    else requestRange();
  }

  function preferredInterval() {
    const stored = Number(storage.get('interval'));
    if (stored > 0) return stored;
    const phone = window.matchMedia('(max-width: 700px), (pointer: coarse)').matches;
    return phone ? 1000 : 250;
  }

  function fillIntervalOptions(actual) {
    const select = $('interval');
    const choices = new Set([samplerMs]);
    for (const ms of [100, 250, 500, 1000, 2000, 5000, 10000, 30000]) {
      if (ms >= samplerMs && ms % samplerMs === 0) choices.add(ms);
    }
    if (actual) choices.add(actual);
    const sorted = [...choices].sort((a, b) => a - b);
    select.replaceChildren(...sorted.map((ms) => {
      const o = el('option', null, fmt.ms(ms));
      o.value = String(ms);
      return o;
    }));
    select.value = String(actual || subscribedMs);
  }

  function onMessage(data) {
    let msg;
    try { msg = JSON.parse(data); } catch (e) { return; }
    if (!msg || typeof msg !== 'object') return;
    switch (msg.type) {
      case 'connection':
        $('clients').textContent = fmt.count(msg.client_count);
        if (msg.message) logActivity(t('evServer', msg.message));
        break;
      case 'hello': {
        $('host').textContent = String(msg.host || '');
        document.title = 'Tidewatch · ' + String(msg.host || '');
        serverVersion = String(msg.version || '');
        samplerMs = Math.max(1, Number(msg.interval_ms) || 1000);
        $('footer-text').textContent = t('footer', serverVersion, fmt.ms(samplerMs));
        if (firstHello) performance.mark('tidewatch:hello');
        const specs = readCatalog(msg.metrics || []);
        const first = firstHello;
        if (firstHello) {
          firstHello = false;
          attempt = 0;
          setStatus('connected');
          logActivity(t('evConnected', String(msg.host || location.host)), 'good');
          startHeartbeat();
          // boot.js's requests stand if they were for the window still chosen.
          if (!earlyWindowMs || earlyWindowMs !== windowMs) requestData();
          earlyWindowMs = 0;
          const wanted = Math.ceil(preferredInterval() / samplerMs) * samplerMs;
          send({ type: 'subscribe', interval_ms: wanted });
          fillIntervalOptions(wanted);
        }
        if (applySpecs(specs) && !first) logActivity(t('evCatalog', catalog.size));
        break;
      }
      case 'metrics':
        if (historyPending) {
          // Answered by the history reply, which covers it; kept in case
          // the reply is lost to an error.
          if (pendingFrames.length < 4096) pendingFrames.push(msg);
        } else {
          ingest(msg);
        }
        break;
      case 'history': {
        const req = historyQueue.shift() || { kind: 'live', token: historyToken };
        historyAnswered();
        if (req.token !== historyToken) break; // for a range no longer shown
        if (req.kind === 'live') applyHistory(msg);
        else if (req.kind === 'older') prependHistory(msg);
        else applyRange(msg);
        break;
      }
      case 'client_count':
        $('clients').textContent = fmt.count(msg.count);
        logActivity(t(msg.count === 1 ? 'evClient' : 'evClients', fmt.count(msg.count)));
        break;
      case 'pong':
        clearTimeout(pongTimer);
        pongTimer = 0;
        if (pingSentAt) $('latency').textContent = fmt.ms(Math.max(0, Math.round(performance.now() - pingSentAt)));
        break;
      case 'subscribed':
        subscribedMs = Number(msg.interval_ms) || samplerMs;
        fillIntervalOptions(subscribedMs);
        logActivity(t('evInterval', fmt.ms(subscribedMs)));
        break;
      case 'error':
        logActivity(t('evError', String(msg.code), String(msg.message)), 'bad');
        // The errors a history request can get; it is the oldest in flight.
        if (historyQueue.length && ['busy', 'no_data', 'bad_request', 'store_unavailable'].includes(msg.code)) {
          const req = historyQueue.shift();
          historyAnswered();
          if (req.token !== historyToken) break;
          if (req.kind === 'live') {
            historyPending = false;
            for (const f of pendingFrames) ingest(f);
            pendingFrames = [];
          } else if (req.kind === 'range') {
            rangeFailed(msg.code === 'busy');
          }
        }
        break;
      default:
        break;
    }
  }

  function ingest(msg) {
    const ts = Number(msg.ts);
    if (!Number.isFinite(ts)) return;
    if (!isLive()) {
      // A stored range is not appended to: the frame feeds the tiles and
      // tables only, and the range is asked for again (requestRange).
      if (latest && ts <= Number(latest.ts)) return;
      latest = msg;
      updates++;
      $('updates').textContent = fmt.count(updates);
      scheduleDraw(false, false);
      return;
    }
    if (ts <= store.lastMs) return; // never a duplicate
    latest = msg;
    updates++;
    $('updates').textContent = fmt.count(updates);
    // Zoomed into a live window for an hour: the view goes back to live.
    if (zoom && ts - zoom.min > 3600000) resetZoom();
    const values = msg.values || {};
    appendRow(ts, (id) => values[id]);
    if (store.ts.length % 256 === 0) trimStore(); // bounded while the tab is hidden
    scheduleDraw(true, false);
  }

  // A server column as a chart column: null for what is missing.
  function cleanColumn(src, n) {
    if (!Array.isArray(src) || src.length !== n) return new Array(n).fill(null);
    for (let i = 0; i < n; i++) if (typeof src[i] !== 'number') src[i] = null;
    return src;
  }

  // The whole window, asked for after a short tail (boot.js): only what is
  // older than the oldest point held goes in front. Newer points in it are
  // held already, from the tail or from live frames, so nothing doubles;
  // the answer holds every sample up to its `to`, so nothing is missing.
  function prependHistory(msg) {
    const ts = Array.isArray(msg.ts) ? msg.ts : [];
    const values = msg.values || {};
    if (!store.ts.length) { applyHistory(msg); return; }
    const firstMs = Math.round(store.ts[0] * 1000);
    let n = 0;
    while (n < ts.length && ts[n] < firstMs) n++;
    if (!n) return;
    store.ts = ts.slice(0, n).map((x) => x / 1000).concat(store.ts);
    for (const [id, col] of store.cols) {
      store.cols.set(id, cleanColumn(values[id] ? values[id].slice(0, n) : null, n).concat(col));
    }
    logActivity(t('evBackfill', fmt.count(n)));
    scheduleDraw(true, true);
  }

  function applyHistory(msg) {
    performance.mark('tidewatch:history');
    historyPending = false;
    const ts = Array.isArray(msg.ts) ? msg.ts : [];
    const values = msg.values || {};
    // Column by column: much faster than row by row for thousands of points.
    let start = 0;
    while (start < ts.length && !(ts[start] > store.lastMs)) start++;
    const added = ts.length - start;
    if (added > 0 && !store.ts.length && start === 0) {
      // The usual first answer: take its arrays as they are.
      store.ts.push(...ts.map((x) => x / 1000));
      for (const id of store.cols.keys()) store.cols.set(id, cleanColumn(values[id], ts.length));
      store.lastMs = ts[ts.length - 1];
    } else if (added > 0) {
      appendRow(ts[start], (id) => (values[id] ? values[id][start] : null)); // also marks an outage gap
      for (const [id, col] of store.cols) {
        const src = values[id];
        for (let i = start + 1; i < ts.length; i++) {
          const v = src ? src[i] : null;
          col.push(v === undefined || Number.isNaN(v) ? null : v);
        }
      }
      for (let i = start + 1; i < ts.length; i++) store.ts.push(ts[i] / 1000);
      store.lastMs = ts[ts.length - 1];
    }
    if (added) logActivity(t('evBackfill', fmt.count(added)));
    // A first latency figure at once, measured after the back-fill so that
    // it does not include the time this page spent on it.
    pingSentAt = performance.now();
    send({ type: 'ping' });
    // Frames that arrived before the reply are covered by it (ts <= to);
    // anything newer continues the series.
    const frames = pendingFrames;
    pendingFrames = [];
    for (const f of frames) {
      if (Number(f.ts) > Number(msg.to)) ingest(f);
      else latest = f;
    }
    trimStore();
    if (!firstChartMarked && !document.hidden) {
      // The first picture as early as possible: draw now, not a frame later.
      for (const c of charts.values()) c.dirty = true;
      if (drawFrame) { cancelAnimationFrame(drawFrame); drawFrame = 0; }
      drawNow(1);
    } else {
      scheduleDraw(true, true);
    }
  }

  // ---------------------------------------------------------------- boot

  function boot() {
    translateStatic();
    createTiles();
    $('window').value = String(windowMs);
    if (!$('window').value) { windowMs = 300000; $('window').value = '300000'; }
    setRangeNote(isLive() ? '' : 'loading');
    readPalette();
    document.documentElement.dataset.theme = effectiveTheme();
    applyTheme();
    $('theme').addEventListener('click', () => {
      storage.set('theme', effectiveTheme() === 'dark' ? 'light' : 'dark');
      applyTheme();
    });
    systemDark.addEventListener('change', () => { if (!storage.get('theme')) applyTheme(); });
    $('sort-cpu').addEventListener('click', () => setSort('cpu'));
    $('sort-rss').addEventListener('click', () => setSort('rss'));
    setSort(sortBy);
    $('retry').addEventListener('click', () => { attempt = 0; connect(); });
    $('interval').addEventListener('change', (e) => {
      const ms = Number(e.target.value);
      storage.set('interval', String(ms));
      send({ type: 'subscribe', interval_ms: ms });
    });
    $('window').addEventListener('change', (e) => {
      const ms = Number(e.target.value);
      setRange(RANGES.includes(ms) ? ms : 300000);
    });
    $('zoom-reset').addEventListener('click', resetZoom);
    $('export').addEventListener('click', exportCsv);
    window.addEventListener('offline', () => { setStatus('offline'); logActivity(t('evOffline'), 'bad'); });
    window.addEventListener('online', () => {
      logActivity(t('evOnline'), 'good');
      if (!ws) { attempt = 0; connect(); }
    });
    connect();
  }

  // boot.js may start this script before the document is parsed.
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot);
  else boot();
})();

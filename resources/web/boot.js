// SPDX-License-Identifier: GPL-3.0-or-later
// The first script of the page; the server puts it inline into the head
// (a hash in the Content-Security-Policy allows exactly this text). It
//  - applies the remembered theme before the first paint;
//  - opens the feed's WebSocket and asks for the back-fill at once: a
//    socket's events wait for the main thread, and uPlot and app.js take it
//    for a while when they evaluate, so started after them the request
//    would go out late;
//  - loads uPlot, session.js and app.js only after that, and, when first-chart.js drew
//    the CPU chart from the data in the page, only after that picture is
//    on screen. app.js adopts this socket, replays
//    what it queued, and its uPlot chart takes the picture's place.
'use strict';
(function () {
  performance.mark('tidewatch:boot');
  let started = false;
  const startApp = () => {
    if (started) return;
    started = true;
    for (const src of ['/vendor/uPlot.iife.min.js', '/session.js', '/i18n.js', '/app.js']) {
      const script = document.createElement('script');
      script.src = src;
      script.async = false; // in this order
      document.head.append(script);
    }
  };
  // Not waiting long for a slow server: the page shows itself regardless.
  let fallback = setTimeout(startApp, 400);
  const stored = (key) => {
    try { return localStorage.getItem('tidewatch.' + key); } catch (e) { return null; } // private mode
  };
  const theme = stored('theme');
  if (theme === 'dark' || theme === 'light') document.documentElement.dataset.theme = theme;
  // Only the live windows are back-filled from memory at once; a range from
  // the store is asked for by app.js (it may be slower and is not urgent).
  const LIVE = ['60000', '300000', '600000'];
  const storedWindow = stored('window');
  const windowMs = Number(LIVE.indexOf(storedWindow) >= 0 ? storedWindow : storedWindow === null ? '300000' : 0);
  const TAIL_MS = 20000;
  // historyWindows: the windows asked for, in order; app.js matches the
  // answers to them. picture: first-chart.js drew one and calls shown().
  // windowMs: the live window shown first, 0 for a stored range.
  const early = { ws: null, messages: [], closeEvent: null, historyWindows: [], picture: false, windowMs };
  early.shown = () => startApp();
  // Evaluating uPlot and app.js would hold up the frame that shows the
  // picture; a hidden tab has no frames, hence still a time limit.
  early.drawn = () => {
    early.picture = true;
    clearTimeout(fallback);
    fallback = setTimeout(startApp, 1000);
  };
  window.tidewatchEarly = early;
  let ws;
  try {
    ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws');
  } catch (e) {
    startApp(); // app.js connects on its own
    return;
  }
  early.ws = ws;
  // Every chartable family (counters have no history). max_points 5000 is
  // app.js's cap; fewer samples than that are never averaged.
  const ask = (ms) => {
    early.historyWindows.push(ms);
    ws.send(JSON.stringify({
      type: 'history', window_ms: ms, max_points: 5000,
      metrics: ['cpu.total', 'cpu.core.*', 'mem.percent', 'swap.percent', 'net.*.rx', 'net.*.tx',
        'disk.*.read', 'disk.*.write', 'temp.*', 'load.*'],
    }));
  };
  ws.onmessage = (event) => { early.messages.push(event.data); };
  // Asked at once, not after the hello: the server answers in order, after
  // its hello. First the last TAIL_MS (small: quick to build, send and
  // parse), then the whole window, which app.js puts in front.
  ws.onopen = () => {
    performance.mark('tidewatch:ws-open');
    // Once app.js is on its way it asks for itself (it adopts the socket
    // with the requests made so far).
    if (windowMs && !started) {
      ask(Math.min(windowMs, TAIL_MS));
      if (windowMs > TAIL_MS) ask(windowMs);
    }
    // first-chart.js runs while the page is parsed: only then is it known
    // whether there is a picture to wait for.
    if (document.readyState !== 'loading') {
      if (!early.picture) startApp();
    } else {
      document.addEventListener('DOMContentLoaded', () => { if (!early.picture) startApp(); });
    }
  };
  ws.onclose = (event) => { early.closeEvent = event; startApp(); };
})();

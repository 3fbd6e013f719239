// SPDX-License-Identifier: GPL-3.0-or-later
// Loaded first and without defer, before the style sheets: opens the feed's
// WebSocket and asks for the back-fill, and only then lets uPlot and app.js
// run (the page preloads them). Evaluating those two takes the main thread
// for a while, and a socket's events wait for the main thread: started the
// other way round, the request would go out only after them. So the server
// builds the answer while the scripts run, and it is usually waiting when
// app.js starts. app.js adopts this socket and replays what it queued.
'use strict';
(function () {
  let started = false;
  const startApp = () => {
    if (started) return;
    started = true;
    for (const src of ['/vendor/uPlot.iife.min.js', '/app.js']) {
      const script = document.createElement('script');
      script.src = src;
      script.async = false; // in this order
      document.head.append(script);
    }
  };
  // Not waiting long for a slow server: the page shows itself regardless.
  setTimeout(startApp, 400);
  let stored = null;
  try { stored = localStorage.getItem('tidewatch.window'); } catch (e) { /* private mode */ }
  // Only the live windows are back-filled from memory at once; a range from
  // the store is asked for by app.js (it may be slower and is not urgent).
  const LIVE = ['60000', '300000', '600000'];
  const windowMs = Number(LIVE.indexOf(stored) >= 0 ? stored : stored === null ? '300000' : 0);
  const TAIL_MS = 20000;
  let ws;
  try {
    ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws');
  } catch (e) {
    startApp(); // app.js connects on its own
    return;
  }
  // historyWindows: the windows asked for, in order; app.js matches the
  // answers to them.
  const early = { ws, messages: [], closeEvent: null, historyWindows: [] };
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
  ws.onmessage = (event) => {
    early.messages.push(event.data);
    // The server has its catalogue and latest snapshot once it says hello.
    // First the last TAIL_MS (small: quick to build, send and parse) for the
    // first picture, then the whole window, which app.js puts in front.
    if (!started && event.data.startsWith('{"type":"hello"')) {
      if (windowMs) {
        ask(Math.min(windowMs, TAIL_MS));
        if (windowMs > TAIL_MS) ask(windowMs);
      }
      startApp();
    }
  };
  ws.onopen = () => performance.mark('tidewatch:ws-open');
  ws.onclose = (event) => { early.closeEvent = event; startApp(); };
  window.tidewatchEarly = early;
})();

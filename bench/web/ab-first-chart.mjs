// SPDX-License-Identifier: GPL-3.0-or-later
// Variants for ab-page.mjs: the page as served, and the page without each of
// the two choices that brought its first chart under 300 ms (see
// docs/performance.md, "No frame before the picture, no preloads").
const RENDER_BLOCKING = /<link rel="expect" href="#first-chart-end" blocking="render">\s*/;
const PRELOADS = '<link rel="preload" href="/vendor/uPlot.iife.min.js" as="script">' +
  '<link rel="preload" href="/app.js" as="script">';

function need(html, pattern) {
  if (!pattern.test(html)) throw new Error(`the page no longer has ${pattern}`);
  return html;
}

export default {
  served: (html) => html,
  'no-render-blocking': (html) => need(html, RENDER_BLOCKING).replace(RENDER_BLOCKING, ''),
  'with-preloads': (html) => need(html, /<\/head>/).replace('</head>', `${PRELOADS}</head>`),
};

#!/usr/bin/env node
// SPDX-License-Identifier: GPL-3.0-or-later
// Figures of the browser dashboard (issue 4), measured in Debian's headless
// Chromium. Not a test: it prints figures and asserts nothing.
//
//  - page weight: bytes of every HTTP response of one cold load (the server
//    does not compress, so transferred = uncompressed);
//  - first chart painted: the page's "tidewatch:first-chart" mark, ms after
//    navigation start (performance.timeOrigin), median of cold loads. The
//    page sets it once a chart has drawn a series with at least two real
//    values, in the task after the next animation frame, i.e. after the
//    frame that put the canvas on screen. That chart is first-chart.js's
//    canvas, drawn from the data in the page; the time uPlot's chart takes
//    its place ("tidewatch:uplot-chart") is printed too. Each cold load is
//    a new browser context (empty cache, new renderer), 1920x1080;
//  - the baseline: the same mark on a page with one heading and a canvas
//    (--baseline-loads cold loads), the floor this browser sets here;
//  - the renderer main thread's CPU time from navigation start to that mark
//    (Chrome trace, sum of the RunTask events' thread time): on a machine
//    shared with compilers the wall time mostly measures waiting for a
//    core, the CPU time what the page itself costs;
//  - main-thread busy: Chrome's TaskDuration (CDP Performance.getMetrics)
//    over the measuring period, divided by wall time, with the page
//    subscribed at 10 Hz and showing a 5-minute window that is full.
//
//   node bench/web/bench-dashboard.mjs --daemon build/src/app/tidewatchd/tidewatchd \
//        --modules build/tests/web/npm/node_modules [--warmup 300] [--measure 60]
//   (or --url http://127.0.0.1:PORT/ for a tidewatchd already running at 100 ms)
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { launchChromium, loadPlaywright, parseArgs, here } from '../../tests/web/harness.mjs';
import { dashboardContext, median, openFeed } from './common.mjs';

const args = parseArgs(process.argv.slice(2), {
  daemon: '', url: '', modules: path.join(here, 'node_modules'), chromium: '/usr/bin/chromium',
  warmup: '300', measure: '60', loads: '5', 'cpu-loads': '3', width: '1920', height: '2200', screenshots: '',
  'cold-width': '1920', 'cold-height': '1080', 'baseline-loads': '5',
});

// CPU time of the page's renderer main thread (CrRendererMain of the
// process that set the first-chart mark) from the page's navigationStart to
// that mark.
function mainThreadCpu(events) {
  const end = events.find((e) => e.name === 'tidewatch:first-chart');
  if (!end) return NaN;
  const main = events.find((e) => e.name === 'thread_name' && e.pid === end.pid && e.args.name === 'CrRendererMain');
  const start = events.find((e) => e.pid === end.pid && e.name === 'navigationStart' &&
    String(e.args?.data?.documentLoaderURL || '').startsWith('http'));
  if (!main || !start) return NaN;
  return events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.name === 'RunTask' && e.ph === 'X' &&
    e.ts >= start.ts && e.ts <= end.ts).reduce((sum, e) => sum + (e.tdur || 0), 0) / 1000;
}

// The floor this browser on this machine sets: a page with one heading and
// a canvas drawn by an inline script, marked the way the dashboard marks
// its first chart, served from a local HTTP server, in new contexts.
const BASELINE_PAGE = '<!DOCTYPE html><html><head><meta charset="utf-8"><title>baseline</title></head>' +
  '<body style="font-family:system-ui,sans-serif"><h1>Baseline</h1><canvas id="c" width="600" height="200"></canvas>' +
  '<script>const g=document.getElementById("c").getContext("2d");g.beginPath();' +
  'for(let x=0;x<600;x++)g.lineTo(x,100+50*Math.sin(x/20));g.stroke();' +
  'requestAnimationFrame(()=>setTimeout(()=>performance.mark("tidewatch:first-chart"),0));</script></body></html>';

async function baselineFirstPaint(browser, viewport, loads) {
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(BASELINE_PAGE);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const times = [];
  try {
    for (let i = 0; i < loads; i++) {
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      await page.goto(`http://127.0.0.1:${server.address().port}/`, { waitUntil: 'commit' });
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await page.waitForFunction(() => performance.getEntriesByName('tidewatch:first-chart').length > 0);
      times.push(await page.evaluate(() => performance.getEntriesByName('tidewatch:first-chart')[0].startTime));
      await context.close();
    }
  } finally {
    server.close();
  }
  return times;
}

const kb = (n) => (n / 1000).toFixed(1) + ' KB';

async function main() {
  const playwright = loadPlaywright(args.modules);
  const feed = await openFeed(args);
  const url = feed.url;
  const browser = await launchChromium(playwright, args.chromium);
  // Cold loads in a common desktop window; the steady state in a tall one,
  // so that every chart is in view and drawn.
  const coldViewport = { width: Number(args['cold-width']), height: Number(args['cold-height']) };
  const viewport = { width: Number(args.width), height: Number(args.height) };
  try {
    // Cold loads: page weight and first chart.
    const firstChart = [];
    const steps = [];
    let weight = null;
    const cpu = [];
    // First one load for the page weight (its response bodies are read
    // over CDP, which is work in the browser), then the timed loads, then as
    // many traced ones for the CPU time (tracing slows a page down, so those
    // are not timed). The timed loads do nothing in the page until it has
    // had 3 s: Playwright's waiting functions run script in it.
    const loads = Number(args.loads);
    for (let i = -1; i < loads + Number(args['cpu-loads']); i++) {
      const traced = i >= loads;
      const context = await dashboardContext(browser, coldViewport);
      const page = await context.newPage();
      if (traced) {
        await page.goto('about:blank');
        await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink.user_timing', 'loading'] });
      }
      if (i < 0) {
        const bodies = [];
        page.on('response', async (r) => {
          const b = await r.body().catch(() => null);
          if (b) bodies.push({ url: r.url(), bytes: b.length });
        });
        await page.goto(url, { waitUntil: 'load' });
        await page.waitForFunction(() => performance.getEntriesByName('tidewatch:uplot-chart').length > 0, null, { timeout: 60000 });
        await page.waitForLoadState('networkidle').catch(() => {});
        const perf = await page.evaluate(() => [performance.getEntriesByType('navigation')[0], ...performance.getEntriesByType('resource')]
          .map((e) => ({ name: e.name, decoded: e.decodedBodySize, transfer: e.transferSize })));
        weight = { bodies: [...bodies], perf };
        await context.close();
        continue;
      }
      await page.goto(url, { waitUntil: 'commit' });
      await new Promise((resolve) => setTimeout(resolve, 3000));
      await page.waitForFunction(() => performance.getEntriesByName('tidewatch:uplot-chart').length > 0, null, { timeout: 60000 });
      const marks = await page.evaluate(() => Object.fromEntries(['tidewatch:ws-open', 'tidewatch:app', 'tidewatch:hello',
        'tidewatch:history', 'tidewatch:first-chart', 'tidewatch:uplot-chart']
        .map((n) => [n.slice(10), performance.getEntriesByName(n)[0]?.startTime ?? NaN])
        .concat([['domContentLoaded', performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd]])));
      if (traced) {
        cpu.push(mainThreadCpu(JSON.parse((await browser.stopTracing()).toString()).traceEvents));
        await context.close();
        continue;
      }
      firstChart.push(marks['first-chart']);
      steps.push(marks);
      await context.close();
    }
    const total = weight.bodies.reduce((a, b) => a + b.bytes, 0);
    console.log(`page weight (one cold load, uncompressed): ${kb(total)} in ${weight.bodies.length} responses`);
    for (const b of weight.bodies) console.log(`  ${kb(b.bytes).padStart(9)}  ${new URL(b.url).pathname}`);
    console.log(`  (Performance API decodedBodySize total: ${kb(weight.perf.reduce((a, e) => a + (e.decoded || 0), 0))})`);
    console.log(`cold loads at ${coldViewport.width}x${coldViewport.height}`);
    console.log(`first chart painted after navigation: median ${median(firstChart).toFixed(0)} ms ` +
      `(${firstChart.map((x) => x.toFixed(0)).join(', ')} ms over ${firstChart.length} cold loads)`);
    const stepMedian = (k) => median(steps.map((m) => m[k])).toFixed(0);
    console.log(`  medians: DOMContentLoaded ${stepMedian('domContentLoaded')} ms, socket open ${stepMedian('ws-open')} ms, ` +
      `app.js running ${stepMedian('app')} ms, hello handled ${stepMedian('hello')} ms, ` +
      `history applied ${stepMedian('history')} ms, first chart ${stepMedian('first-chart')} ms, ` +
      `uPlot chart in its place ${stepMedian('uplot-chart')} ms`);
    const baseline = await baselineFirstPaint(browser, coldViewport, Number(args['baseline-loads']));
    if (baseline.length) {
      console.log(`  baseline: a one-heading page with a canvas paints after a median of ${median(baseline).toFixed(0)} ms ` +
        `(${baseline.map((x) => x.toFixed(0)).join(', ')} ms) in this browser`);
    }
    if (cpu.length) {
      console.log(`main-thread CPU from navigation to first chart (traced loads): median ${median(cpu).toFixed(0)} ms ` +
        `(${cpu.map((x) => x.toFixed(0)).join(', ')} ms)`);
    }

    // Steady state at 10 Hz with a full 5-minute window.
    const context = await dashboardContext(browser, viewport);
    const page = await context.newPage();
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForFunction(() => document.querySelector('#status').dataset.state === 'connected', null, { timeout: 60000 });
    await page.waitForFunction(() => document.querySelector('#interval').value === '100', null, { timeout: 60000 });
    await page.waitForTimeout(5000); // settle after the back-fill before measuring
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable', { timeDomain: 'timeTicks' });
    const metrics = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
    const updates = () => page.$eval('#updates', (e) => Number(e.textContent.replace(/\D/g, '')));
    const m0 = await metrics();
    const u0 = await updates();
    const t0 = Date.now();
    await page.waitForTimeout(Number(args.measure) * 1000);
    const m1 = await metrics();
    const u1 = await updates();
    const wall = (Date.now() - t0) / 1000;
    const points = await page.$eval('#card-cpu', (e) => Number(e.dataset.points));
    const visible = await page.evaluate(() => [...document.querySelectorAll('.card .chart')]
      .filter((e) => e.getBoundingClientRect().top < window.innerHeight).length + ' of ' +
      document.querySelectorAll('.card .chart').length);
    const share = (k) => (100 * (m1[k] - m0[k]) / wall).toFixed(1) + ' %';
    console.log(`main thread at 10 Hz, 5-minute window (${points} points per series, ${viewport.width}x${viewport.height}, ${visible} charts in view):`);
    console.log(`  busy ${share('TaskDuration')} of ${wall.toFixed(0)} s (script ${share('ScriptDuration')}, ` +
      `layout ${share('LayoutDuration')}, style ${share('RecalcStyleDuration')}); ${((u1 - u0) / wall).toFixed(1)} updates/s received`);
    console.log(`  JS heap ${(m1.JSHeapUsedSize / 1e6).toFixed(1)} MB`);
    if (args.screenshots) {
      fs.mkdirSync(args.screenshots, { recursive: true });
      await page.setViewportSize({ width: 1440, height: 1000 });
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.waitForTimeout(1500);
      await page.screenshot({ path: path.join(args.screenshots, 'bench-desktop.png'), fullPage: true });
    }
    await context.close();
  } finally {
    await browser.close();
    await feed.stop();
  }
}

await main();

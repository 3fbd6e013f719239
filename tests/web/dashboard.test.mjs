#!/usr/bin/env node
// SPDX-License-Identifier: GPL-3.0-or-later
// End-to-end test of the browser dashboard: a real tidewatchd and Debian's
// headless Chromium. Every wait is on a condition, with generous timeouts
// for a loaded two-core machine; nothing here asserts timing.
//
//   node dashboard.test.mjs --daemon build/src/app/tidewatchd/tidewatchd \
//        --modules build/tests/web/npm/node_modules --out build/tests/web/screenshots
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Daemon, launchChromium, loadPlaywright, parseArgs, parseCsv, here, watchPage } from './harness.mjs';

const args = parseArgs(process.argv.slice(2), {
  daemon: '', modules: path.join(here, 'node_modules'), chromium: '/usr/bin/chromium',
  out: path.join(os.tmpdir(), 'tidewatch-web-screenshots'),
});
if (!args.daemon) throw new Error('--daemon PATH_TO_TIDEWATCHD is required');

const WAIT = { timeout: 60000 };
const MARKUP_NAME = '<img src=x>'; // a process name that is markup (kernel comm: at most 15 chars)
let step = '';
const begin = (name) => { step = name; console.log(`# ${name}`); };

const daemon = new Daemon(args.daemon, { intervalMs: 250 });
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tidewatch-web-test-'));
let browser = null;
let busy = null;

// Page problems collected for the whole run: script errors, CSP refusals,
// dialogs (an injected onerror=alert would open one).
const problems = [];
const watch = (page, name) => watchPage(page, name, problems);

const state = (page) => page.$eval('#status', (e) => e.dataset.state);
const updates = (page) => page.$eval('#updates', (e) => Number(e.textContent.replace(/\D/g, '')) || 0);
const chartInfo = (page, key) => page.$eval(`#card-${key}`, (e) => ({
  points: Number(e.dataset.points || 0), first: Number(e.dataset.firstTs || 0), last: Number(e.dataset.lastTs || 0),
}));
const waitConnected = (page) => page.waitForFunction(
  () => document.querySelector('#status').dataset.state === 'connected', null, WAIT);
const waitUpdatesAbove = (page, n) => page.waitForFunction(
  (min) => Number(document.querySelector('#updates').textContent.replace(/\D/g, '')) > min, n, WAIT);

// Asks the server, over its own protocol, how many samples it holds in
// [from, to]; the page must show exactly that many points there.
const serverPointCount = (page, from, to) => page.evaluate(([f, t]) => new Promise((resolve, reject) => {
  const ws = new WebSocket(`ws://${location.host}/ws`);
  const timer = setTimeout(() => reject(new Error('no history answer')), 30000);
  ws.onmessage = (ev) => {
    const msg = JSON.parse(ev.data);
    if (msg.type === 'hello') ws.send(JSON.stringify({ type: 'history', metrics: ['cpu.total'], from: f, to: t, max_points: 10000 }));
    if (msg.type === 'history') { clearTimeout(timer); ws.close(); resolve(msg.ts.length); }
  };
}), [from, to]);

// The server's samples of some metrics in [from, to], over its own protocol.
const serverHistory = (page, metrics, from, to) => page.evaluate(([m, f, t]) => new Promise((resolve, reject) => {
  const ws = new WebSocket(`ws://${location.host}/ws`);
  const timer = setTimeout(() => reject(new Error('no history answer')), 30000);
  ws.onmessage = (ev) => {
    const msg = JSON.parse(ev.data);
    if (msg.type === 'hello') ws.send(JSON.stringify({ type: 'history', metrics: m, from: f, to: t, max_points: 10000 }));
    if (msg.type === 'history') { clearTimeout(timer); ws.close(); resolve(msg); }
  };
}), [metrics, from, to]);

async function download(page, selector) {
  const [file] = await Promise.all([page.waitForEvent('download', WAIT), page.click(selector)]);
  const target = path.join(args.out, 'downloads', file.suggestedFilename());
  await file.saveAs(target);
  return { name: file.suggestedFilename(), text: fs.readFileSync(target, 'utf8') };
}

const view = (page, key) => page.$eval(`#card-${key}`, (e) => ({
  from: Number(e.dataset.viewFrom), to: Number(e.dataset.viewTo), points: Number(e.dataset.points || 0),
  first: Number(e.dataset.firstTs || 0), last: Number(e.dataset.lastTs || 0),
}));

async function main() {
  const playwright = loadPlaywright(args.modules);
  fs.mkdirSync(args.out, { recursive: true });
  fs.rmSync(path.join(args.out, 'downloads'), { recursive: true, force: true }); // the last run's CSV files
  fs.mkdirSync(path.join(args.out, 'downloads'));

  begin('start tidewatchd and let it gather some history');
  await daemon.start(0);
  const before = await daemon.waitForSamples(8);
  console.log(`  ${daemon.url}, seq ${before.seq} at ${before.ts}`);

  begin('HTTP headers of the dashboard');
  const index = await fetch(daemon.url);
  assert.equal(index.status, 200);
  assert.match(index.headers.get('content-type'), /^text\/html/);
  const csp = index.headers.get('content-security-policy');
  assert.match(csp, /default-src 'self'/);
  assert.match(csp, /script-src 'self'( 'sha256-[A-Za-z0-9+/=]+'){2};/, 'inline scripts only by hash');
  assert.ok(!/unsafe/.test(csp));
  // The page holds this moment's data for its first chart: never cached.
  assert.match(index.headers.get('cache-control'), /no-store/);
  const html = await index.text();
  assert.ok(!/\sstyle=|\son\w+=/i.test(html), 'no inline style attributes or handlers');
  assert.match(html, /<script type="application\/json" id="first-data">\{"t0":\d+,"t":\[0,/);
  const js = await fetch(daemon.url + 'vendor/uPlot.iife.min.js');
  assert.equal(js.status, 200);
  assert.match(js.headers.get('content-type'), /^text\/javascript/);
  const etag = js.headers.get('etag');
  assert.ok(etag, 'ETag on the scripts');
  assert.equal((await fetch(daemon.url + 'vendor/uPlot.iife.min.js', { headers: { 'If-None-Match': etag } })).status, 304);

  begin('launch Chromium');
  browser = await launchChromium(playwright, args.chromium);

  begin('the first picture is drawn from the page itself, before app.js');
  {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    const first = await context.newPage();
    watch(first, 'first picture');
    await first.route('**/app.js', (route) => route.abort()); // app.js never runs
    await first.goto(daemon.url, { waitUntil: 'commit', timeout: 60000 });
    await first.waitForFunction(() => performance.getEntriesByName('tidewatch:first-chart').length > 0, null, WAIT);
    const picture = await first.$eval('#chart-cpu', (box) => {
      const c = box.querySelector('canvas');
      return c && { w: c.width, h: c.height, painted: c.getContext('2d').getImageData(0, 0, c.width, c.height).data.some((x) => x) };
    });
    assert.ok(picture && picture.w > 100 && picture.h > 100 && picture.painted, 'a painted canvas in the CPU card');
    assert.equal(await first.$$eval('#chart-cpu .uplot', (e) => e.length), 0);
    await first.screenshot({ path: path.join(args.out, 'first-picture.png') });
    // With a stored range chosen the page is about to show hours, not the
    // last 20 s: no picture. first-chart.js runs while the page is parsed,
    // so after DOMContentLoaded it has decided.
    await context.addInitScript(() => localStorage.setItem('tidewatch.window', '21600000'));
    await context.route('**/app.js', (route) => route.abort());
    const stored = await context.newPage();
    watch(stored, 'first picture, stored range');
    await stored.goto(daemon.url, { waitUntil: 'domcontentloaded', timeout: 60000 });
    assert.equal(await stored.$$eval('#chart-cpu > canvas', (c) => c.length), 0, 'no picture for a stored range');
    await context.close();
  }

  const desktop = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'en-US', colorScheme: 'dark' });
  const page = await desktop.newPage();
  watch(page, 'desktop');
  await page.goto(daemon.url, { waitUntil: 'load', timeout: 60000 });

  begin('status becomes connected');
  await waitConnected(page);
  assert.equal(await page.$eval('#host', (e) => e.textContent), before.host);

  begin('charts receive points and the counter grows');
  await page.waitForFunction(() => Number(document.querySelector('#card-cpu')?.dataset.points || 0) > 1, null, WAIT);
  const u0 = await updates(page);
  const c0 = await chartInfo(page, 'cpu');
  await waitUpdatesAbove(page, u0 + 3);
  await page.waitForFunction((n) => Number(document.querySelector('#card-cpu')?.dataset.points) > n, c0.points, WAIT);
  for (const key of ['memory', 'network', 'load']) {
    const info = await chartInfo(page, key);
    assert.ok(info.points > 1, `${key} chart has points`);
  }
  assert.ok(await page.$$eval('#card-cpu canvas', (c) => c.length) > 0, 'CPU chart has a canvas');
  // uPlot's chart has taken the first picture's place: one chart, not two.
  assert.equal(await page.$$eval('#chart-cpu > canvas', (c) => c.length), 0, 'the first picture is gone');
  assert.equal(await page.$$eval('#chart-cpu .uplot', (c) => c.length), 1);

  begin('a hidden tab keeps receiving data but does not draw, then catches up');
  // Headless Chromium never hides a tab, so the page is told it is hidden
  // the way a browser tells it: document.hidden and a visibilitychange.
  const setHidden = (hidden) => page.evaluate((h) => {
    if (h) {
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    } else {
      delete document.hidden;
      delete document.visibilityState;
    }
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
  await setHidden(true);
  const hiddenAt = await chartInfo(page, 'cpu');
  const hiddenUpdates = await updates(page);
  await waitUpdatesAbove(page, hiddenUpdates + 8);
  assert.equal((await chartInfo(page, 'cpu')).points, hiddenAt.points, 'no drawing while hidden');
  await setHidden(false);
  await page.waitForFunction((n) => Number(document.querySelector('#card-cpu')?.dataset.points) >= n,
    hiddenAt.points + 8, WAIT);

  begin('back-fill provides points from before the page opened');
  const c1 = await chartInfo(page, 'cpu');
  assert.ok(c1.first > 0 && c1.first < before.ts,
    `first point ${c1.first} is older than the sample taken before navigation (${before.ts})`);
  // No gap and no duplicate where history meets the live stream: exactly
  // the server's samples in the same range.
  const shown = await chartInfo(page, 'cpu');
  const held = await serverPointCount(page, shown.first, shown.last);
  assert.equal(shown.points, held, `page shows ${shown.points} points, server holds ${held} in that range`);

  begin('CSV export of the visible range: header, ISO times, exactly the server\'s samples');
  const csv = await download(page, '#export');
  assert.match(csv.name, new RegExp(`^tidewatch_${before.host.replace(/[^A-Za-z0-9._-]+/g, '_')}_5min_\\d{8}T\\d{6}Z-\\d{8}T\\d{6}Z\\.csv$`));
  const table = parseCsv(csv.text);
  const header = table[0];
  assert.equal(header[0], 'time');
  for (const id of ['cpu.total', 'mem.percent', 'load.1']) assert.ok(header.includes(id), `CSV has a ${id} column`);
  assert.equal(new Set(header).size, header.length, 'no column twice');
  const body = table.slice(1);
  assert.ok(body.length > 10, `CSV has rows (${body.length})`);
  for (const r of body) {
    assert.equal(r.length, header.length, 'every row has every column');
    assert.match(r[0], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  }
  const times = body.map((r) => Date.parse(r[0]));
  const answer = await serverHistory(page, ['cpu.total'], times[0], times[times.length - 1]);
  assert.deepEqual(times, answer.ts, 'the rows are exactly the server\'s samples of that span, none missing or doubled');
  const cpuCol = header.indexOf('cpu.total');
  // The server's history keeps % to 2 decimals (llround(v * 100) / 100, as
  // the Hub and the store do); the page's newest rows came from live frames,
  // which carry the sampler's full values.
  const toHistoryPrecision = (v) => Math.sign(v) * Math.round(Math.abs(v) * 100) / 100;
  assert.deepEqual(body.map((r) => (r[cpuCol] === '' ? null : toHistoryPrecision(Number(r[cpuCol])))),
    answer.values['cpu.total'], 'cpu.total values as the server has them, to its precision');

  begin('zoom by dragging across a chart, then reset');
  const over = await page.$('#chart-cpu .u-over');
  const box = await over.boundingBox();
  const unzoomed = await view(page, 'cpu');
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2, { steps: 5 });
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  await page.waitForSelector('#zoom-reset:not([hidden])', WAIT);
  await page.waitForFunction(() => {
    const views = [...document.querySelectorAll('.card[data-view-from]')].map((e) => e.dataset.viewFrom + '-' + e.dataset.viewTo);
    const cpu = document.querySelector('#card-cpu').dataset;
    return Number(cpu.viewTo) < Number(cpu.lastTs) - 1000 && views.length >= 4 && new Set(views).size === 1;
  }, null, WAIT);
  const zoomed = await view(page, 'cpu');
  // The window is not full yet, so the whole span grows while the mouse
  // moves: the drag covered 30 % of a span between these two.
  const spanBefore = unzoomed.to - unzoomed.from;
  const spanNow = zoomed.last - zoomed.first;
  assert.ok(zoomed.to - zoomed.from < spanNow * 0.5 && zoomed.to - zoomed.from > spanBefore * 0.1,
    `zoomed to about 30 % of the span: ${zoomed.to - zoomed.from} of ${spanBefore}…${spanNow} ms`);
  assert.ok(zoomed.from >= unzoomed.from && zoomed.to <= unzoomed.last, 'the zoomed span lies inside the old one');
  const zoomedUpdates = await updates(page);
  await waitUpdatesAbove(page, zoomedUpdates + 4);
  await page.waitForFunction((n) => Number(document.querySelector('#card-cpu')?.dataset.points) > n, zoomed.points, WAIT);
  const still = await view(page, 'cpu');
  assert.deepEqual([still.from, still.to], [zoomed.from, zoomed.to], 'the zoomed view stays put while data arrives');
  const zoomCsv = parseCsv((await download(page, '#export')).text).slice(1).map((r) => Date.parse(r[0]));
  assert.ok(zoomCsv.length > 0 && zoomCsv[0] >= zoomed.from && zoomCsv[zoomCsv.length - 1] <= zoomed.to,
    'the CSV of a zoomed view holds that span only');
  await page.click('#zoom-reset');
  await page.waitForSelector('#zoom-reset', { state: 'hidden', ...WAIT });
  await page.waitForFunction(() => {
    const d = document.querySelector('#card-cpu').dataset;
    return Number(d.viewTo) === Number(d.lastTs) && Number(d.viewFrom) <= Number(d.firstTs);
  }, null, WAIT);

  begin('range switching: a shorter live window, a stored range, back to live');
  await page.selectOption('#window', '60000');
  await page.waitForFunction(() => {
    const d = document.querySelector('#card-cpu').dataset;
    return Number(d.points) > 1 && Number(d.lastTs) - Number(d.firstTs) <= 60000;
  }, null, WAIT);
  const oneMin = await view(page, 'cpu');
  assert.equal(oneMin.points, await serverPointCount(page, oneMin.first, oneMin.last), 'the 1-minute window back-filled exactly');
  assert.equal(await page.evaluate(() => localStorage.getItem('tidewatch.window')), '60000', 'the choice is remembered');
  // 6 h reaches past the in-memory history: the server answers from its
  // store, or without one from memory; either way the page shows the answer
  // as it is and does not append live frames to it.
  await page.selectOption('#window', '21600000');
  await page.waitForFunction(() => ['memory', 'raw', 'minute', 'hour'].includes(document.querySelector('main').dataset.tier), null, WAIT);
  await page.waitForFunction(() => Number(document.querySelector('#card-cpu')?.dataset.viewTo) -
    Number(document.querySelector('#card-cpu').dataset.viewFrom) === 21600000, null, WAIT);
  const stored = await view(page, 'cpu');
  assert.ok(stored.points > 1, 'the 6-hour view has points');
  const storedUpdates = await updates(page);
  await waitUpdatesAbove(page, storedUpdates + 8);
  assert.equal((await view(page, 'cpu')).points, stored.points, 'a stored range is not appended to at the live rate');
  assert.notEqual(await page.$eval('#range-note', (e) => e.textContent), '', 'the page says where the data comes from');
  await page.selectOption('#window', '300000');
  await page.waitForFunction(() => document.querySelector('main').dataset.tier === 'live', null, WAIT);
  await page.waitForFunction(() => Number(document.querySelector('#card-cpu')?.dataset.points) > 1, null, WAIT);
  const live = await view(page, 'cpu');
  await page.waitForFunction((n) => Number(document.querySelector('#card-cpu')?.dataset.points) > n, live.points, WAIT);
  assert.equal((await view(page, 'cpu')).points - 0 > live.points, true, 'back to live: points are appended again');

  begin('CSV fields with commas and quotes are quoted (an interface named we,"x)');
  // A daemon reading a captured /proc with one more interface, whose name
  // (legal on Linux) holds a comma and a quote.
  const root = path.join(tmp, 'root');
  fs.cpSync(path.join(here, '..', 'platform', 'fixtures', 'thisbox', 't0'), root, { recursive: true });
  fs.appendFileSync(path.join(root, 'proc', 'net', 'dev'), '  we,"x:  1000  10 0 0 0 0 0 0  2000 20 0 0 0 0 0 0\n');
  const odd = new Daemon(args.daemon, { intervalMs: 250, extraArgs: ['--root', root] });
  try {
    await odd.start(0);
    await odd.waitForSamples(4);
    const oddPage = await desktop.newPage();
    watch(oddPage, 'odd names');
    await oddPage.goto(odd.url, { waitUntil: 'load', timeout: 60000 });
    await oddPage.waitForFunction(() => Number(document.querySelector('#card-network')?.dataset.points || 0) > 2, null, WAIT);
    const oddCsv = await download(oddPage, '#export');
    const firstLine = oddCsv.text.slice(0, oddCsv.text.indexOf('\r\n'));
    assert.ok(firstLine.includes(',"net.we,""x.rx","net.we,""x.tx"'), `quoted header fields: ${firstLine}`);
    const oddTable = parseCsv(oddCsv.text);
    assert.ok(oddTable[0].includes('net.we,"x.rx') && oddTable[0].includes('net.we,"x.tx'), 'the ids read back as they are');
    assert.ok(oddTable.length > 2, 'rows under the header');
    for (const r of oddTable) assert.equal(r.length, oddTable[0].length, 'every row has every column');
    await oddPage.close();
  } finally {
    await odd.stop();
    odd.cleanup();
  }

  begin('a 4K-wide screen (3840 px) uses its width');
  const fourK = await browser.newContext({ viewport: { width: 3840, height: 2160 }, locale: 'en-US' });
  const bigPage = await fourK.newPage();
  watch(bigPage, '4k');
  await bigPage.goto(daemon.url, { waitUntil: 'load', timeout: 60000 });
  await bigPage.waitForFunction(() => [...document.querySelectorAll('.card .chart')]
    .every((b) => b.querySelector('canvas') || b.querySelector('.empty')) &&
    Number(document.querySelector('#card-cpu').dataset.points || 0) > 1, null, WAIT);
  const layout = await bigPage.evaluate(() => {
    const top = (e) => Math.round(e.getBoundingClientRect().top);
    const cards = [...document.querySelectorAll('#cards > .card')];
    return {
      scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth,
      firstRow: cards.filter((c) => top(c) === top(cards[0])).length,
      tileRows: new Set([...document.querySelectorAll('.tile')].map(top)).size,
      tilesRight: Math.max(...[...document.querySelectorAll('.tile')].map((e) => e.getBoundingClientRect().right)),
      mainRight: document.querySelector('#tiles').getBoundingClientRect().right,
      header: document.querySelector('.topbar').getBoundingClientRect().height,
      charts: [...document.querySelectorAll('.card .chart')].filter((b) => b.querySelector('canvas'))
        .map((b) => [b.clientWidth, b.querySelector('.u-wrap').getBoundingClientRect().width]),
    };
  });
  await bigPage.screenshot({ path: path.join(args.out, 'dashboard-4k.png') });
  assert.ok(layout.scroll <= layout.client, `no horizontal scroll at 3840 px: ${JSON.stringify(layout)}`);
  assert.ok(layout.firstRow >= 4, `four or more cards side by side: ${layout.firstRow}`);
  assert.equal(layout.tileRows, 1, 'the summary tiles fit in one row');
  assert.ok(layout.tilesRight >= layout.mainRight - 2, `the tiles span the row: ${layout.tilesRight} of ${layout.mainRight}`);
  assert.ok(layout.header < 120, `the header stays one bar: ${layout.header} px`);
  for (const [box, plot] of layout.charts) {
    assert.ok(box >= 400 && Math.abs(box - plot) <= 2, `each chart fills its card: ${box} / ${plot} px`);
  }
  await fourK.close();

  begin('the client count reaches 2 with a second page (360 px phone)');
  const phone = await browser.newContext({ viewport: { width: 360, height: 780 }, locale: 'en-US', deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  const phonePage = await phone.newPage();
  watch(phonePage, 'phone');
  await phonePage.goto(daemon.url, { waitUntil: 'load', timeout: 60000 });
  await waitConnected(phonePage);
  await page.waitForFunction(() => document.querySelector('#clients').textContent.trim() === '2', null, WAIT);
  await phonePage.waitForFunction(() => document.querySelector('#clients').textContent.trim() === '2', null, WAIT);

  begin('the 360 px layout has no horizontal scroll');
  await phonePage.waitForFunction(() => Number(document.querySelector('#card-cpu')?.dataset.points || 0) > 1, null, WAIT);
  const overflow = await phonePage.evaluate(() => ({
    scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth,
    body: document.body.scrollWidth, inner: window.innerWidth,
  }));
  assert.ok(overflow.scroll <= overflow.client && overflow.body <= overflow.inner,
    `no horizontal scroll at 360 px: ${JSON.stringify(overflow)}`);
  const wide = await phonePage.evaluate(() => [...document.querySelectorAll('main *')]
    .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5 && !e.closest('.table-wrap'))
    .slice(0, 5).map((e) => `${e.tagName}.${e.className}`));
  assert.deepEqual(wide, [], 'no element sticks out of the 360 px viewport');

  begin('a process named with HTML markup renders as text');
  const exe = path.join(tmp, MARKUP_NAME);
  fs.copyFileSync('/usr/bin/yes', exe);
  fs.chmodSync(exe, 0o755);
  busy = spawn(exe, [], { stdio: 'ignore' }); // busy: it tops the CPU list
  await page.waitForFunction((name) => [...document.querySelectorAll('#process-rows td.name')]
    .some((td) => td.textContent === name), MARKUP_NAME, WAIT);
  assert.equal(await page.$$eval('#process-rows img, #process-rows b, #process-rows i', (e) => e.length), 0,
    'no element was created from the process name');

  begin('screenshots');
  await page.evaluate(() => document.activeElement && document.activeElement.blur());
  await page.waitForFunction(() => Number(document.querySelector('#card-cpu')?.dataset.points || 0) > 20, null, WAIT);
  await page.screenshot({ path: path.join(args.out, 'dashboard-desktop.png'), fullPage: true });
  await phonePage.screenshot({ path: path.join(args.out, 'dashboard-phone.png'), fullPage: true });
  await phonePage.screenshot({ path: path.join(args.out, 'dashboard-phone-top.png') });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.waitForFunction(() => document.documentElement.dataset.theme === 'light', null, WAIT);
  await page.screenshot({ path: path.join(args.out, 'dashboard-desktop-light.png'), fullPage: false });
  await page.emulateMedia({ colorScheme: 'dark' });
  busy.kill('SIGKILL');
  busy = null;

  begin('labels follow the browser language (German)');
  const german = await browser.newContext({ viewport: { width: 1024, height: 800 }, locale: 'de-DE' });
  const dePage = await german.newPage();
  watch(dePage, 'german');
  await dePage.goto(daemon.url, { waitUntil: 'load', timeout: 60000 });
  await waitConnected(dePage);
  assert.equal(await dePage.$eval('#status-text', (e) => e.textContent), 'Verbunden');
  assert.equal(await dePage.$eval('#card-processes h2', (e) => e.textContent), 'Top-Prozesse');
  assert.equal(await dePage.evaluate(() => document.documentElement.lang), 'de');
  assert.equal(await dePage.$eval('#window optgroup:nth-of-type(2)', (e) => e.label), 'Gespeicherter Verlauf');
  assert.equal(await dePage.$eval('#window option[value="604800000"]', (e) => e.textContent), '7 Tage');
  assert.match(await dePage.$eval('#export', (e) => e.title), /als CSV herunterladen/);
  await german.close();

  begin('Simplified Chinese: translated, locale formats, no label clipped');
  const chinese = await browser.newContext({ viewport: { width: 1024, height: 800 }, locale: 'zh-CN' });
  const zhPage = await chinese.newPage();
  watch(zhPage, 'chinese');
  await zhPage.goto(daemon.url, { waitUntil: 'load', timeout: 60000 });
  await waitConnected(zhPage);
  await waitUpdatesAbove(zhPage, 2);
  assert.equal(await zhPage.evaluate(() => document.documentElement.lang), 'zh-CN');
  assert.equal(await zhPage.$eval('#status-text', (e) => e.textContent), '已连接');
  assert.equal(await zhPage.$eval('#card-processes h2', (e) => e.textContent), '主要进程');
  // Every translated text that is on screen fits its box (no overflow cut off).
  const zhClipped = await zhPage.$$eval('[data-i18n]', (els) => els
    // Inline elements have no box (clientWidth 0); 1 px boxes are the visually
    // hidden labels for screen readers, clipped on purpose.
    .filter((e) => e.offsetParent !== null && e.clientWidth > 1 && e.scrollWidth > e.clientWidth + 1)
    .map((e) => `${e.dataset.i18n}: "${e.textContent}" ${e.scrollWidth} > ${e.clientWidth}`));
  assert.deepEqual(zhClipped, [], 'zh-CN labels clipped');
  await zhPage.screenshot({ path: path.join(args.out, 'dashboard-zh-CN.png') });
  await chinese.close();

  begin('the page survives a server restart and reconnects on its own');
  const port = daemon.port;
  await daemon.stop();
  await page.waitForFunction(() => document.querySelector('#status').dataset.state !== 'connected', null, WAIT);
  console.log(`  page state while the server is down: ${await state(page)}`);
  await daemon.start(port);
  assert.equal(daemon.port, port);
  await page.waitForFunction(() => document.querySelector('#status').dataset.state === 'connected', null, { timeout: 120000 });
  const u1 = await updates(page);
  await waitUpdatesAbove(page, u1 + 3);
  const activity = await page.$$eval('#activity li span', (e) => e.map((x) => x.textContent));
  assert.ok(activity.some((a) => /Reconnecting in/.test(a)), 'the activity feed shows the reconnect attempt');
  assert.ok(activity.length <= 20, 'the activity feed keeps at most 20 entries');

  begin('heartbeat every 30 s and reconnect back-off capped at 30 s (Playwright\'s fake clock)');
  // The page's timers run on Playwright's clock, moved on by hand; what the
  // page sends is counted in the page itself, so nothing here waits on time.
  const clocked = await browser.newContext({ viewport: { width: 1024, height: 800 }, locale: 'en-US' });
  await clocked.addInitScript(() => {
    window.sentFrames = [];
    const send = WebSocket.prototype.send;
    WebSocket.prototype.send = function (data) { window.sentFrames.push([Date.now(), String(data)]); return send.call(this, data); };
    window.pongs = 0;
    const Native = window.WebSocket;
    window.WebSocket = class extends Native {
      constructor(...a) {
        super(...a);
        this.addEventListener('message', (e) => { if (String(e.data).startsWith('{"type":"pong"')) window.pongs++; });
      }
    };
  });
  // The pong timeout is 10 s on the fake clock, a fraction of a second of
  // real time here: before moving the clock on, every ping must have had
  // its (real) answer, or the page would rightly give up on the server.
  const answeredPings = () => window.pongs >= window.sentFrames.filter(([, d]) => d.includes('"type":"ping"')).length;
  await clocked.clock.install();
  const cp = await clocked.newPage();
  watch(cp, 'clock');
  await cp.goto(daemon.url, { waitUntil: 'load', timeout: 60000 });
  const settle = async (check, arg) => {
    for (let i = 0; i < 600; i++) {
      if (await cp.evaluate(check, arg)) return;
      await new Promise((r) => setTimeout(r, 50)); // real time: lets real network events in
    }
    throw new Error(`page never reached: ${check}`);
  };
  await settle(() => document.querySelector('#status').dataset.state === 'connected' &&
    document.querySelector('#latency').textContent !== '–');
  const pingTimes = () => cp.evaluate(() => window.sentFrames.filter(([, d]) => d.includes('"type":"ping"')).map(([t]) => t));
  const heartbeatStart = (await pingTimes()).length;
  for (let i = 0; i < 95; i++) {
    await cp.clock.fastForward(1000);
    await settle(answeredPings);
  }
  assert.equal(await cp.$eval('#status', (e) => e.dataset.state), 'connected');
  const beats = (await pingTimes()).slice(heartbeatStart);
  assert.equal(beats.length, 3, `three heartbeats in 95 s: ${beats}`);
  for (let i = 1; i < beats.length; i++) {
    assert.ok(Math.abs(beats[i] - beats[i - 1] - 30000) <= 1000, `heartbeats 30 s apart: ${beats}`);
  }
  // A stored range is asked for again after a minute, not appended to.
  await cp.selectOption('#window', '21600000');
  await settle(() => ['memory', 'raw', 'minute', 'hour'].includes(document.querySelector('main').dataset.tier));
  const rangeAsks = () => cp.evaluate(() => window.sentFrames
    .filter(([, d]) => d.includes('"type":"history"') && d.includes('"from"') && !d.includes('window_ms')).length);
  const asked = await rangeAsks();
  for (let i = 0; i < 55; i++) { await cp.clock.fastForward(1000); await settle(answeredPings); }
  assert.equal(await rangeAsks(), asked, 'not asked again within 55 s');
  for (let i = 0; i < 10; i++) { await cp.clock.fastForward(1000); await settle(answeredPings); }
  await settle((n) => window.sentFrames.filter(([, d]) => d.includes('"type":"history"') && d.includes('"from"') &&
    !d.includes('window_ms')).length > n, asked);
  await cp.selectOption('#window', '300000');
  await settle(() => document.querySelector('main').dataset.tier === 'live');
  await daemon.stop();
  const delays = [];
  for (let attempt = 1; attempt <= 8; attempt++) {
    await settle((n) => [...document.querySelectorAll('#activity li span')]
      .some((e) => e.textContent.endsWith(`(attempt ${n})`)), attempt);
    const text = await cp.evaluate((n) => [...document.querySelectorAll('#activity li span')]
      .find((e) => e.textContent.endsWith(`(attempt ${n})`)).textContent, attempt);
    delays.push(Number(/in ([\d.]+) s/.exec(text)[1]));
    await cp.clock.fastForward(31000); // past any delay: the next attempt fails at once
  }
  console.log(`  reconnect delays: ${delays.join(', ')} s`);
  delays.forEach((d, i) => {
    const base = Math.min(30, 2 ** i);
    assert.ok(d <= base && d >= base * 0.75 - 0.05, `attempt ${i + 1}: ${d} s within 75–100 % of ${base} s`);
  });
  assert.ok(delays.slice(5).every((d) => d <= 30 && d >= 22.45), `capped at 30 s: ${delays}`);
  await clocked.close();

  begin('no script errors, CSP refusals or dialogs');
  assert.deepEqual(problems, []);
  console.log(`ok: screenshots in ${args.out}`);
}

let failed = false;
try {
  await main();
} catch (e) {
  failed = true;
  console.error(`FAILED at step "${step}": ${e.stack || e}`);
  if (problems.length) console.error(`page problems:\n  ${problems.join('\n  ')}`);
} finally {
  if (busy) busy.kill('SIGKILL');
  if (browser) await browser.close().catch(() => {});
  await daemon.stop().catch(() => {});
  daemon.cleanup();
  fs.rmSync(tmp, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);

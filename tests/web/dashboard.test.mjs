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
import { Daemon, launchChromium, loadPlaywright, parseArgs, here } from './harness.mjs';

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
function watch(page, name) {
  page.on('pageerror', (e) => problems.push(`${name}: page error: ${e.message}`));
  page.on('dialog', (d) => { problems.push(`${name}: dialog "${d.message()}"`); d.dismiss().catch(() => {}); });
  page.on('console', (m) => {
    const text = m.text();
    if (/Content Security Policy|Refused to/i.test(text)) problems.push(`${name}: ${text}`);
    else if (m.type() === 'error' && !/WebSocket|ERR_CONNECTION_REFUSED|Failed to load resource/.test(text)) {
      problems.push(`${name}: console error: ${text}`);
    }
  });
}

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

async function main() {
  const playwright = loadPlaywright(args.modules);
  fs.mkdirSync(args.out, { recursive: true });

  begin('start tidewatchd and let it gather some history');
  await daemon.start(0);
  const before = await daemon.waitForSamples(8);
  console.log(`  ${daemon.url}, seq ${before.seq} at ${before.ts}`);

  begin('HTTP headers of the dashboard');
  const index = await fetch(daemon.url);
  assert.equal(index.status, 200);
  assert.match(index.headers.get('content-type'), /^text\/html/);
  assert.match(index.headers.get('content-security-policy'), /default-src 'self'/);
  assert.match(index.headers.get('cache-control'), /no-cache/);
  const etag = index.headers.get('etag');
  assert.ok(etag, 'ETag on /');
  const html = await index.text();
  assert.ok(!/<script>|\sstyle=|\son\w+=/i.test(html), 'no inline script, style or handlers');
  assert.equal((await fetch(daemon.url, { headers: { 'If-None-Match': etag } })).status, 304);
  const js = await fetch(daemon.url + 'vendor/uPlot.iife.min.js');
  assert.equal(js.status, 200);
  assert.match(js.headers.get('content-type'), /^text\/javascript/);

  begin('launch Chromium');
  browser = await launchChromium(playwright, args.chromium);
  const desktop = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'en-US', colorScheme: 'dark' });
  const page = await desktop.newPage();
  watch(page, 'desktop');
  await page.goto(daemon.url, { waitUntil: 'load', timeout: 60000 });

  begin('status becomes connected');
  await waitConnected(page);
  assert.equal(await page.$eval('#host', (e) => e.textContent), before.host);

  begin('charts receive points and the counter grows');
  await page.waitForFunction(() => Number(document.querySelector('#card-cpu').dataset.points || 0) > 1, null, WAIT);
  const u0 = await updates(page);
  const c0 = await chartInfo(page, 'cpu');
  await waitUpdatesAbove(page, u0 + 3);
  await page.waitForFunction((n) => Number(document.querySelector('#card-cpu').dataset.points) > n, c0.points, WAIT);
  for (const key of ['memory', 'network', 'load']) {
    const info = await chartInfo(page, key);
    assert.ok(info.points > 1, `${key} chart has points`);
  }
  assert.ok(await page.$$eval('#card-cpu canvas', (c) => c.length) > 0, 'CPU chart has a canvas');

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
  await page.waitForFunction((n) => Number(document.querySelector('#card-cpu').dataset.points) >= n,
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

  begin('the client count reaches 2 with a second page (360 px phone)');
  const phone = await browser.newContext({ viewport: { width: 360, height: 780 }, locale: 'en-US', deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  const phonePage = await phone.newPage();
  watch(phonePage, 'phone');
  await phonePage.goto(daemon.url, { waitUntil: 'load', timeout: 60000 });
  await waitConnected(phonePage);
  await page.waitForFunction(() => document.querySelector('#clients').textContent.trim() === '2', null, WAIT);
  await phonePage.waitForFunction(() => document.querySelector('#clients').textContent.trim() === '2', null, WAIT);

  begin('the 360 px layout has no horizontal scroll');
  await phonePage.waitForFunction(() => Number(document.querySelector('#card-cpu').dataset.points || 0) > 1, null, WAIT);
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
  await page.waitForFunction(() => Number(document.querySelector('#card-cpu').dataset.points || 0) > 20, null, WAIT);
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
  await german.close();

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

#!/usr/bin/env node
// SPDX-License-Identifier: GPL-3.0-or-later
// End-to-end test of the dashboard's stored ranges (issue #5) against a real
// tidewatchd with a history store, registered in CTest as web_dashboard_store
// (on by default; -DTIDEWATCH_WEB_STORE_TEST=OFF leaves it out).
//
// It checks the page against the server's own answers, never against fixed
// numbers: what the page charts and exports for a stored range is what
// GET /api/v1/history answers for the same request, with the envelope bands
// and .min/.max CSV columns exactly when the server downsampled.
//
//   node dashboard-store.test.mjs --daemon build/src/app/tidewatchd/tidewatchd \
//        --modules build/tests/web/npm/node_modules --out build/tests/web/screenshots
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Daemon, launchChromium, loadPlaywright, parseArgs, parseCsv, here } from './harness.mjs';

const args = parseArgs(process.argv.slice(2), {
  daemon: '', modules: path.join(here, 'node_modules'), chromium: '/usr/bin/chromium',
  out: path.join(os.tmpdir(), 'tidewatch-web-screenshots'),
});
if (!args.daemon) throw new Error('--daemon PATH_TO_TIDEWATCHD is required');

const WAIT = { timeout: 60000 };
const SIX_HOURS = 21600000;
let step = '';
const begin = (name) => { step = name; console.log(`# ${name}`); };

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tidewatch-web-store-'));
// One minute in memory, so that a 6-hour range must come from the store.
const daemon = new Daemon(args.daemon, {
  intervalMs: 100, historyMinutes: 1, extraArgs: ['--database', path.join(tmp, 'history.db')],
});
const bare = new Daemon(args.daemon, { intervalMs: 250, historyMinutes: 1, extraArgs: ['--no-history'] });
let browser = null;
const problems = [];

function watch(page, name) {
  page.on('pageerror', (e) => problems.push(`${name}: page error: ${e.message}`));
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) problems.push(`${name}: ${m.text()}`);
  });
}

// The history requests the page sends, as objects, recorded in the page.
async function recordSends(context) {
  await context.addInitScript(() => {
    window.sentFrames = [];
    const send = WebSocket.prototype.send;
    WebSocket.prototype.send = function (data) { window.sentFrames.push(String(data)); return send.call(this, data); };
  });
}
const historyRequests = (page) => page.evaluate(() => window.sentFrames.map((d) => JSON.parse(d))
  .filter((m) => m.type === 'history'));

// The same question over HTTP, as the contract has it.
async function httpHistory(url, req) {
  const q = new URLSearchParams();
  for (const m of req.metrics || []) q.append('metric', m);
  if (req.from !== undefined) q.set('from', String(req.from));
  if (req.to !== undefined) q.set('to', String(req.to));
  q.set('points', String(req.max_points));
  const res = await fetch(`${url}api/v1/history?${q}`);
  assert.equal(res.status, 200, `GET /api/v1/history answers 200 (got ${res.status})`);
  return res.json();
}

async function download(page) {
  const [file] = await Promise.all([page.waitForEvent('download', WAIT), page.click('#export')]);
  const target = path.join(args.out, 'store-' + file.suggestedFilename());
  await file.saveAs(target);
  return fs.readFileSync(target, 'utf8');
}

async function main() {
  const playwright = loadPlaywright(args.modules);
  fs.mkdirSync(args.out, { recursive: true });

  begin('start tidewatchd with a store and let it write');
  await daemon.start(0);
  await daemon.waitForSamples(600, 180000); // a minute at 100 ms: the store has rows
  const health = await (await fetch(daemon.url + 'healthz')).json();
  assert.equal(health.store && health.store.state, 'ok', `store ok in /healthz: ${JSON.stringify(health.store)}`);

  browser = await launchChromium(playwright, args.chromium);
  // Narrow: few points per series, so that the server has to downsample.
  const context = await browser.newContext({ viewport: { width: 420, height: 900 }, locale: 'en-US' });
  await recordSends(context);
  await context.addInitScript((ms) => localStorage.setItem('tidewatch.window', String(ms)), SIX_HOURS);
  const page = await context.newPage();
  watch(page, 'store');
  const answers = []; // the history answers the page received, parsed
  page.on('websocket', (socket) => socket.on('framereceived', (f) => {
    if (typeof f.payload === 'string' && f.payload.startsWith('{"type":"history"')) answers.push(JSON.parse(f.payload));
  }));

  begin('a 6-hour range is read from the store and shown as the server answers it');
  await page.goto(daemon.url, { waitUntil: 'load', timeout: 60000 });
  await page.waitForFunction(() => ['raw', 'minute', 'hour'].includes(document.querySelector('main').dataset.tier), null, WAIT);
  const req = (await historyRequests(page)).pop();
  assert.ok(req.from > 0 && req.max_points > 0, `the page asked for a range: ${JSON.stringify(req)}`);
  const answer = answers[answers.length - 1];
  console.log(`  asked ${JSON.stringify({ ...req, metrics: req.metrics.length + ' patterns' })}; answered ` +
    JSON.stringify({ from: answer.from, to: answer.to, step: answer.step, step_ms: answer.step_ms, tier: answer.tier, points: answer.ts.length }));
  assert.equal(await page.$eval('main', (e) => e.dataset.tier), answer.tier, 'the page names the tier the server used');
  // The same question over HTTP, pinned to the span the WebSocket answer
  // covered, gets the same points.
  const viaHttp = await httpHistory(daemon.url, { metrics: ['cpu.total'], from: req.from, to: answer.to, max_points: req.max_points });
  assert.equal(viaHttp.tier, answer.tier);
  assert.deepEqual(viaHttp.ts, answer.ts, 'HTTP and WebSocket answer the same range alike');
  const csv = parseCsv(await download(page));
  const header = csv[0];
  const rows = csv.slice(1);
  const times = rows.map((r) => Date.parse(r[0]));
  const inView = answer.ts.filter((t) => t >= times[0] && t <= times[times.length - 1]);
  assert.deepEqual(times, inView, 'the CSV rows are the server\'s points of the stored range');
  // Memory averages `step` samples; the store answers buckets `step_ms` wide.
  const downsampled = (answer.step > 1 || answer.step_ms > 0) && answer.min && answer.max && answer.min['cpu.total'];
  if (downsampled) {
    assert.ok(header.includes('cpu.total.min') && header.includes('cpu.total.max'), 'envelope columns in the CSV');
    const at = (name) => header.indexOf(name);
    const pick = (r, name) => (r[at(name)] === '' ? null : Number(r[at(name)]));
    const off = answer.ts.indexOf(times[0]);
    rows.forEach((r, i) => {
      assert.equal(pick(r, 'cpu.total.min'), answer.min['cpu.total'][off + i]);
      assert.equal(pick(r, 'cpu.total.max'), answer.max['cpu.total'][off + i]);
    });
    // Bands: two hidden legend rows (max, min) per charted series.
    const hidden = await page.$$eval('#chart-cpu .u-legend .u-series', (rs) => rs.filter((r) => r.style.display === 'none').length);
    assert.ok(hidden >= 2, `the CPU chart has envelope band series (${hidden} hidden legend rows)`);
  } else {
    assert.ok(!header.some((h) => h.endsWith('.min') || h.endsWith('.max')), 'no envelope columns without downsampling');
    console.log(`  note: the server did not downsample (step ${answer.step}, step_ms ${answer.step_ms}); the band checks did not run`);
  }

  begin('a stored range is not appended to live; zooming asks for the span');
  const points = await page.$eval('#card-cpu', (e) => Number(e.dataset.points));
  const u0 = await page.$eval('#updates', (e) => Number(e.textContent.replace(/\D/g, '')));
  await page.waitForFunction((n) => Number(document.querySelector('#updates').textContent.replace(/\D/g, '')) > n + 10, u0, WAIT);
  assert.equal(await page.$eval('#card-cpu', (e) => Number(e.dataset.points)), points);
  const before = (await historyRequests(page)).length;
  const box = await (await page.$('#chart-cpu .u-over')).boundingBox();
  await page.mouse.move(box.x + box.width * 0.85, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.99, box.y + box.height / 2, { steps: 6 });
  await page.mouse.up();
  await page.waitForFunction((n) => window.sentFrames.filter((d) => d.includes('"type":"history"')).length > n, before, WAIT);
  const zoomReq = (await historyRequests(page)).pop();
  assert.ok(zoomReq.from > req.from && zoomReq.to > zoomReq.from, `zoom asks for the span: ${JSON.stringify(zoomReq)}`);
  await page.screenshot({ path: path.join(args.out, 'dashboard-store-phone.png'), fullPage: true });
  await page.click('#zoom-reset');
  await page.waitForSelector('#zoom-reset', { state: 'hidden', ...WAIT });

  begin('without a store a long range shows what memory holds, and says so');
  await bare.start(0);
  await bare.waitForSamples(8);
  const bareHealth = await (await fetch(bare.url + 'healthz')).json();
  assert.equal(bareHealth.store && bareHealth.store.state, 'off');
  const barePage = await context.newPage();
  watch(barePage, 'no store');
  await barePage.goto(bare.url, { waitUntil: 'load', timeout: 60000 });
  await barePage.waitForFunction(() => document.querySelector('main').dataset.tier === 'memory', null, WAIT);
  assert.match(await barePage.$eval('#range-note', (e) => e.textContent), /memory/i);
  assert.ok(await barePage.$eval('#card-cpu', (e) => Number(e.dataset.points)) > 1);

  begin('no script errors or CSP refusals');
  assert.deepEqual(problems, []);
  console.log('ok');
}

let failed = false;
try {
  await main();
} catch (e) {
  failed = true;
  console.error(`FAILED at step "${step}": ${e.stack || e}`);
} finally {
  if (browser) await browser.close().catch(() => {});
  for (const d of [daemon, bare]) {
    await d.stop().catch(() => {});
    d.cleanup();
  }
  fs.rmSync(tmp, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);

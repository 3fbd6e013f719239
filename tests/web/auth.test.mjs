#!/usr/bin/env node
// SPDX-License-Identifier: GPL-3.0-or-later
// End-to-end test of the login in the browser: a real tidewatchd with a
// token, Debian's headless Chromium. The login page and a wrong and a right
// token, a one-time login link (once only), logout, a session that ended
// with a server restart, a page of another origin that tries the feed, the
// failure limit, and a screenshot of the login page on a phone.
//
//   node auth.test.mjs --daemon build/src/app/tidewatchd/tidewatchd \
//        --modules build/tests/web/npm/node_modules --out build/tests/web/screenshots \
//        [--scheme http|https]
//
// With --scheme https the daemon serves a throwaway self-signed certificate
// (made here with openssl) and the browser is told to accept it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { Daemon, launchChromium, loadPlaywright, parseArgs, here, watchPage } from './harness.mjs';

const args = parseArgs(process.argv.slice(2), {
  daemon: '', modules: path.join(here, 'node_modules'), chromium: '/usr/bin/chromium',
  out: path.join(os.tmpdir(), 'tidewatch-web-screenshots'), scheme: 'http',
});
if (!args.daemon) throw new Error('--daemon PATH_TO_TIDEWATCHD is required');
if (args.scheme !== 'http' && args.scheme !== 'https') throw new Error('--scheme is http or https');
const TLS = args.scheme === 'https';

const WAIT = { timeout: 60000 };
const TOKEN = crypto.randomBytes(24).toString('hex');
const WRONG = 'not-the-token-' + crypto.randomBytes(8).toString('hex');
let step = '';
const begin = (name) => { step = name; console.log(`# ${name}`); };

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tidewatch-web-auth-'));
let ca = null;
const tlsArgs = [];
if (TLS) {
  const cert = path.join(tmp, 'cert.pem');
  const key = path.join(tmp, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert], { stdio: ['ignore', 'ignore', 'pipe'] });
  fs.chmodSync(key, 0o600);
  ca = fs.readFileSync(cert);
  tlsArgs.push('--tls-cert', cert, '--tls-key', key);
}
const transport = TLS ? https : http;

const daemon = new Daemon(args.daemon, {
  intervalMs: 250, env: { TIDEWATCH_TOKEN: TOKEN }, extraArgs: ['--print-login-link', ...tlsArgs],
});
let browser = null;
let evil = null;

// Page problems collected for the whole run: script errors, CSP refusals,
// dialogs. A refused request or socket logs a console error by itself,
// which is what some steps expect.
const problems = [];
const watch = (page, name) => watchPage(page, name, problems);

// A request from Node (not a browser: no Origin, no cookie jar).
function request(method, target, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = transport.request(new URL(target, daemon.url), { method, headers, ca, agent: false, timeout: 15000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${target} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

// The status a WebSocket handshake gets: 101, or the refusal's.
function upgradeStatus(headers) {
  return new Promise((resolve, reject) => {
    const req = transport.request(new URL('/ws', daemon.url), {
      headers: {
        Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': crypto.randomBytes(16).toString('base64'), ...headers,
      },
      ca, agent: false, timeout: 15000,
    });
    req.on('upgrade', (res, socket) => { socket.destroy(); resolve(res.statusCode); });
    req.on('response', (res) => { res.resume(); resolve(res.statusCode); });
    req.on('timeout', () => req.destroy(new Error('upgrade timed out')));
    req.on('error', reject);
    req.end();
  });
}

async function waitForSamples(count) {
  const deadline = Date.now() + 60000;
  for (;;) {
    const r = await request('GET', '/api/v1/snapshot', { Authorization: `Bearer ${TOKEN}` }).catch(() => null);
    if (r && r.status === 200 && JSON.parse(r.body).seq >= count) return JSON.parse(r.body);
    if (Date.now() > deadline) throw new Error(`fewer than ${count} samples in 60 s`);
    await new Promise((res) => setTimeout(res, 100));
  }
}

const onPath = (page, pathname) => page.waitForURL((u) => u.pathname === pathname, WAIT);
// Live data: connected, the CPU chart has points and the counter grows.
async function waitLive(page) {
  await page.waitForFunction(() => document.querySelector('#status').dataset.state === 'connected', null, WAIT);
  await page.waitForFunction(() => Number(document.querySelector('#card-cpu')?.dataset.points || 0) > 1, null, WAIT);
  const count = () => page.$eval('#updates', (e) => Number(e.textContent.replace(/\D/g, '')) || 0);
  const u0 = await count();
  await page.waitForFunction((min) => Number(document.querySelector('#updates').textContent.replace(/\D/g, '')) > min,
    u0 + 2, WAIT);
}
const errorText = (page) => page.$eval('#error', (e) => e.textContent);
const waitError = (page, re) => page.waitForFunction((src) => new RegExp(src).test(document.querySelector('#error').textContent),
  re.source, WAIT);
async function signIn(page, token) {
  await page.fill('#token', token);
  await page.click('#submit');
}
async function sessionCookie(context) {
  const c = (await context.cookies(daemon.url)).find((x) => x.name === 'tidewatch_session');
  return c ? `${c.name}=${c.value}` : '';
}
const newContext = (options = {}) => browser.newContext({
  viewport: { width: 1280, height: 800 }, locale: 'en-US', ignoreHTTPSErrors: TLS, ...options,
});

async function main() {
  const playwright = loadPlaywright(args.modules);
  fs.mkdirSync(args.out, { recursive: true });

  begin(`start tidewatchd (${args.scheme}) with a token and --print-login-link`);
  await daemon.start(0);
  assert.ok(daemon.url.startsWith(`${args.scheme}://`), daemon.url);
  const link = (await daemon.waitForOutput(/tidewatchd: login link \(one use, 5 minutes\): (\S+)/))[1];
  assert.ok(link.startsWith(`${daemon.url}login?code=`), link);
  assert.ok(daemon.output.indexOf('serving') < daemon.output.indexOf('login link'), 'the link follows the serving line');
  await waitForSamples(4);
  const origin = daemon.url.replace(/\/$/, '');

  begin('the login page: public, whole, under a strict policy; /healthz says a login is needed');
  const health = JSON.parse((await request('GET', '/healthz')).body);
  assert.equal(health.auth, 'required');
  assert.equal((await request('GET', '/api/v1/snapshot')).status, 401);
  const login = await request('GET', '/login', { Accept: 'text/html' });
  assert.equal(login.status, 200);
  const csp = login.headers['content-security-policy'];
  // i18n.js and login.js, both inline and allowed by hash.
  assert.match(csp, /script-src 'self'( 'sha256-[A-Za-z0-9+/=]+'){2};/, 'its two scripts inline, by hash');
  assert.ok(!/unsafe/.test(csp), csp);
  assert.ok(!/\sstyle=|\son\w+=/i.test(login.body), 'no inline style attributes or handlers');
  assert.ok(!/<script src=|<link rel="stylesheet"/.test(login.body), 'nothing else to load');

  browser = await launchChromium(playwright, args.chromium);

  begin('(a) / without a cookie lands on /login; a wrong token is refused; the right one opens the dashboard');
  const a = await newContext();
  const pageA = await a.newPage();
  watch(pageA, 'token login');
  await pageA.goto(daemon.url, { waitUntil: 'load', timeout: 60000 });
  await onPath(pageA, '/login');
  assert.equal(await pageA.$eval('#token', (e) => e.type), 'password');
  assert.equal(await pageA.$eval('#token', (e) => e.autocomplete), 'current-password');
  assert.equal(await pageA.$eval('#notice', (e) => e.hidden), true, 'no notice without a reason');
  await pageA.click('#show');
  assert.equal(await pageA.$eval('#token', (e) => e.type), 'text', 'the show toggle reveals the token');
  await pageA.click('#show');
  assert.equal(await pageA.$eval('#token', (e) => e.type), 'password');
  await signIn(pageA, WRONG);
  await waitError(pageA, /^That token was not accepted\.$/);
  assert.equal(new URL(pageA.url()).pathname, '/login');
  assert.equal(await sessionCookie(a), '');
  await signIn(pageA, TOKEN);
  await onPath(pageA, '/');
  await waitLive(pageA);
  await pageA.waitForSelector('#logout:not([hidden])', WAIT);
  assert.ok(await sessionCookie(a), 'a session cookie');

  begin('(a) the login page in German');
  {
    const de = await newContext({ locale: 'de-DE' });
    const page = await de.newPage();
    watch(page, 'german login');
    await page.goto(daemon.url + 'login', { waitUntil: 'load', timeout: 60000 });
    assert.equal(await page.$eval('h1', (e) => e.textContent), 'Anmelden');
    assert.equal(await page.$eval('html', (e) => e.lang), 'de');
    await signIn(page, WRONG);
    await waitError(page, /^Dieses Token wurde nicht akzeptiert\.$/);
    await de.close();
  }

  begin('(b) a one-time login link signs a browser in, once');
  const b = await newContext({ viewport: { width: 390, height: 844 } });
  const pageB = await b.newPage();
  watch(pageB, 'login link');
  await pageB.goto(link, { waitUntil: 'load', timeout: 60000 });
  await onPath(pageB, '/');
  await waitLive(pageB);
  const cookieB = await sessionCookie(b);
  assert.ok(cookieB, 'the link set a session cookie');
  {
    const again = await newContext();
    const page = await again.newPage();
    watch(page, 'used login link');
    await page.goto(link, { waitUntil: 'load', timeout: 60000 });
    await onPath(page, '/login');
    await page.waitForSelector('#notice:not([hidden])', WAIT);
    assert.equal(await page.$eval('#notice', (e) => e.textContent),
      'This login link has expired or was already used. Ask for a new one or enter a token.');
    assert.equal(await sessionCookie(again), '');
    await again.close();
  }

  begin('(c) logout returns to /login and ends the session for good');
  const cookieA = await sessionCookie(a);
  assert.equal((await request('GET', '/api/v1/snapshot', { Cookie: cookieA })).status, 200, 'the cookie works before');
  await pageA.click('#logout');
  await onPath(pageA, '/login');
  await pageA.waitForSelector('#notice:not([hidden])', WAIT);
  assert.equal(await pageA.$eval('#notice', (e) => e.textContent), 'You have signed out.');
  assert.equal(await sessionCookie(a), '', 'the browser dropped the cookie');
  assert.equal((await request('GET', '/api/v1/snapshot', { Cookie: cookieA })).status, 401, 'the old cookie is refused');
  await pageA.goto(daemon.url, { waitUntil: 'load', timeout: 60000 });
  await onPath(pageA, '/login');
  await a.close();

  begin('(e) a page of another origin cannot open the feed, though the browser is signed in');
  const wsUrl = `${TLS ? 'wss' : 'ws'}://127.0.0.1:${daemon.port}/ws`;
  evil = http.createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(`<!doctype html><meta charset="utf-8"><title>another site</title><script>
window.events = [];
const ws = new WebSocket(${JSON.stringify(wsUrl)});
ws.onopen = () => events.push('open');
ws.onmessage = () => events.push('message');
ws.onerror = () => events.push('error');
ws.onclose = () => events.push('close');
</script>`);
  });
  await new Promise((resolve) => evil.listen(0, '127.0.0.1', resolve));
  const evilOrigin = `http://127.0.0.1:${evil.address().port}`;
  // Same host, another port: that is the same *site*, so SameSite=Strict
  // lets the browser send the cookie here, and only the Origin check
  // stands in the way. The cookie itself is good, as the first line shows.
  assert.equal(await upgradeStatus({ Origin: origin, Cookie: cookieB }), 101, 'the cookie opens the feed from its own origin');
  assert.equal(await upgradeStatus({ Origin: evilOrigin, Cookie: cookieB }), 403, 'another origin is refused');
  assert.equal(await upgradeStatus({ Origin: evilOrigin, Authorization: `Bearer ${TOKEN}` }), 403,
    'refused before the credential counts');
  {
    const page = await b.newPage();
    page.on('pageerror', (e) => problems.push(`other origin: page error: ${e.message}`));
    await page.goto(evilOrigin + '/', { waitUntil: 'load', timeout: 60000 });
    await page.waitForFunction(() => window.events.includes('close'), null, WAIT);
    const events = await page.evaluate(() => window.events);
    assert.ok(!events.includes('open') && !events.includes('message'), `never opened: ${events}`);
    assert.ok(events.includes('error'), `an error event: ${events}`);
    await page.close();
  }
  await new Promise((resolve) => evil.close(resolve));
  evil = null;

  begin('(d) a restart ends the session: the dashboard shows the login, not endless retries');
  await waitLive(pageB);
  const port = daemon.port;
  await daemon.stop();
  await daemon.start(port);
  assert.equal(daemon.port, port);
  await onPath(pageB, '/login');
  await pageB.waitForSelector('#notice:not([hidden])', WAIT);
  assert.match(await pageB.$eval('#notice', (e) => e.textContent), /^Your session has ended/);
  assert.equal((await request('GET', '/api/v1/snapshot', { Cookie: cookieB })).status, 401);
  await b.close();

  begin('(f) a screenshot of the login page on a phone, light and dark');
  for (const colorScheme of ['light', 'dark']) {
    const phone = await newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, colorScheme, isMobile: true, hasTouch: true });
    const page = await phone.newPage();
    watch(page, `phone ${colorScheme}`);
    await page.goto(daemon.url, { waitUntil: 'load', timeout: 60000 });
    await onPath(page, '/login');
    const box = await page.$eval('.login-card', (e) => { const r = e.getBoundingClientRect(); return { left: r.left, right: r.right }; });
    assert.ok(box.left >= 0 && box.right <= 390, `the card fits the phone: ${JSON.stringify(box)}`);
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390), 'no sideways scrolling');
    await page.screenshot({ path: path.join(args.out, `login-phone-${colorScheme}.png`) });
    await phone.close();
  }

  begin('too many failures: the page says when to try again; a gone server says so too');
  const limit = await newContext();
  const limited = await limit.newPage();
  watch(limited, 'rate limit');
  await limited.goto(daemon.url + 'login', { waitUntil: 'load', timeout: 60000 });
  const offline = await limit.newPage();
  watch(offline, 'server gone');
  await offline.goto(daemon.url + 'login', { waitUntil: 'load', timeout: 60000 });
  // The stale cookie of (d) counted a few failures already: up to ten more.
  let refused = 0;
  for (let i = 0; i < 10; i++) {
    const r = await request('POST', '/login', { Authorization: `Bearer ${WRONG}-${i}` });
    assert.ok(r.status === 401 || r.status === 429, `401 or 429: ${r.status}`);
    if (r.status === 429) break;
    refused++;
  }
  assert.ok(refused >= 5, `the limit is not reached before several failures: ${refused}`);
  await signIn(limited, TOKEN);
  await waitError(limited, /^Too many attempts; try again in \d+ s\.$/);
  const wait = Number(/in (\d+) s/.exec(await errorText(limited))[1]);
  assert.ok(wait >= 1 && wait <= 60, `Retry-After within the minute: ${wait}`);
  assert.equal(await limited.$eval('#submit', (e) => e.disabled), true, 'no new attempt before then');
  await daemon.stop();
  await signIn(offline, TOKEN);
  await waitError(offline, /^Could not reach the server\. Check the connection and try again\.$/);
  assert.equal(await offline.$eval('#submit', (e) => e.disabled), false);
  await limit.close();

  begin('no script errors, CSP refusals or dialogs');
  assert.deepEqual(problems, []);
  console.log(`ok (${args.scheme}): screenshots in ${args.out}`);
}

let failed = false;
try {
  await main();
} catch (e) {
  failed = true;
  console.error(`FAILED at step "${step}": ${e.stack || e}`);
  if (problems.length) console.error(`page problems:\n  ${problems.join('\n  ')}`);
  if (daemon.output) console.error(`tidewatchd stdout:\n${daemon.output}`);
} finally {
  if (evil) evil.close();
  if (browser) await browser.close().catch(() => {});
  await daemon.stop().catch(() => {});
  daemon.cleanup();
  fs.rmSync(tmp, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);

// SPDX-License-Identifier: GPL-3.0-or-later
// Interleaved A/B cold loads of variants of the dashboard page: how the
// choices behind the first chart (issue 4) were made, and how to check them
// again. Not a test: it prints figures and asserts nothing.
//
// A small proxy in front of tidewatchd serves /v/NAME/ as the page tidewatchd
// builds at that moment, rewritten by variant NAME (a function of the HTML
// text), and passes every other request and the WebSocket through. Every
// variant, the unchanged one too, is served this way and without the
// Content-Security-Policy header (a variant may change inline text, whose
// hash the policy pins), so the variants differ only in what they rewrite.
// The loads alternate between the variants, so a busy moment of the machine
// falls on all of them alike. For each it prints the median and all times of
// the page's "tidewatch:first-chart" mark (see bench-dashboard.mjs), in new
// browser contexts at 1920x1080.
//
//   node bench/web/ab-page.mjs --daemon build/src/app/tidewatchd/tidewatchd \
//        --modules build/tests/web/npm/node_modules \
//        --variants bench/web/ab-first-chart.mjs [--loads 16] [--warmup 60]
//   (or --url http://127.0.0.1:PORT/ for a tidewatchd already running at 100 ms)
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchChromium, loadPlaywright, parseArgs, here } from '../../tests/web/harness.mjs';
import { dashboardContext, median, openFeed } from './common.mjs';

const args = parseArgs(process.argv.slice(2), {
  daemon: '', url: '', modules: path.join(here, 'node_modules'), chromium: '/usr/bin/chromium',
  variants: path.join(path.dirname(new URL(import.meta.url).pathname), 'ab-first-chart.mjs'),
  loads: '16', warmup: '60', settle: '2000',
});

function get(upstream, pathname) {
  return new Promise((resolve, reject) => {
    http.get({ host: upstream.hostname, port: upstream.port, path: pathname }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

function startProxy(upstream, variants) {
  const server = http.createServer(async (req, res) => {
    try {
      const m = /^\/v\/([^/]+)\/$/.exec(req.url);
      if (m && !variants[m[1]]) {
        res.writeHead(404).end();
        return;
      }
      const up = await get(upstream, m ? '/' : req.url);
      const headers = { ...up.headers };
      delete headers['content-security-policy'];
      if (m) {
        const html = Buffer.from(variants[m[1]](up.body.toString('utf8')), 'utf8');
        headers['content-length'] = String(html.length);
        res.writeHead(up.status, headers).end(html);
      } else {
        res.writeHead(up.status, headers).end(up.body);
      }
    } catch (e) {
      res.writeHead(502).end(String(e));
    }
  });
  // The WebSocket upgrade goes through as bytes, Origin dropped (the page's
  // origin is the proxy's, which tidewatchd does not know).
  server.on('upgrade', (req, socket, head) => {
    const up = net.connect(Number(upstream.port), upstream.hostname, () => {
      const lines = Object.entries(req.headers).filter(([k]) => k !== 'origin').map(([k, v]) => `${k}: ${v}`);
      up.write(`${req.method} ${req.url} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`);
      up.write(head);
      socket.pipe(up).pipe(socket);
    });
    up.on('error', () => socket.destroy());
    socket.on('error', () => up.destroy());
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function main() {
  const variants = (await import(pathToFileURL(path.resolve(args.variants)).href)).default;
  const names = Object.keys(variants);
  if (names.length === 0) throw new Error(`${args.variants} exports no variants`);
  const playwright = loadPlaywright(args.modules);
  const feed = await openFeed(args);
  const proxy = await startProxy(new URL(feed.url), variants);
  const base = `http://127.0.0.1:${proxy.address().port}`;
  const browser = await launchChromium(playwright, args.chromium);
  const times = Object.fromEntries(names.map((n) => [n, []]));
  try {
    for (let i = 0; i < Number(args.loads); i++) {
      for (const name of names) {
        const context = await dashboardContext(browser, { width: 1920, height: 1080 });
        const page = await context.newPage();
        await page.goto(`${base}/v/${name}/`, { waitUntil: 'commit' });
        // Nothing runs in the page meanwhile (see bench-dashboard.mjs).
        await new Promise((resolve) => setTimeout(resolve, Number(args.settle)));
        times[name].push(await page.evaluate(
          () => performance.getEntriesByName('tidewatch:first-chart')[0]?.startTime ?? NaN));
        await context.close();
      }
    }
  } finally {
    await browser.close();
    proxy.close();
    await feed.stop();
  }
  console.log(`first chart painted after navigation, ${args.loads} interleaved cold loads per variant:`);
  for (const name of names) {
    const t = times[name];
    console.log(`  ${name.padEnd(20)} median ${median(t).toFixed(0)} ms  (${t.map((x) => x.toFixed(0)).join(', ')})`);
  }
}

main().catch((e) => { console.error(e); process.exit(1); });

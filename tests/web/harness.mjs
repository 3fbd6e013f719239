// SPDX-License-Identifier: GPL-3.0-or-later
// Shared by the dashboard test and benchmark: command-line options, a real
// tidewatchd on a free port, and Debian's Chromium through playwright-core.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const here = path.dirname(fileURLToPath(import.meta.url));

export function parseArgs(argv, defaults) {
  const out = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([\w-]+)$/.exec(argv[i]);
    if (!m) throw new Error(`unexpected argument ${argv[i]}`);
    out[m[1]] = argv[++i];
  }
  return out;
}

export function loadPlaywright(modulesDir) {
  const require = createRequire(path.join(path.resolve(modulesDir), 'resolve-from-here.js'));
  return require('playwright-core');
}

export const CHROMIUM_FLAGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run',
];

export async function launchChromium(playwright, executablePath) {
  if (!fs.existsSync(executablePath)) {
    throw new Error(`${executablePath} not found: install Debian's chromium ` +
      '(apt-get install --no-install-recommends chromium, as scripts/bootstrap does)');
  }
  return playwright.chromium.launch({ executablePath, headless: true, args: CHROMIUM_FLAGS, timeout: 120000 });
}

/// A tidewatchd child process. start() resolves with its URL once it prints
/// "tidewatchd: serving http(s)://127.0.0.1:PORT/ (sampling every N ms)".
/// `env` is added to the environment after the inherited settings are
/// taken out, so a test sets exactly what it means (TIDEWATCH_TOKEN, say).
export class Daemon {
  constructor(binary, { intervalMs = 250, historyMinutes = 10, extraArgs = [], env = {} } = {}) {
    this.binary = binary;
    this.extraArgs = extraArgs;
    this.extraEnv = env;
    this.output = ''; // stdout of the running process
    this.intervalMs = intervalMs;
    this.historyMinutes = historyMinutes;
    this.home = fs.mkdtempSync(path.join(os.tmpdir(), 'tidewatch-web-home-'));
    this.proc = null;
    this.port = 0;
    this.url = '';
  }

  env() {
    const env = { ...process.env, HOME: this.home, XDG_CONFIG_HOME: path.join(this.home, '.config') };
    for (const key of Object.keys(env)) {
      if (/^(WS_|TIDEWATCH_|REDIS_URL|DATABASE_URL|JWT_SECRET)/.test(key)) delete env[key];
    }
    return Object.assign(env, this.extraEnv);
  }

  startOnce(port) {
    this.output = '';
    return new Promise((resolve, reject) => {
      const proc = spawn(this.binary, [
        '--bind', '127.0.0.1', '--port', String(port), '--interval', String(this.intervalMs),
        '--history', String(this.historyMinutes), ...this.extraArgs,
      ], { stdio: ['ignore', 'pipe', 'pipe'], env: this.env() });
      let out = '';
      let err = '';
      const timer = setTimeout(() => {
        proc.kill('SIGKILL');
        reject(new Error(`tidewatchd did not start within 30 s; stderr: ${err}`));
      }, 30000);
      proc.stdout.on('data', (chunk) => {
        out += chunk;
        if (this.proc === proc) this.output = out;
        const m = /tidewatchd: serving (https?:\/\/127\.0\.0\.1:(\d+)\/)/.exec(out);
        if (m && !this.proc) {
          clearTimeout(timer);
          this.proc = proc;
          this.output = out;
          this.url = m[1];
          this.port = Number(m[2]);
          resolve(this.url);
        }
      });
      proc.stderr.on('data', (chunk) => { err += chunk; });
      proc.on('exit', (code) => {
        if (this.proc === proc) this.proc = null;
        clearTimeout(timer);
        reject(Object.assign(new Error(`tidewatchd exited with ${code}: ${err.trim()}`), { code }));
      });
    });
  }

  /// Starts on `port` (0: a free one). The same port may still be held for
  /// a moment after a restart, so "address already in use" is retried.
  async start(port = 0) {
    const deadline = Date.now() + 30000;
    for (;;) {
      try {
        return await this.startOnce(port);
      } catch (e) {
        if (!/already in use/.test(e.message) || Date.now() > deadline) throw e;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  }

  /// Waits until the running daemon's stdout matches `re`; the match.
  async waitForOutput(re, timeoutMs = 30000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = re.exec(this.output);
      if (m) return m;
      if (!this.proc || Date.now() > deadline) throw new Error(`tidewatchd never printed ${re}; stdout: ${this.output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async stop() {
    const proc = this.proc;
    if (!proc) return;
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 10000);
    await exited;
    clearTimeout(timer);
    this.proc = null;
  }

  async snapshot() {
    const res = await fetch(this.url + 'api/v1/snapshot');
    if (!res.ok) return null;
    return res.json();
  }

  /// Waits until the daemon has taken at least `count` samples.
  async waitForSamples(count, timeoutMs = 60000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = await this.snapshot().catch(() => null);
      if (s && s.seq >= count) return s;
      if (Date.now() > deadline) throw new Error(`tidewatchd took fewer than ${count} samples in ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  cleanup() {
    if (this.proc) this.proc.kill('SIGKILL');
    fs.rmSync(this.home, { recursive: true, force: true });
  }
}

// RFC 4180: quoted fields, doubled quotes, CRLF rows. Strict: a stray quote
// or an unterminated field throws, so a wrongly escaped file fails the test.
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quoted field');
        if (text[i] === '"') {
          if (text[i + 1] === '"') { field += '"'; i += 2; continue; }
          i++;
          break;
        }
        field += text[i++];
      }
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
        if (text[i] === '"') throw new Error(`stray quote in an unquoted field at ${i}`);
        field += text[i++];
      }
    }
    row.push(field);
    if (text[i] === ',') { i++; continue; }
    if (text.startsWith('\r\n', i)) i += 2;
    else if (i < text.length) throw new Error(`expected a comma or CRLF at ${i}`);
    rows.push(row);
    row = [];
    if (i >= text.length) return rows;
  }
}

/// Collects a page's problems into `problems`: script errors, CSP refusals,
/// dialogs (an injected onerror=alert would open one). A refused request or
/// socket logs a console error by itself, which some steps expect.
export function watchPage(page, name, problems) {
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

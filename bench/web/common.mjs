// SPDX-License-Identifier: GPL-3.0-or-later
// What the dashboard benches (bench-dashboard.mjs, ab-page.mjs) share: the
// feed they measure against, and browser contexts set up as a user at
// 100 ms with a 5-minute window would have them.
import { Daemon } from '../../tests/web/harness.mjs';

export const INTERVAL_MS = 100;
export const WINDOW_MS = 300000;

export const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

/// The feed to measure: `args.url` as given, or a tidewatchd started from
/// `args.daemon` at INTERVAL_MS with `args.warmup` seconds of history.
/// Returns { url, stop }; stop() ends a daemon started here.
export async function openFeed(args) {
  if (args.url) return { url: args.url, stop: async () => {} };
  if (!args.daemon) throw new Error('--daemon PATH or --url URL is required');
  const daemon = new Daemon(args.daemon, { intervalMs: INTERVAL_MS, historyMinutes: 10 });
  const url = await daemon.start(0);
  const samples = Math.ceil(Number(args.warmup) * 1000 / INTERVAL_MS);
  console.log(`tidewatchd at ${url}; waiting ${args.warmup} s for ${samples} samples of history`);
  await daemon.waitForSamples(samples, Number(args.warmup) * 1000 + 120000);
  return { url, stop: async () => { await daemon.stop(); daemon.cleanup(); } };
}

/// A new context (empty cache, new renderer) whose pages start subscribed
/// at INTERVAL_MS showing a WINDOW_MS window.
export async function dashboardContext(browser, viewport) {
  const context = await browser.newContext({ viewport, locale: 'en-US' });
  await context.addInitScript(([interval, windowMs]) => {
    localStorage.setItem('tidewatch.interval', String(interval));
    localStorage.setItem('tidewatch.window', String(windowMs));
  }, [INTERVAL_MS, WINDOW_MS]);
  return context;
}

#!/usr/bin/env node
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Load client for the Tidewatch WebSocket feed. Opens many concurrent
// clients, counts the "metrics" messages each one receives over a fixed
// window, and measures delivery lag (receive time minus the message's "ts",
// which is the wall-clock moment the sampler started the pass).
//
//   node fanout.mjs --url ws://127.0.0.1:PORT/ws --clients 1000 --duration 30
//
// Options (all optional but --url):
//   --clients N          concurrent clients (default 100)
//   --duration S         measurement window in seconds, after the ramp (default 30)
//   --batch N            clients opened per ramp step (default 50, below Qt's
//                        default listen backlog of 50 pending connections)
//   --settle-ms MS       pause after the ramp before the window opens (default 2000)
//   --parse index|json   how to read "ts"/"seq": a byte search in the raw frame
//                        (default) or JSON.parse of every frame
//   --server-pid PID     also report that process's CPU and RSS over the window
//   --source-ips N       spread clients over 127.0.0.1 .. 127.0.0.N as source
//                        addresses (each has its own ephemeral port range)
//   --connect-timeout-ms MS  give up on a handshake after MS (default 10000)
//   --workers N          receive on N threads (worker_threads), each with its
//                        share of the clients (default 1); one thread turns
//                        into the bottleneck near 10k messages/s
//   --quiet              print only the final machine-readable line
//
// Output: a human summary, then one line "FANOUT {json}" for scripts.
// Every loop here is bounded: the ramp by --clients, the window by --duration,
// the shutdown by a fixed timeout.

import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import process from 'node:process';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import WebSocket from 'ws';

function parseArgs(argv) {
    const opts = {
        url: '',
        clients: 100,
        duration: 30,
        batch: 50,
        settleMs: 2000,
        parse: 'index',
        serverPid: 0,
        sourceIps: 1,
        connectTimeoutMs: 10000,
        workers: 1,
        quiet: false,
    };
    const numeric = {
        '--clients': 'clients',
        '--duration': 'duration',
        '--batch': 'batch',
        '--settle-ms': 'settleMs',
        '--server-pid': 'serverPid',
        '--source-ips': 'sourceIps',
        '--connect-timeout-ms': 'connectTimeoutMs',
        '--workers': 'workers',
    };
    for (let i = 2; i < argv.length; ++i) {
        const arg = argv[i];
        if (arg === '--url') opts.url = argv[++i] ?? '';
        else if (arg === '--parse') opts.parse = argv[++i] ?? '';
        else if (arg === '--quiet') opts.quiet = true;
        else if (arg in numeric) {
            const v = Number(argv[++i]);
            if (!Number.isFinite(v) || v < 0) usage(`bad value for ${arg}`);
            opts[numeric[arg]] = v;
        } else if (arg === '--help' || arg === '-h') usage('');
        else usage(`unknown option ${arg}`);
    }
    if (!opts.url) usage('--url is required');
    if (opts.parse !== 'index' && opts.parse !== 'json') usage('--parse must be index or json');
    if (opts.clients < 1 || opts.batch < 1 || opts.sourceIps < 1 || opts.sourceIps > 254
        || opts.workers < 1 || opts.workers > 16)
        usage('bad --clients, --batch, --source-ips or --workers');
    return opts;
}

function usage(error) {
    if (error) process.stderr.write(`fanout: ${error}\n`);
    process.stderr.write('usage: node fanout.mjs --url ws://HOST:PORT/ws [--clients N] '
        + '[--duration S] [--batch N] [--settle-ms MS] [--parse index|json] '
        + '[--server-pid PID] [--source-ips N] [--connect-timeout-ms MS] [--workers N] [--quiet]\n');
    process.exit(error ? 2 : 0);
}

const opts = isMainThread ? parseArgs(process.argv) : workerData.opts;
const log = opts.quiet ? () => {} : (line) => process.stdout.write(line + '\n');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// --- reading one frame cheaply ------------------------------------------------

const TYPE_METRICS = Buffer.from('"type":"metrics"');
const TS_KEY = Buffer.from('"ts":');
const SEQ_KEY = Buffer.from('"seq":');

// Reads the non-negative integer that follows `key` in `buf`, or -1. The
// server writes "type", "ts" and "seq" near the start of the message, so the
// search stops after a few dozen bytes instead of parsing kilobytes of values.
function integerAfter(buf, key) {
    const at = buf.indexOf(key);
    if (at < 0) return -1;
    let i = at + key.length;
    while (buf[i] === 0x20) ++i;
    let v = 0;
    let digits = 0;
    for (; i < buf.length; ++i) {
        const c = buf[i];
        if (c < 0x30 || c > 0x39) break;
        v = v * 10 + (c - 0x30);
        ++digits;
    }
    return digits ? v : -1;
}

function readFrame(buf) {
    if (opts.parse === 'json') {
        const m = JSON.parse(buf.toString('utf8'));
        if (m.type !== 'metrics') return null;
        return { ts: Number(m.ts), seq: Number(m.seq) };
    }
    if (buf.indexOf(TYPE_METRICS) < 0) return null;
    return { ts: integerAfter(buf, TS_KEY), seq: integerAfter(buf, SEQ_KEY) };
}

// --- statistics -------------------------------------------------------------------

// Lag in whole ms (Date.now() has ms resolution), counted in a histogram so
// millions of samples cost no memory. Index MAX_LAG holds everything above.
const MAX_LAG = 60000;
const lagHistogram = new Uint32Array(MAX_LAG + 1);
let lagSamples = 0;
let lagMax = 0;
let lagNegative = 0;

function recordLag(ms) {
    if (ms < 0) {
        ++lagNegative;
        ms = 0;
    }
    if (ms > lagMax) lagMax = ms;
    ++lagHistogram[Math.min(ms, MAX_LAG)];
    ++lagSamples;
}

function lagPercentile(p) {
    if (!lagSamples) return NaN;
    const rank = Math.max(1, Math.ceil((p / 100) * lagSamples));
    let seen = 0;
    for (let ms = 0; ms <= MAX_LAG; ++ms) {
        seen += lagHistogram[ms];
        if (seen >= rank) return ms;
    }
    return MAX_LAG;
}

// Per tick (seq): when the first and the last client got it. The first
// receiver's lag is the pipeline (sample, publish, encode, first write); the
// spread from first to last is the fan-out itself.
const ticks = new Map();

function recordTick(seq, ts, now) {
    let t = ticks.get(seq);
    if (!t) {
        t = { ts, first: now, last: now, n: 0 };
        ticks.set(seq, t);
    }
    if (now < t.first) t.first = now;
    if (now > t.last) t.last = now;
    ++t.n;
}

function percentile(sorted, p) {
    if (!sorted.length) return NaN;
    const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
    return sorted[rank - 1];
}

// --- /proc of the server, when its pid is given -------------------------------------

const clkTck = 100; // USER_HZ is 100 on every Linux architecture Tidewatch targets

function procCpuTicks(pid) {
    try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        // Fields after the parenthesised name; utime and stime are fields 14, 15.
        const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return Number(rest[11]) + Number(rest[12]);
    } catch {
        return NaN;
    }
}

function procMemoryKb(pid) {
    try {
        const status = readFileSync(`/proc/${pid}/status`, 'utf8');
        const field = (name) => {
            const m = status.match(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm'));
            return m ? Number(m[1]) : NaN;
        };
        return { rss: field('VmRSS'), hwm: field('VmHWM') };
    } catch {
        return { rss: NaN, hwm: NaN };
    }
}

// --- the clients -----------------------------------------------------------------

class Client {
    constructor(index) {
        this.index = index;
        this.state = 'connecting';
        this.closeCode = 0;
        this.error = '';
        this.windowMessages = 0; // metrics messages inside the window
        this.allMessages = 0;    // any message, any time
        this.lastSeq = -1;
        this.seqGaps = 0;        // ticks the server skipped for this client in the window
        this.ws = null;
    }
}

const clients = [];
let measuring = false;
let windowBytes = 0; // payload bytes of the metrics messages in the window
const counters = { opened: 0, failed: 0, closedEarly: 0, closedInWindow: 0 };
const closeCodes = new Map();
const errors = new Map();

function open(client) {
    return new Promise((resolve) => {
        const options = {
            perMessageDeflate: false,
            skipUTF8Validation: true, // the server is under test, not the client
            handshakeTimeout: opts.connectTimeoutMs,
        };
        if (opts.sourceIps > 1) options.localAddress = `127.0.0.${1 + (client.index % opts.sourceIps)}`;
        let ws;
        try {
            ws = new WebSocket(opts.url, options);
        } catch (e) {
            client.state = 'failed';
            client.error = String(e.message ?? e);
            resolve();
            return;
        }
        client.ws = ws;
        let settled = false;
        const settle = () => {
            if (!settled) {
                settled = true;
                resolve();
            }
        };
        ws.on('open', () => {
            client.state = 'open';
            ++counters.opened;
            settle();
        });
        ws.on('message', (data, isBinary) => {
            ++client.allMessages;
            if (!measuring || isBinary) return;
            const frame = readFrame(data);
            if (!frame) return;
            const now = Date.now();
            ++client.windowMessages;
            windowBytes += data.length;
            if (frame.ts > 0) recordLag(now - frame.ts);
            if (frame.seq >= 0) recordTick(frame.seq, frame.ts, now);
            if (client.lastSeq >= 0 && frame.seq > client.lastSeq + 1)
                client.seqGaps += frame.seq - client.lastSeq - 1;
            client.lastSeq = frame.seq;
        });
        ws.on('error', (e) => {
            const key = e.code || e.message || String(e);
            client.error = key;
            errors.set(key, (errors.get(key) ?? 0) + 1);
        });
        ws.on('close', (code) => {
            client.closeCode = code;
            closeCodes.set(code, (closeCodes.get(code) ?? 0) + 1);
            if (client.state === 'connecting') {
                client.state = 'failed';
                ++counters.failed;
            } else if (client.state === 'open') {
                client.state = 'closed';
                if (measuring) ++counters.closedInWindow;
                else if (!stopping) ++counters.closedEarly;
            }
            settle();
        });
    });
}

let stopping = false;

// --- a worker thread: its share of the clients ---------------------------------------

function nextMessage(type) {
    return new Promise((resolve) => {
        const listener = (m) => {
            if (m.type === type) {
                parentPort.off('message', listener);
                resolve(m);
            }
        };
        parentPort.on('message', listener);
    });
}

async function runWorker({ from, to, batch }) {
    for (let i = from; i < to; ++i) clients.push(new Client(i));
    for (let at = 0; at < clients.length; at += batch) {
        const slice = clients.slice(at, at + batch);
        await Promise.all(slice.map(open));
        parentPort.postMessage({ type: 'progress', n: slice.length });
    }
    const openAfterRamp = clients.filter((c) => c.state === 'open').length;
    parentPort.postMessage({ type: 'ramped', open: openAfterRamp, failed: counters.failed });

    await nextMessage('start');
    const loopDelay = monitorEventLoopDelay({ resolution: 1 }) // reports the whole interval, so 1 ms is its floor;
    loopDelay.enable();
    measuring = true;
    await nextMessage('stop');
    measuring = false;
    loopDelay.disable();

    // Shut down: a normal close from every client, bounded by 10 s.
    stopping = true;
    const openAtEnd = clients.filter((c) => c.state === 'open').length;
    for (const c of clients) if (c.state === 'open') c.ws.close(1000);
    const closeDeadline = performance.now() + 10000;
    while (performance.now() < closeDeadline && clients.some((c) => c.state === 'open')) await sleep(50);
    for (const c of clients) if (c.state === 'open' || c.state === 'connecting') c.ws?.terminate();

    const connected = clients.filter((c) => c.state !== 'failed' && c.state !== 'connecting');
    parentPort.postMessage({
        type: 'result',
        openAfterRamp,
        openAtEnd,
        counts: connected.map((c) => c.windowMessages),
        seqGaps: connected.reduce((sum, c) => sum + c.seqGaps, 0),
        windowBytes,
        counters,
        closeCodes: [...closeCodes.entries()],
        errors: [...errors.entries()],
        lagHistogram,
        lagSamples,
        lagMax,
        lagNegative,
        ticks: [...ticks.entries()],
        loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
        loopDelayMaxMs: loopDelay.max / 1e6,
    });
}

// The server's own delivery-lag histogram from /metrics (cumulative buckets
// by upper bound in seconds), or null when it cannot be read.
async function serverLagHistogram(wsUrl) {
    const http = wsUrl.replace(/^ws/, 'http').replace(/\/ws$/, '/metrics');
    try {
        const text = await (await fetch(http)).text();
        const buckets = [];
        for (const m of text.matchAll(/^tidewatch_delivery_lag_seconds_bucket\{le="([^"]+)"\} (\d+)$/gm))
            buckets.push([m[1] === '+Inf' ? Infinity : Number(m[1]), Number(m[2])]);
        return buckets.length ? buckets : null;
    } catch {
        return null;
    }
}

// Quantiles over the ticks between two histogram readings, as the bucket
// bound (ms) that holds them: "p99 <= 10 ms".
function lagQuantiles(before, after) {
    if (!before || !after || before.length !== after.length) return null;
    const diff = after.map(([le, n], i) => [le, n - before[i][1]]);
    const count = diff[diff.length - 1][1];
    if (count <= 0) return null;
    const bound = (q) => {
        const [le] = diff.find(([, n]) => n >= q * count);
        return Number.isFinite(le) ? le * 1000 : Infinity;
    };
    return { count, p50: bound(0.5), p99: bound(0.99) };
}

// --- the main thread: ramp, window, figures ----------------------------------------

async function main() {
    const n = opts.workers;
    const workers = [];
    const ramped = [];
    const results = [];
    let progress = 0;
    let nextReport = 1000;
    const rampStart = performance.now();
    for (let w = 0; w < n; ++w) {
        const from = Math.floor((opts.clients * w) / n);
        const to = Math.floor((opts.clients * (w + 1)) / n);
        const worker = new Worker(new URL(import.meta.url), {
            workerData: { opts, range: { from, to, batch: Math.max(1, Math.round(opts.batch / n)) } },
        });
        worker.on('message', (m) => {
            if (m.type === 'progress') {
                progress += m.n;
                if (progress >= nextReport && progress < opts.clients) {
                    log(`ramp: ${progress} clients in ${((performance.now() - rampStart) / 1000).toFixed(1)} s`);
                    nextReport += 1000;
                }
            } else if (m.type === 'ramped') ramped.push(m);
            else if (m.type === 'result') results.push(m);
        });
        worker.on('error', (e) => {
            process.stderr.write(`fanout: worker: ${e.stack ?? e}\n`);
            process.exit(1);
        });
        workers.push(worker);
    }
    const waitFor = async (list, seconds) => {
        const deadline = performance.now() + seconds * 1000;
        while (list.length < n && performance.now() < deadline) await sleep(20);
        if (list.length < n) throw new Error('workers did not answer in time');
    };
    // The ramp is bounded by the handshake timeout of each batch.
    await waitFor(ramped, (opts.clients / opts.batch + 1) * (opts.connectTimeoutMs / 1000 + 1));
    const rampMs = performance.now() - rampStart;
    const openAfterRamp = ramped.reduce((sum, r) => sum + r.open, 0);
    const failedInRamp = ramped.reduce((sum, r) => sum + r.failed, 0);
    log(`ramp: ${openAfterRamp}/${opts.clients} open in ${(rampMs / 1000).toFixed(1)} s`
        + ` (${failedInRamp} failed)`);

    await sleep(opts.settleMs);

    // The window.
    const lag0 = await serverLagHistogram(opts.url);
    const cpu0 = process.cpuUsage(); // all threads of this process
    const server0 = opts.serverPid ? procCpuTicks(opts.serverPid) : NaN;
    const t0 = performance.now();
    for (const w of workers) w.postMessage({ type: 'start' });
    let serverRssMaxKb = 0;
    const windowEnd = t0 + opts.duration * 1000;
    while (performance.now() < windowEnd) {
        await sleep(Math.min(1000, Math.max(1, windowEnd - performance.now())));
        if (opts.serverPid) serverRssMaxKb = Math.max(serverRssMaxKb, procMemoryKb(opts.serverPid).rss || 0);
    }
    for (const w of workers) w.postMessage({ type: 'stop' });
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const server1 = opts.serverPid ? procCpuTicks(opts.serverPid) : NaN;
    const serverMem = opts.serverPid ? procMemoryKb(opts.serverPid) : { rss: NaN, hwm: NaN };
    const clientRssMb = process.memoryUsage().rss / 1048576;
    const lag1 = await serverLagHistogram(opts.url);
    const serverLag = lagQuantiles(lag0, lag1);
    await waitFor(results, 30);

    // Merge the workers' figures.
    const counts = [];
    let seqGaps = 0;
    let bytes = 0;
    let openAtEnd = 0;
    let loopDelayP99 = 0;
    let loopDelayMax = 0;
    const merged = { opened: 0, failed: 0, closedEarly: 0, closedInWindow: 0 };
    const mergedTicks = new Map();
    for (const r of results) {
        counts.push(...r.counts);
        seqGaps += r.seqGaps;
        bytes += r.windowBytes;
        openAtEnd += r.openAtEnd;
        loopDelayP99 = Math.max(loopDelayP99, r.loopDelayP99Ms);
        loopDelayMax = Math.max(loopDelayMax, r.loopDelayMaxMs);
        for (const k of Object.keys(merged)) merged[k] += r.counters[k];
        for (const [code, count] of r.closeCodes) closeCodes.set(code, (closeCodes.get(code) ?? 0) + count);
        for (const [key, count] of r.errors) errors.set(key, (errors.get(key) ?? 0) + count);
        for (let i = 0; i < lagHistogram.length; ++i) lagHistogram[i] += r.lagHistogram[i];
        lagSamples += r.lagSamples;
        lagMax = Math.max(lagMax, r.lagMax);
        lagNegative += r.lagNegative;
        for (const [seq, t] of r.ticks) {
            const m = mergedTicks.get(seq);
            if (!m) mergedTicks.set(seq, { ...t });
            else {
                m.first = Math.min(m.first, t.first);
                m.last = Math.max(m.last, t.last);
                m.n += t.n;
            }
        }
    }
    for (const w of workers) await w.terminate();

    counts.sort((a, b) => a - b);
    const rates = counts.map((c) => c / seconds);
    const medianCount = percentile(counts, 50);
    const starved = counts.filter((c) => c < 0.9 * medianCount).length;
    const zero = counts.filter((c) => c === 0).length;
    const totalMessages = counts.reduce((sum, v) => sum + v, 0);
    const clientCpuPct = ((cpu.user + cpu.system) / 1e6 / seconds) * 100;
    const serverCpuPct = ((server1 - server0) / clkTck / seconds) * 100;

    // Ticks every connected client got, so first/last are comparable.
    const fullTicks = [...mergedTicks.values()].filter((t) => t.n >= openAfterRamp && t.ts > 0);
    const firstLags = fullTicks.map((t) => t.first - t.ts).sort((a, b) => a - b);
    const spreads = fullTicks.map((t) => t.last - t.first).sort((a, b) => a - b);

    const result = {
        client: 'node',
        clients: opts.clients,
        workers: n,
        connected: openAfterRamp,
        failed: merged.failed,
        closed_before_window: merged.closedEarly,
        closed_in_window: merged.closedInWindow,
        open_at_end: openAtEnd,
        close_codes: Object.fromEntries([...closeCodes.entries()].sort((a, b) => a[0] - b[0])),
        errors: Object.fromEntries(errors),
        ramp_s: +(rampMs / 1000).toFixed(2),
        window_s: +seconds.toFixed(2),
        parse: opts.parse,
        messages: totalMessages,
        msgs_per_s_total: +(totalMessages / seconds).toFixed(1),
        frame_bytes: totalMessages ? Math.round(bytes / totalMessages) : 0,
        mb_per_s: +(bytes / seconds / 1e6).toFixed(2),
        rate_min: +(rates[0] ?? NaN).toFixed(3),
        rate_median: +percentile(rates, 50).toFixed(3),
        rate_max: +(rates[rates.length - 1] ?? NaN).toFixed(3),
        lag_samples: lagSamples,
        lag_p50_ms: lagPercentile(50),
        lag_p90_ms: lagPercentile(90),
        lag_p99_ms: lagPercentile(99),
        lag_max_ms: lagMax,
        lag_negative: lagNegative,
        ticks_complete: fullTicks.length,
        first_lag_p50_ms: percentile(firstLags, 50),
        first_lag_p99_ms: percentile(firstLags, 99),
        spread_p50_ms: percentile(spreads, 50),
        spread_p99_ms: percentile(spreads, 99),
        spread_max_ms: spreads.length ? spreads[spreads.length - 1] : NaN,
        starved,
        zero_messages: zero,
        seq_gaps: seqGaps,
        client_cpu_pct: +clientCpuPct.toFixed(1),
        client_loop_delay_p99_ms: +loopDelayP99.toFixed(1),
        client_loop_delay_max_ms: +loopDelayMax.toFixed(1),
        client_rss_mb: +clientRssMb.toFixed(1),
        server_cpu_pct: Number.isFinite(serverCpuPct) ? +serverCpuPct.toFixed(2) : null,
        server_rss_mb: Number.isFinite(serverMem.rss) ? +(serverMem.rss / 1024).toFixed(1) : null,
        server_rss_max_mb: serverRssMaxKb ? +(serverRssMaxKb / 1024).toFixed(1) : null,
        server_hwm_mb: Number.isFinite(serverMem.hwm) ? +(serverMem.hwm / 1024).toFixed(1) : null,
        server_lag_ticks: serverLag ? serverLag.count : null,
        server_lag_p50_le_ms: serverLag ? serverLag.p50 : null,
        server_lag_p99_le_ms: serverLag ? serverLag.p99 : null,
    };

    log('');
    log(`clients     ${result.connected} connected, ${result.failed} failed, `
        + `${result.closed_before_window} closed before the window, `
        + `${result.closed_in_window} closed during it; ${result.open_at_end} open at the end`);
    log(`close codes ${JSON.stringify(result.close_codes)}${errors.size ? `  errors ${JSON.stringify(result.errors)}` : ''}`);
    log(`window      ${result.window_s} s, ${result.messages} metrics messages `
        + `(${result.msgs_per_s_total}/s over all clients, ${result.frame_bytes} B each, `
        + `${result.mb_per_s} MB/s), parse=${opts.parse}`);
    log(`per client  min ${result.rate_min}  median ${result.rate_median}  max ${result.rate_max} messages/s`);
    log(`lag         p50 ${result.lag_p50_ms} ms  p90 ${result.lag_p90_ms} ms  p99 ${result.lag_p99_ms} ms  `
        + `max ${result.lag_max_ms} ms  (${result.lag_samples} samples, receive time - ts)`);
    log(`per tick    first receiver's lag p50 ${result.first_lag_p50_ms} ms  p99 ${result.first_lag_p99_ms} ms;  `
        + `first-to-last spread p50 ${result.spread_p50_ms} ms  p99 ${result.spread_p99_ms} ms  `
        + `max ${result.spread_max_ms} ms  (${result.ticks_complete} ticks every client got)`);
    log(`starved     ${result.starved} clients below 90% of the median count `
        + `(${result.zero_messages} got nothing); ${result.seq_gaps} skipped seq numbers in all`);
    log(`client      ${result.client_cpu_pct}% of one core over ${n} receiving thread(s), event-loop delay `
        + `p99 ${result.client_loop_delay_p99_ms} ms max ${result.client_loop_delay_max_ms} ms, RSS ${result.client_rss_mb} MB`);
    if (opts.serverPid)
        log(`server      ${result.server_cpu_pct}% of one core over the window, RSS ${result.server_rss_mb} MB `
            + `(max seen ${result.server_rss_max_mb} MB, high-water ${result.server_hwm_mb} MB)`);
    if (serverLag)
        log(`server lag  p50 <= ${result.server_lag_p50_le_ms} ms  p99 <= ${result.server_lag_p99_le_ms} ms `
            + `over ${result.server_lag_ticks} ticks (the server's own tidewatch_delivery_lag_seconds: `
            + `sample start to send() for the last client; bucket bounds)`);
    process.stdout.write(`FANOUT ${JSON.stringify(result)}\n`);
    // Sockets that ignored close and terminate() must not keep the process alive.
    process.exit(0);
}

if (isMainThread) {
    main().catch((e) => {
        process.stderr.write(`fanout: ${e.stack ?? e}\n`);
        process.exit(1);
    });
} else {
    runWorker(workerData.range).catch((e) => {
        process.stderr.write(`fanout: worker: ${e.stack ?? e}\n`);
        process.exit(1);
    });
}

// A tiny stand-in for a web service and its Prometheus, so checklists/demo.yaml has something
// real to check on any machine with Node. Demo only: binds 127.0.0.1, holds no data but the
// release it serves, and its numbers are made up — they wobble a little over time and shift when
// a "release" is deployed, so a baseline snapshot and a later comparison have something to say.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const RELEASES = ['1.4.2', '1.5.0'];

// Per-release levels: 1.5.0 is the "good" release (faster, fewer errors) so the demo's
// compare item shows a verdict; rolling back returns to 1.4.2's numbers.
const LEVELS = {
  '1.4.2': { p50: 48, p95: 180, p99: 410, errorRate: 0.42, rps: 96 },
  '1.5.0': { p50: 44, p95: 150, p99: 350, errorRate: 0.3, rps: 97 },
};

/** The named demo queries: a query containing the name gets that series. */
const SERIES = {
  demo_latency_p50_ms: (l) => l.p50,
  demo_latency_p95_ms: (l) => l.p95,
  demo_latency_p99_ms: (l) => l.p99,
  demo_error_rate: (l) => l.errorRate,
  demo_requests_per_second: (l) => l.rps,
};

// Deterministic jitter in [-1, 1] from an integer: the same instant always reads the same value,
// which keeps Prometheus' "explicit time" semantics (a re-query of time T gives the same answer).
function jitter(n) {
  let x = Math.imul(n ^ 0x9e3779b9, 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  x ^= x >>> 16;
  return ((x >>> 0) / 0xffffffff) * 2 - 1;
}

/** A level moved by a slow sine (±2%) and per-second jitter (±1%). */
export function wobble(base, seconds, seed = 0) {
  const slow = Math.sin((2 * Math.PI * seconds) / 90 + seed) * 0.02;
  const fast = jitter(Math.floor(seconds) * 31 + seed) * 0.01;
  return base * (1 + slow + fast);
}

/** Prometheus accepts unix seconds (possibly fractional) or RFC 3339. */
function parseTime(raw, nowSeconds) {
  if (raw === null || raw === '') return nowSeconds;
  if (/^-?\d+(\.\d+)?$/.test(raw)) return Number(raw);
  const ms = Date.parse(raw);
  return Number.isNaN(ms) ? null : ms / 1000;
}

function sendJson(res, status, body) {
  if (res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function badData(res, error) {
  sendJson(res, 400, { status: 'error', errorType: 'bad_data', error });
}

/** The release a state file names, or the first release when there is no (valid) file. */
export function readRelease(stateFile) {
  if (!stateFile) return RELEASES[0];
  try {
    const v = JSON.parse(readFileSync(stateFile, 'utf8')).release;
    return RELEASES.includes(v) ? v : RELEASES[0];
  } catch {
    return RELEASES[0];
  }
}

/** Write-then-rename, so a demo killed mid-write leaves the old release, never a torn file. */
function writeRelease(stateFile, release) {
  if (!stateFile) return;
  mkdirSync(dirname(stateFile), { recursive: true });
  const tmp = `${stateFile}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ release })}\n`);
  renameSync(tmp, stateFile);
}

/**
 * The request handler, with its own state (the deployed release). `now` returns milliseconds;
 * tests pass a fixed clock. `close()` cancels pending /slow answers so a server can stop promptly.
 * With `stateFile`, the release survives a restart: `npm start` twice resumes a run that has
 * already shipped 1.5.0, and its Verify phase must measure 1.5.0, not a service reset to 1.4.2.
 */
export function createDemoHandler({ now = () => Date.now(), stateFile } = {}) {
  let release = readRelease(stateFile);
  const deploy = (v) => {
    release = v;
    writeRelease(stateFile, v);
  };
  const timers = new Set();

  const query = (url, res) => {
    const q = url.searchParams.get('query');
    if (!q) return badData(res, 'parameter "query" is missing');
    const t = parseTime(url.searchParams.get('time'), now() / 1000);
    if (t === null) return badData(res, `cannot parse "${url.searchParams.get('time')}" to a valid timestamp`);
    if (q.includes('demo_no_data')) {
      return sendJson(res, 200, { status: 'success', data: { resultType: 'vector', result: [] } });
    }
    const names = Object.keys(SERIES);
    const name = names.find((n) => q.includes(n));
    if (!name) {
      return badData(res, `unknown demo query ${JSON.stringify(q)}: the demo service answers queries naming one of ${names.join(', ')}`);
    }
    const value = wobble(SERIES[name](LEVELS[release]), t, names.indexOf(name));
    const result = [{ metric: {}, value: [t, String(Number(value.toFixed(3)))] }];
    return sendJson(res, 200, { status: 'success', data: { resultType: 'vector', result } });
  };

  const routes = {
    'GET /health': (_url, res) => sendJson(res, 200, { status: 'ok', database: 'ok', redis: 'ok', version: release }),
    'GET /stats': (_url, res) => {
      const s = now() / 1000;
      const l = LEVELS[release];
      sendJson(res, 200, {
        version: release,
        errors: { rate_5m: Number((wobble(l.errorRate, s, 7) / 100).toFixed(5)) },
        requests: { per_s: Number(wobble(l.rps, s, 8).toFixed(2)) },
      });
    },
    'GET /api/v1/query': query,
    'POST /api/v1/query': query,
    'GET /slow': (url, res) => {
      const ms = Number(url.searchParams.get('ms') ?? '0');
      if (!Number.isFinite(ms) || ms < 0 || ms > 60_000) return sendJson(res, 400, { error: 'ms must be a number from 0 to 60000' });
      const timer = setTimeout(() => {
        timers.delete(timer);
        sendJson(res, 200, { slept_ms: ms });
      }, ms);
      timers.add(timer);
    },
    // The demo's "deploy" and "rollback" actions: switch which release's numbers are served.
    'POST /release': (_url, res) => {
      deploy(RELEASES[1]);
      sendJson(res, 200, { version: release });
    },
    'POST /rollback': (_url, res) => {
      deploy(RELEASES[0]);
      sendJson(res, 200, { version: release });
    },
  };

  const handler = (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const route = routes[`${req.method} ${url.pathname}`];
    // Drain any request body; no route reads one.
    req.resume();
    if (!route) return sendJson(res, 404, { error: `no route ${req.method} ${url.pathname}` });
    route(url, res);
  };
  handler.release = () => release;
  handler.reset = () => deploy(RELEASES[0]);
  handler.close = () => {
    for (const t of timers) clearTimeout(t);
    timers.clear();
  };
  return handler;
}

/**
 * Start the demo service on 127.0.0.1 (port 0 = any free port). `stateFile` keeps the deployed
 * release across restarts; `fresh` starts it over at the first release.
 */
export function startDemoService({ port = 0, stateFile, fresh = false } = {}) {
  if (stateFile && fresh) writeRelease(stateFile, RELEASES[0]);
  const handler = createDemoHandler({ stateFile });
  const server = createServer(handler);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      const actual = server.address().port;
      let stopping;
      const stop = () => {
        stopping ??= new Promise((done) => {
          handler.close();
          server.close(() => done());
          server.closeAllConnections();
        });
        return stopping;
      };
      resolve({ url: `http://127.0.0.1:${actual}`, port: actual, stop, release: () => handler.release(), reset: () => handler.reset() });
    });
  });
}

function argValue(argv, name) {
  const i = argv.indexOf(name);
  return i === -1 ? undefined : argv[i + 1];
}

function portFromArgs(argv) {
  const i = argv.indexOf('--port');
  if (i === -1) return 0;
  const n = Number(argv[i + 1]);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    console.error(`demo-service: --port needs a number from 0 to 65535 (got "${argv[i + 1] ?? ''}")`);
    process.exit(2);
  }
  return n;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const port = portFromArgs(process.argv.slice(2));
  try {
    const svc = await startDemoService({ port, stateFile: argValue(process.argv.slice(2), '--state') });
    const shutdown = () => svc.stop().then(() => process.exit(0));
    process.once('SIGTERM', shutdown);
    process.once('SIGINT', shutdown);
    // Printed last: whoever waits for this line may signal us the moment it arrives.
    console.log(`listening ${svc.url}`);
  } catch (e) {
    console.error(`demo-service: cannot listen on 127.0.0.1:${port} (${e.code ?? e.message})`);
    process.exit(1);
  }
}

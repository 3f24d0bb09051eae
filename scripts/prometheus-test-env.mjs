// A throwaway Prometheus + Pushgateway for the metric-probe tests (Debian packages).
//
//   node scripts/prometheus-test-env.mjs --install   install the packages if missing (exit 0/1)
//   import { startPrometheusEnv } from '…'           start both on 127.0.0.1 free ports
//
// Prometheus scrapes the pushgateway every second with honor_labels, so a test pushes a known
// value and polls Prometheus until the query sees it.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROMETHEUS_BIN = process.env.RUNSHEET_PROMETHEUS_BIN || '/usr/bin/prometheus';
export const PUSHGATEWAY_BIN = process.env.RUNSHEET_PUSHGATEWAY_BIN || '/usr/bin/prometheus-pushgateway';

export function prometheusInstalled() {
  return existsSync(PROMETHEUS_BIN) && existsSync(PUSHGATEWAY_BIN);
}

/** Install the Debian packages when the binaries are missing. Returns true when they are there. */
export function installPrometheus(log = (m) => process.stderr.write(m + '\n')) {
  if (prometheusInstalled()) return true;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const sudo = root ? [] : ['sudo', '-n'];
  const run = (args) => {
    log(`prometheus-test-env: ${[...sudo, ...args].join(' ')}`);
    const [cmd, ...rest] = [...sudo, ...args];
    const r = spawnSync(cmd, rest, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    return r.status === 0;
  };
  if (!existsSync('/usr/bin/apt-get')) {
    log('prometheus-test-env: no apt-get on this machine; cannot install prometheus and prometheus-pushgateway');
    return false;
  }
  if (!run(['apt-get', 'update'])) log('prometheus-test-env: apt-get update failed; trying the install anyway');
  run(['apt-get', 'install', '-y', '--no-install-recommends', 'prometheus', 'prometheus-pushgateway']);
  const ok = prometheusInstalled();
  if (!ok) log(`prometheus-test-env: install failed: ${PROMETHEUS_BIN} or ${PUSHGATEWAY_BIN} still missing`);
  return ok;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitFor(what, check, child, deadlineMs, output) {
  const deadline = Date.now() + deadlineMs;
  let lastErr = '';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${what} exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${output().slice(-2000)}`);
    }
    try {
      if (await check()) return;
    } catch (e) {
      lastErr = e instanceof Error ? e.message : String(e);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} not ready after ${deadlineMs / 1000}s (${lastErr}):\n${output().slice(-2000)}`);
}

function startProcess(bin, args) {
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (d) => {
    out = (out + d.toString()).slice(-20000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  return { child, output: () => out };
}

async function ready(url) {
  const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
  await res.arrayBuffer();
  return res.ok;
}

function stopProcess(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Start pushgateway + prometheus on 127.0.0.1 with a temp storage dir; resolves once both answer
 * /-/ready and Prometheus has scraped the pushgateway at least once.
 */
export async function startPrometheusEnv({ readyTimeoutMs = 60_000 } = {}) {
  // A free port can be taken by someone else between probing and binding; try again then.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(readyTimeoutMs);
    } catch (e) {
      if (attempt >= 3 || !/exited/.test(String(e?.message))) throw e;
    }
  }
}

async function startOnce(readyTimeoutMs) {
  if (!prometheusInstalled())
    throw new Error(`prometheus not installed (${PROMETHEUS_BIN}, ${PUSHGATEWAY_BIN}); run node scripts/prometheus-test-env.mjs --install`);
  const dir = await mkdtemp(join(tmpdir(), 'runsheet-prom-'));
  const children = [];
  const killAll = () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  };
  process.once('exit', killAll);
  const stop = async () => {
    process.removeListener('exit', killAll);
    await Promise.all(children.map(stopProcess));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const pushPort = await freePort();
    const push = startProcess(PUSHGATEWAY_BIN, [
      `--web.listen-address=127.0.0.1:${pushPort}`,
      `--persistence.file=${join(dir, 'push.data')}`,
    ]);
    children.push(push.child);
    const pushUrl = `http://127.0.0.1:${pushPort}`;
    await waitFor('pushgateway', () => ready(`${pushUrl}/-/ready`), push.child, readyTimeoutMs, push.output);

    const promPort = await freePort();
    const config = [
      'global:',
      '  scrape_interval: 1s',
      '  evaluation_interval: 1s',
      'scrape_configs:',
      '  - job_name: pushgateway',
      '    honor_labels: true',
      '    static_configs:',
      `      - targets: ['127.0.0.1:${pushPort}']`,
      '',
    ].join('\n');
    await writeFile(join(dir, 'prometheus.yml'), config);
    const prom = startProcess(PROMETHEUS_BIN, [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
      '--storage.tsdb.retention.time=1h',
    ]);
    children.push(prom.child);
    const promUrl = `http://127.0.0.1:${promPort}`;
    await waitFor('prometheus', () => ready(`${promUrl}/-/ready`), prom.child, readyTimeoutMs, prom.output);
    // Ready is not enough: wait for the first successful scrape so pushed values show up promptly.
    await waitFor(
      'prometheus scrape of the pushgateway',
      async () => {
        const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent('up{job="pushgateway"}')}`);
        const body = await res.json();
        return body.data?.result?.[0]?.value?.[1] === '1';
      },
      prom.child,
      readyTimeoutMs,
      prom.output,
    );
    return { promUrl, pushUrl, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/**
 * Push gauge values to the pushgateway under `job` (replacing that job's group).
 * `series` is [{ name, value, labels? }]; values may be NaN / Infinity.
 */
export async function pushMetrics(pushUrl, job, series) {
  const fmt = (v) => (Number.isNaN(v) ? 'NaN' : v === Infinity ? '+Inf' : v === -Infinity ? '-Inf' : String(v));
  const lines = [];
  const typed = new Set();
  for (const s of series) {
    if (!typed.has(s.name)) {
      lines.push(`# TYPE ${s.name} gauge`);
      typed.add(s.name);
    }
    const labels = Object.entries(s.labels ?? {})
      .map(([k, v]) => `${k}="${v}"`)
      .join(',');
    lines.push(`${s.name}${labels ? `{${labels}}` : ''} ${fmt(s.value)}`);
  }
  const res = await fetch(`${pushUrl}/metrics/job/${encodeURIComponent(job)}`, { method: 'PUT', body: lines.join('\n') + '\n' });
  if (!res.ok) throw new Error(`pushgateway refused the push: HTTP ${res.status} ${await res.text()}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv.includes('--install')) {
    process.exit(installPrometheus() ? 0 : 1);
  } else {
    process.stderr.write('usage: node scripts/prometheus-test-env.mjs --install\n');
    process.exit(2);
  }
}

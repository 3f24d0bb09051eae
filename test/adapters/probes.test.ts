// captureSnapshot end to end: real Prometheus (fed through the Pushgateway), a real HTTP server,
// real shell commands; then verdicts computed from real query results.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Metric, MetricSource } from '../../src/core/model.js';
import { captureSnapshot, jsonPath, type CaptureProgress } from '../../src/adapters/probes.js';
import { compareSnapshots } from '../../src/core/metrics/compare.js';
import type { ProbeSnapshot, Snapshot } from '../../src/core/metrics/snapshot.js';
import {
  prometheusAvailable,
  pushMetrics,
  startHttp,
  startPrometheusEnv,
  waitForQuery,
  type PrometheusEnv,
} from '../support/prometheus.js';

const available = prometheusAvailable('test/adapters/probes.test.ts');

function metric(id: string, source: MetricSource, over: Partial<Metric> = {}): Metric {
  return { id, title: id, source, better: 'lower', tolerance: 0.05, noise_floor: 0, critical: false, ...over };
}

const base = { checklist: 'probe tests', environment: 'test', samples: 3, intervalMs: 50 };
const probe = (s: Snapshot, id: string): ProbeSnapshot => s.probes.find((p) => p.id === id)!;
const errors = (p: ProbeSnapshot): string[] => p.samples.flatMap((s) => ('error' in s ? [s.error] : []));

describe('jsonPath', () => {
  it('walks objects and arrays, and says where it stopped', () => {
    expect(jsonPath({ a: { b: [{ c: 5 }] } }, 'a.b.0.c')).toEqual({ found: true, value: 5 });
    expect(jsonPath({ a: { b: 1 } }, 'a.x.y')).toEqual({ found: false, at: 'a' });
    expect(jsonPath(null, 'a')).toEqual({ found: false, at: '(top level)' });
  });
});

describe('http and command probes', () => {
  let srv: Awaited<ReturnType<typeof startHttp>>;
  const seq = [10, 30, 20];
  let hits = 0;
  beforeAll(async () => {
    srv = await startHttp((req, res) => {
      if (req.url === '/stats') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ errors: { rate_5m: seq[hits++ % seq.length], gone: null, text: 'NaN', word: 'high' } }));
      } else if (req.url === '/proxy') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<!doctype html><title>Sign in</title><form>Sign in to continue</form>');
      } else {
        res.writeHead(503);
        res.end('down');
      }
    });
  });
  afterAll(() => srv.close());

  it('samples every probe, takes the median, reports progress', async () => {
    hits = 0;
    const progress: CaptureProgress[] = [];
    const snap = await captureSnapshot(
      [
        metric('errors', { kind: 'http', url: `${srv.url}/stats`, json: 'errors.rate_5m' }, { unit: '%' }),
        metric('pool', { kind: 'command', command: 'echo "pool in use: 42 of 100"' }),
        metric('users', { kind: 'manual' }, { unit: 'users' }),
      ],
      {
        ...base,
        label: 'baseline',
        runId: 'r1',
        onProgress: (p) => progress.push(p),
        askManual: (m) => Promise.resolve(m.id === 'users' ? 1234 : undefined),
      },
    );
    expect(snap).toMatchObject({
      schema: 'runsheet.snapshot/v1',
      label: 'baseline',
      run_id: 'r1',
      checklist: 'probe tests',
      environment: 'test',
    });
    expect(probe(snap, 'errors')).toMatchObject({ value: 20, min: 10, max: 30, unit: '%', source: 'http' });
    expect(probe(snap, 'errors').samples.map((s) => ('value' in s ? s.value : null))).toEqual([10, 30, 20]);
    expect(probe(snap, 'pool')).toMatchObject({ value: 42, min: 42, max: 42 });
    expect(probe(snap, 'users')).toMatchObject({ value: 1234 });
    expect(probe(snap, 'users').samples).toHaveLength(1);
    expect(progress.filter((p) => p.probe === 'errors').map((p) => `${p.taken}/${p.total}`)).toEqual(['0/3', '1/3', '2/3', '3/3']);
    expect(progress.filter((p) => p.probe === 'users').map((p) => `${p.taken}/${p.total}`)).toEqual(['0/1', '1/1']);
  });

  it('no data and errors are recorded per sample, never as 0', async () => {
    const snap = await captureSnapshot(
      [
        metric('nullval', { kind: 'http', url: `${srv.url}/stats`, json: 'errors.gone' }),
        metric('nanval', { kind: 'http', url: `${srv.url}/stats`, json: 'errors.text' }),
        metric('word', { kind: 'http', url: `${srv.url}/stats`, json: 'errors.word' }),
        metric('nokey', { kind: 'http', url: `${srv.url}/stats`, json: 'errors.p99' }),
        metric('proxy', { kind: 'http', url: `${srv.url}/proxy`, json: 'x' }),
        metric('down', { kind: 'http', url: `${srv.url}/down`, json: 'x' }),
        metric('badurl', { kind: 'http', url: 'ftp://example/x', json: 'x' }),
        metric('nonum', { kind: 'command', command: 'echo no numbers here' }),
        metric('exit1', { kind: 'command', command: 'echo "psql: connection refused $DB_PASSWORD" >&2; exit 1' }),
        metric('manual', { kind: 'manual' }),
      ],
      { ...base, samples: 2, label: 'x', env: { DB_PASSWORD: 'sw0rdfish-42' } },
    );
    for (const p of snap.probes) {
      expect(p.value, p.id).toBeNull();
      expect(p.min, p.id).toBeNull();
    }
    expect(probe(snap, 'nullval').error).toBe('probe nullval: no data ("errors.gone" is null)');
    expect(probe(snap, 'nullval').samples.every((s) => 'nodata' in s && s.nodata)).toBe(true);
    expect(probe(snap, 'nanval').error).toBe('probe nanval: no data ("errors.text" is NaN)');
    expect(probe(snap, 'word').error).toBe('probe word: "errors.word" is "high", not a number');
    expect(probe(snap, 'nokey').error).toBe('probe nokey: the response has no "errors.p99" (nothing past errors)');
    expect(probe(snap, 'proxy').error).toMatch(
      /^probe proxy: .*\/proxy returned an HTML page, not JSON \(HTTP 200: "Sign in Sign in to continue"\)/,
    );
    expect(probe(snap, 'down').error).toMatch(/^probe down: .*\/down answered HTTP 503$/);
    expect(probe(snap, 'badurl').error).toBe('probe badurl: invalid http url "ftp://example/x"');
    expect(probe(snap, 'nonum').error).toBe("probe nonum: no number on the command's stdout");
    expect(probe(snap, 'exit1').error).toBe('probe exit1: command exited 1: psql: connection refused ***');
    expect(probe(snap, 'manual').error).toMatch(/manual probe, no operator to ask/);
    expect(JSON.stringify(snap)).not.toContain('sw0rdfish-42');
  });

  it('cancelling stops between samples and marks the snapshot', async () => {
    const ac = new AbortController();
    const pending = captureSnapshot([metric('pool', { kind: 'command', command: 'echo 7' })], {
      ...base,
      label: 'c',
      samples: 5,
      intervalMs: 60_000, // the second sample would be a minute away
      signal: ac.signal,
      onProgress: (p) => {
        if (p.taken === 1) ac.abort();
      },
    });
    const snap = await pending;
    expect(snap.cancelled).toBe(true);
    expect(probe(snap, 'pool').samples).toHaveLength(1);
    expect(probe(snap, 'pool').value).toBe(7);
  });
});

describe.skipIf(!available)('prometheus probes and verdicts against real query results', () => {
  let env: PrometheusEnv;
  // Set once the servers are up: a beforeAll that failed before then has nothing to stop.
  let stopEnv: (() => Promise<void>) | undefined;
  // Each scenario is its own pushgateway job; all start at 200 ms.
  const scenarios = ['better', 'similar', 'worse', 'warn', 'fail', 'gone', 'zero'] as const;
  const after: Record<(typeof scenarios)[number], number | null> = {
    better: 150, // −25%
    similar: 208, // +4% within tolerance 5%
    worse: 215, // +7.5%: worse, within warn 10%
    warn: 230, // +15% > warn 10%
    fail: 260, // +30% > fail 25%
    gone: null, // series deleted: no data after
    zero: 0, // a real zero: better, not no data
  };
  const metrics = scenarios.map((s) =>
    metric(
      s,
      { kind: 'prometheus', url: '', query: `max(rs_p95_ms{job="v_${s}"})` },
      { unit: 'ms', warn: { value: 10, relative: true }, fail: { value: 25, relative: true }, critical: s === 'gone' },
    ),
  );

  beforeAll(async () => {
    env = await startPrometheusEnv();
    stopEnv = () => env.stop();
    for (const m of metrics) (m.source as { url: string }).url = env.promUrl;
    await Promise.all(scenarios.map((s) => pushMetrics(env.pushUrl, `v_${s}`, [{ name: 'rs_p95_ms', value: 200 }])));
    await waitForQuery(env.promUrl, 'count(rs_p95_ms == 200)', String(scenarios.length));
  }, 90_000);
  afterAll(async () => {
    await stopEnv?.();
  });

  it('captures, compares and judges every verdict by the written rule', async () => {
    const baseline = await captureSnapshot(metrics, { ...base, label: 'baseline' });
    for (const p of baseline.probes) expect(p, p.id).toMatchObject({ value: 200, min: 200, max: 200 });

    for (const s of scenarios) {
      const v = after[s];
      if (v === null) await fetch(`${env.pushUrl}/metrics/job/v_${s}`, { method: 'DELETE' });
      else await pushMetrics(env.pushUrl, `v_${s}`, [{ name: 'rs_p95_ms', value: v }]);
    }
    for (const s of scenarios)
      await waitForQuery(env.promUrl, `max(rs_p95_ms{job="v_${s}"})`, after[s] === null ? 'empty' : String(after[s]));

    const later = await captureSnapshot(metrics, { ...base, label: 'after' });
    expect(probe(later, 'gone')).toMatchObject({ value: null, error: 'probe gone: no data (query returned an empty result)' });
    expect(probe(later, 'zero').value).toBe(0);

    const c = compareSnapshots(baseline, later);
    const row = Object.fromEntries(c.rows.map((r) => [r.id, r]));
    expect(row.better).toMatchObject({ baseline: 200, after: 150, verdict: 'better', status: 'pass', change: { abs: -50, rel: -0.25 } });
    expect(row.similar).toMatchObject({ verdict: 'similar', status: 'pass', rule: '+4% within tolerance ±5%' });
    expect(row.worse).toMatchObject({ verdict: 'worse', status: 'pass', rule: 'worse by +7.5% (+15 ms), within warn 10%' });
    expect(row.warn).toMatchObject({ verdict: 'worse', status: 'warn', rule: 'worse by +15% (+30 ms) > warn 10%' });
    expect(row.fail).toMatchObject({ verdict: 'worse', status: 'fail', rule: 'worse by +30% (+60 ms) > fail 25%' });
    expect(row.gone).toMatchObject({ after: null, verdict: null, status: 'nodata', change: null });
    expect(row.gone.rule).toBe('no data after (critical probe): probe gone: no data (query returned an empty result)');
    expect(row.zero).toMatchObject({ after: 0, verdict: 'better', status: 'pass' });
    expect(c.overall).toBe('fail');

    // Without the failing probes, the critical no-data probe alone still fails; without it, warn.
    expect(compareSnapshots(baseline, later, { ids: ['better', 'gone'] }).overall).toBe('fail');
    expect(compareSnapshots(baseline, later, { ids: ['better', 'similar', 'worse', 'warn'] }).overall).toBe('warn');
    expect(compareSnapshots(baseline, later, { ids: ['better', 'similar', 'worse', 'zero'] }).overall).toBe('pass');
  });

  it('a multi-series query fails every sample with the sum() hint', async () => {
    const m = metric('multi', { kind: 'prometheus', url: env.promUrl, query: 'rs_p95_ms' });
    const snap = await captureSnapshot([m], { ...base, label: 'x', samples: 2 });
    const p = probe(snap, 'multi');
    expect(p.value).toBeNull();
    expect(errors(p)).toHaveLength(2);
    expect(errors(p)[0]).toMatch(/^probe multi: query returned \d+ series .*wrap the query in sum\(\)/);
  });
});

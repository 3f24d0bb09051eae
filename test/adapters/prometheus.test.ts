// queryPrometheus against a real Prometheus fed through a real Pushgateway.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProbeError, queryPrometheus, queryUrl } from '../../src/adapters/prometheus.js';
import {
  prometheusAvailable,
  pushMetrics,
  startHttp,
  startPrometheusEnv,
  waitForQuery,
  type PrometheusEnv,
} from '../support/prometheus.js';

const available = prometheusAvailable('test/adapters/prometheus.test.ts');

async function rejection(p: Promise<unknown>): Promise<ProbeError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ProbeError);
    return e as ProbeError;
  }
  throw new Error('expected a ProbeError, got a value');
}

describe('queryUrl', () => {
  it('keeps a path prefix and sends an explicit time', () => {
    const u = new URL(queryUrl('http://h:1/prom', 'sum(x)', new Date(1_700_000_000_500)));
    expect(u.pathname).toBe('/prom/api/v1/query');
    expect(u.searchParams.get('query')).toBe('sum(x)');
    expect(u.searchParams.get('time')).toBe('1700000000.500');
  });
});

describe.skipIf(!available)('queryPrometheus against a real Prometheus', () => {
  let env: PrometheusEnv;
  // Set once the servers are up: a beforeAll that failed before then has nothing to stop.
  let stopEnv: (() => Promise<void>) | undefined;
  const q = (query: string, time = new Date()) => queryPrometheus({ probe: 'p1', url: env.promUrl, query, time, timeoutMs: 5000 });

  beforeAll(async () => {
    env = await startPrometheusEnv();
    stopEnv = () => env.stop();
    await pushMetrics(env.pushUrl, 'prom_test', [
      { name: 'rs_latency_ms', value: 250 },
      { name: 'rs_multi', value: 3, labels: { shard: 'a' } },
      { name: 'rs_multi', value: 4, labels: { shard: 'b' } },
      { name: 'rs_nan', value: NaN },
      { name: 'rs_inf', value: Infinity },
      { name: 'rs_zero', value: 0 },
    ]);
    await waitForQuery(env.promUrl, 'rs_latency_ms{job="prom_test"}', '250');
    await waitForQuery(env.promUrl, 'count(rs_multi{job="prom_test"})', '2');
  }, 90_000);
  afterAll(async () => {
    await stopEnv?.();
  });

  it('reads a single-series vector', async () => {
    expect(await q('rs_latency_ms{job="prom_test"}')).toBe(250);
  });

  it('reads a scalar result', async () => {
    expect(await q('scalar(rs_latency_ms{job="prom_test"}) * 2')).toBe(500);
  });

  it('a real 0 is 0', async () => {
    expect(await q('rs_zero{job="prom_test"}')).toBe(0);
  });

  it('an empty result is no data, never 0', async () => {
    const e = await rejection(q('rs_does_not_exist'));
    expect(e.nodata).toBe(true);
    expect(e.message).toBe('probe p1: no data (query returned an empty result)');
  });

  it('a time before the data existed is no data', async () => {
    const e = await rejection(q('rs_latency_ms{job="prom_test"}', new Date(Date.now() - 3_600_000)));
    expect(e.nodata).toBe(true);
  });

  it('NaN and +Inf are no data', async () => {
    const nan = await rejection(q('rs_nan{job="prom_test"}'));
    expect([nan.nodata, nan.message]).toEqual([true, 'probe p1: no data (query returned NaN)']);
    const inf = await rejection(q('rs_inf{job="prom_test"}'));
    expect([inf.nodata, inf.message]).toEqual([true, 'probe p1: no data (query returned +Inf)']);
    const neg = await rejection(q('-1 * rs_inf{job="prom_test"}'));
    expect(neg.message).toBe('probe p1: no data (query returned -Inf)');
  });

  it('a multi-series vector is a configuration error that says to wrap it in sum()', async () => {
    const e = await rejection(q('rs_multi{job="prom_test"}'));
    expect(e.nodata).toBe(false);
    expect(e.message).toMatch(/^probe p1: query returned 2 series \(\{.*shard="a".*\}, \{.*shard="b".*\}\); .*wrap the query in sum\(\)/);
    expect(await q('sum(rs_multi{job="prom_test"})')).toBe(7);
  });

  it('a range vector is a configuration error', async () => {
    const e = await rejection(q('rs_latency_ms{job="prom_test"}[1m]'));
    expect(e.message).toMatch(/range vector; use an instant query/);
  });

  it('status: error becomes a clear error naming the probe', async () => {
    const e = await rejection(q('sum(rs_latency_ms'));
    expect(e.nodata).toBe(false);
    expect(e.message).toMatch(/^probe p1: Prometheus rejected the query \(bad_data\): .*parse error/);
  });
});

describe('queryPrometheus against things that are not Prometheus', () => {
  it('a non-JSON proxy page is a clear error naming the probe', async () => {
    const srv = await startHttp((_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>');
    });
    try {
      const e = await rejection(queryPrometheus({ probe: 'api_p95', url: srv.url, query: 'up', time: new Date() }));
      expect(e.message).toBe(
        `probe api_p95: ${srv.url}/api/v1/query returned an HTML page, not JSON (HTTP 502: "502 Bad Gateway nginx"); ` +
          'check the url points at the service itself, not a proxy or login page',
      );
    } finally {
      await srv.close();
    }
  });

  it('JSON that is not a Prometheus response is an error', async () => {
    const srv = await startHttp((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"hello":"world"}');
    });
    try {
      const e = await rejection(queryPrometheus({ probe: 'x', url: srv.url, query: 'up', time: new Date() }));
      expect(e.message).toMatch(/^probe x: .* answered JSON that is not a Prometheus API response \(HTTP 200\)/);
    } finally {
      await srv.close();
    }
  });

  it('a server that never answers times out', async () => {
    const srv = await startHttp(() => {
      /* never respond */
    });
    try {
      const e = await rejection(queryPrometheus({ probe: 'slow', url: srv.url, query: 'up', time: new Date(), timeoutMs: 300 }));
      expect(e.message).toBe(`probe slow: ${srv.url}/api/v1/query did not answer within 0.3s`);
    } finally {
      await srv.close();
    }
  });

  it('a refused connection names the probe, without credentials from the url', async () => {
    const srv = await startHttp(() => {});
    const url = srv.url.replace('http://', 'http://user:hunter2secret@');
    await srv.close();
    const e = await rejection(queryPrometheus({ probe: 'down', url, query: 'up', time: new Date() }));
    expect(e.message).toMatch(/^probe down: cannot reach http:\/\/127\.0\.0\.1:\d+\/api\/v1\/query \(ECONNREFUSED\)$/);
    expect(e.message).not.toContain('hunter2');
  });
});

// The demo service is what `npm start` and checklists/demo.yaml run against; its answers must
// have the shapes runsheet's HTTP checks and Prometheus probes expect.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

interface DemoService {
  url: string;
  port: number;
  stop(): Promise<void>;
}
type DemoHandler = ((req: unknown, res: unknown) => void) & { close(): void };
interface DemoModule {
  startDemoService: (opts?: { port?: number; stateFile?: string; fresh?: boolean }) => Promise<DemoService>;
  createDemoHandler: (opts?: { now?: () => number }) => DemoHandler;
}

const script = join(import.meta.dirname, '..', '..', 'scripts', 'demo-service.mjs');
// A computed specifier: the module is plain JS without type declarations.
const load = async (): Promise<DemoModule> => (await import(pathToFileURL(script).href)) as DemoModule;

interface PromBody {
  status: string;
  errorType?: string;
  error?: string;
  data?: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] };
}

describe('demo service', () => {
  let svc: DemoService;
  // vitest runs the returned function after the tests, and only if the service started.
  beforeAll(async () => {
    svc = await (await load()).startDemoService({ port: 0 });
    return () => svc.stop();
  });

  const get = async (path: string, init?: RequestInit) => {
    const res = await fetch(svc.url + path, init);
    return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as Record<string, unknown> };
  };

  it('listens on 127.0.0.1 on the port it reports', () => {
    expect(svc.port).toBeGreaterThan(0);
    expect(svc.url).toBe(`http://127.0.0.1:${svc.port}`);
  });

  it('answers /health with database and redis ok', async () => {
    const r = await get('/health');
    expect(r.status).toBe(200);
    expect(r.type).toBe('application/json');
    expect(r.body).toEqual({ status: 'ok', database: 'ok', redis: 'ok', version: '1.4.2' });
  });

  it('answers /stats with a small error rate and a request rate', async () => {
    const r = await get('/stats');
    const body = r.body as { errors: { rate_5m: number }; requests: { per_s: number } };
    expect(body.errors.rate_5m).toBeGreaterThan(0);
    expect(body.errors.rate_5m).toBeLessThan(0.05);
    expect(body.requests.per_s).toBeGreaterThan(50);
  });

  it('answers a named Prometheus query with a one-series vector at the requested time', async () => {
    const time = 1_700_000_000.25;
    const r = await get(`/api/v1/query?query=${encodeURIComponent('demo_latency_p95_ms')}&time=${time}`);
    const body = r.body as unknown as PromBody;
    expect(r.status).toBe(200);
    expect(body.status).toBe('success');
    expect(body.data!.resultType).toBe('vector');
    expect(body.data!.result).toHaveLength(1);
    const [t, v] = body.data!.result[0].value;
    expect(t).toBe(time);
    expect(typeof v).toBe('string');
    // 180 ms ± 3% (slow sine + jitter)
    expect(Number(v)).toBeGreaterThan(174);
    expect(Number(v)).toBeLessThan(186);
    // Same instant, same answer: the noise is a function of the query time.
    const again = (await get(`/api/v1/query?query=demo_latency_p95_ms&time=${time}`)).body as unknown as PromBody;
    expect(again.data!.result[0].value[1]).toBe(v);
  });

  it('moves the numbers a little over time', async () => {
    const values = new Set<string>();
    for (let i = 0; i < 10; i++) {
      const b = (await get(`/api/v1/query?query=demo_requests_per_second&time=${1_700_000_000 + i * 7}`)).body as unknown as PromBody;
      const v = Number(b.data!.result[0].value[1]);
      expect(v).toBeGreaterThan(90);
      expect(v).toBeLessThan(102);
      values.add(b.data!.result[0].value[1]);
    }
    expect(values.size).toBeGreaterThan(5);
  });

  it('accepts an RFC 3339 time and serves an empty vector for demo_no_data', async () => {
    const b = (await get('/api/v1/query?query=demo_no_data&time=2024-01-01T00:00:00Z')).body as unknown as PromBody;
    expect(b).toEqual({ status: 'success', data: { resultType: 'vector', result: [] } });
  });

  it('rejects an unknown query and a bad time as bad_data', async () => {
    const unknown = await get('/api/v1/query?query=up');
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ status: 'error', errorType: 'bad_data' });
    expect(String(unknown.body.error)).toContain('demo_latency_p95_ms');
    const badTime = await get('/api/v1/query?query=demo_error_rate&time=yesterday');
    expect(badTime.body).toMatchObject({ status: 'error', errorType: 'bad_data' });
    expect((await get('/nope')).status).toBe(404);
  });

  it('answers /slow no sooner than asked', async () => {
    const started = performance.now();
    const r = await get('/slow?ms=250');
    const elapsed = performance.now() - started;
    expect(r.body).toEqual({ slept_ms: 250 });
    expect(elapsed).toBeGreaterThanOrEqual(245); // timer granularity; the point is "not early"
    expect((await get('/slow?ms=-1')).status).toBe(400);
  });

  it('switches releases on POST /release and /rollback, and the numbers follow', async () => {
    const t = 1_700_000_100;
    const p95 = async () =>
      Number(((await get(`/api/v1/query?query=demo_latency_p95_ms&time=${t}`)).body as unknown as PromBody).data!.result[0].value[1]);
    const before = await p95();
    expect((await get('/release', { method: 'POST' })).body).toEqual({ version: '1.5.0' });
    expect((await get('/health')).body.version).toBe('1.5.0');
    const after = await p95();
    expect(after).toBeLessThan(before * 0.9);
    expect((await get('/rollback', { method: 'POST' })).body).toEqual({ version: '1.4.2' });
    expect(await p95()).toBe(before);
  });
});

describe('demo service with a state file', () => {
  it('comes back serving the release it last deployed; fresh or a torn file start at 1.4.2', async () => {
    const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(join(tmpdir(), 'rs-demo-state-'));
    const stateFile = join(dir, 'demo', 'service.json');
    const { startDemoService } = await load();
    const version = async (s: DemoService) => ((await (await fetch(`${s.url}/health`)).json()) as { version: string }).version;
    try {
      const a = await startDemoService({ port: 0, stateFile });
      expect(await version(a)).toBe('1.4.2');
      await fetch(`${a.url}/release`, { method: 'POST' });
      await a.stop();
      const b = await startDemoService({ port: 0, stateFile });
      expect(await version(b)).toBe('1.5.0');
      await b.stop();
      const c = await startDemoService({ port: 0, stateFile, fresh: true });
      expect(await version(c)).toBe('1.4.2');
      await c.stop();
      await writeFile(stateFile, '{"release":"1.5');
      const d = await startDemoService({ port: 0, stateFile });
      expect(await version(d)).toBe('1.4.2');
      await d.stop();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('demo service, run directly', () => {
  it('prints its URL, serves, and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, [script, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) resolve(out.split('\n')[0]);
      });
      child.once('exit', () => reject(new Error(`exited before listening: ${out}`)));
    });
    const m = /^listening (http:\/\/127\.0\.0\.1:(\d+))$/.exec(line);
    expect(m).not.toBeNull();
    const health = await fetch(`${m![1]}/health`);
    expect(health.status).toBe(200);
    child.kill('SIGTERM');
    expect(await exited).toEqual({ code: 0, signal: null });
  });

  it('refuses a bad --port with exit 2', async () => {
    const child = spawn(process.execPath, [script, '--port', 'eighty'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(err).toContain('--port');
  });
});

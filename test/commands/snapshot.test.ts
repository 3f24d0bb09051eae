// `snapshot capture` writes real files from real probes; `snapshot diff` reads them back.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureIo } from '../support/capture-io.js';
import { snapshotCaptureCommand, snapshotDiffCommand } from '../../src/commands/snapshot.js';
import { UserError } from '../../src/core/errors.js';
import { startHttp } from '../support/prometheus.js';

let srv: Awaited<ReturnType<typeof startHttp>>;
let stats = { p95: 200, errors: 0.5, users: 1000 };
beforeAll(async () => {
  srv = await startHttp((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ latency: { p95: stats.p95 }, errors: { rate: stats.errors }, users: stats.users }));
  });
});
afterAll(() => srv.close());

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'runsheet-snapshot-cmd-'));
  stats = { p95: 200, errors: 0.5, users: 1000 };
});
afterEach(() => rm(dir, { recursive: true, force: true }));

function checklist(opts: { p95Path?: string; criticalUsers?: boolean; failP95?: string } = {}): string {
  return `version: 1
title: Snapshot command test
vars:
  API: ${srv.url}
environments:
  prod: {vars: {}}
metrics:
  - id: api_p95_ms
    unit: ms
    http: {url: '\${API}/stats', json: ${opts.p95Path ?? 'latency.p95'}}
    better: lower
    tolerance: 5%
    warn: '+10%'
    fail: '${opts.failP95 ?? '+25%'}'
  - id: error_rate
    unit: '%'
    http: {url: '\${API}/stats', json: errors.rate}
    better: lower
    noise_floor: 0.1
    warn: '+0.5'
  - id: active_users
    http: {url: '\${API}/stats', json: users}
    better: none
    critical: ${opts.criticalUsers ?? false}
samples: 2
interval: 20ms
phases:
  - id: deploy
    title: Deploy
    items:
      - id: ship
        title: Ship it
`;
}

async function writeChecklist(text: string, name = 'checklist.yaml'): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, text);
  return file;
}

function io() {
  return captureIo({ cwd: dir, env: {} });
}

async function capture(file: string, label: string): Promise<{ code: number; path: string; out: string }> {
  const c = io();
  const code = await snapshotCaptureCommand(file, { label, env: 'prod' }, c.io);
  const m = /written to (.+\.json)\n/.exec(c.out());
  expect(m, c.out() + c.err()).not.toBeNull();
  return { code, path: m![1], out: c.out() };
}

async function diff(a: string, b: string, opts: { checklist?: string; json?: boolean; force?: boolean } = {}) {
  const c = io();
  const code = await snapshotDiffCommand(a, b, opts, c.io);
  return { code, out: c.out(), err: c.err() };
}

describe('snapshot capture', () => {
  it('writes a validated snapshot file into snapshots/ and prints the values', async () => {
    const file = await writeChecklist(checklist());
    const { code, path, out } = await capture(file, 'baseline');
    expect(code).toBe(0);
    expect(path.startsWith(join(dir, 'snapshots', 'baseline-'))).toBe(true);
    expect(out).toMatch(/api_p95_ms\s+200 ms\s+200 ms\s+200 ms\s+2\/2/);
    const json = JSON.parse(await readFile(path, 'utf8'));
    expect(json).toMatchObject({
      schema: 'runsheet.snapshot/v1',
      label: 'baseline',
      run_id: null,
      checklist: 'Snapshot command test',
      environment: 'prod',
    });
    expect(json.probes.map((p: { id: string; value: number }) => [p.id, p.value])).toEqual([
      ['api_p95_ms', 200],
      ['error_rate', 0.5],
      ['active_users', 1000],
    ]);
    // No temp files left behind.
    expect((await readdir(join(dir, 'snapshots'))).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('--snapshots DIR, and exit 3 / 1 when a probe has no data (non-critical / critical)', async () => {
    const file = await writeChecklist(checklist({ p95Path: 'latency.p99' }));
    const c = io();
    expect(await snapshotCaptureCommand(file, { label: 'b', snapshots: 'elsewhere', env: 'prod' }, c.io)).toBe(3);
    expect(c.out()).toMatch(/api_p95_ms\s+no data/);
    expect((await readdir(join(dir, 'elsewhere'))).length).toBe(1);
    stats.users = null as unknown as number;
    const crit = await writeChecklist(checklist({ criticalUsers: true }), 'crit.yaml');
    expect(await snapshotCaptureCommand(crit, { label: 'b', env: 'prod' }, io().io)).toBe(1);
  });

  it('refuses a label that is not a safe file name', async () => {
    const file = await writeChecklist(checklist());
    await expect(snapshotCaptureCommand(file, { label: '../../etc/x' }, io().io)).rejects.toThrow(UserError);
    await expect(snapshotCaptureCommand(file, { label: '../../etc/x' }, io().io)).rejects.toThrow(/cannot be used as a file name/);
  });
});

describe('snapshot diff', () => {
  it('round-trips: pass (exit 0), warn (exit 3), fail (exit 1), by hand-checked rules', async () => {
    const file = await writeChecklist(checklist());
    const a = (await capture(file, 'baseline')).path;

    stats = { p95: 205, errors: 0.55, users: 4000 }; // +2.5% similar; +0.05 < floor; none: not judged
    const same = (await capture(file, 'after')).path;
    let r = await diff(a, same);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/api_p95_ms\s+200 ms\s+205 ms\s+\+5\s+\+2\.5%\s+similar\s+pass/);
    expect(r.out).toMatch(/overall: PASS\n$/);

    stats = { p95: 230, errors: 0.5, users: 1000 }; // +15% > warn 10%
    const warn = (await capture(file, 'after')).path;
    r = await diff(a, warn);
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/worse by \+15% \(\+30 ms\) > warn 10%/);

    stats = { p95: 200, errors: 1.1, users: 1000 }; // +0.6 > warn +0.5 absolute… and p95 fine
    const errWarn = (await capture(file, 'after')).path;
    expect((await diff(a, errWarn)).code).toBe(3);

    stats = { p95: 300, errors: 0.5, users: 1000 }; // +50% > fail 25%
    const fail = (await capture(file, 'after')).path;
    r = await diff(a, fail, { json: true });
    expect(r.code).toBe(1);
    const json = JSON.parse(r.out);
    expect(json.overall).toBe('fail');
    expect(json.rows[0]).toMatchObject({
      id: 'api_p95_ms',
      baseline: 200,
      after: 300,
      verdict: 'worse',
      status: 'fail',
      change: { abs: 100, rel: 0.5 },
    });
    expect(json.files).toEqual({ baseline: a, after: fail });
  });

  it('--checklist judges by the checklist rules', async () => {
    const file = await writeChecklist(checklist());
    const a = (await capture(file, 'baseline')).path;
    stats.p95 = 300;
    const b = (await capture(file, 'after')).path;
    expect((await diff(a, b)).code).toBe(1);
    const loose = await writeChecklist(checklist({ failP95: '+60%' }), 'loose.yaml');
    const r = await diff(a, b, { checklist: loose });
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/worse by \+50% \(\+100 ms\) > warn 10%/);
  });

  it('refuses snapshots taken with different probe definitions unless --force', async () => {
    const a = (await capture(await writeChecklist(checklist()), 'baseline')).path;
    const b = (await capture(await writeChecklist(checklist({ p95Path: 'users' }), 'other.yaml'), 'after')).path;
    await expect(diff(a, b)).rejects.toThrow(/were taken with different probe definitions \(api_p95_ms\).*pass --force/);
    const forced = await diff(a, b, { force: true });
    expect(forced.err).toMatch(/warning: .*different probe definitions \(api_p95_ms\).*--force/);
    expect(forced.code).toBe(1); // 200 → 1000 is +400%

    const other = await writeChecklist(checklist({ p95Path: 'users' }), 'other2.yaml');
    await expect(diff(a, a, { checklist: other })).rejects.toThrow(/defines api_p95_ms differently from the snapshots/);
  });

  it('clear errors for missing, non-JSON and foreign files', async () => {
    const a = (await capture(await writeChecklist(checklist()), 'baseline')).path;
    await expect(diff(join(dir, 'nope.json'), a)).rejects.toThrow(/nope\.json does not exist/);
    await writeFile(join(dir, 'html.json'), '<html>');
    await expect(diff(join(dir, 'html.json'), a)).rejects.toThrow(/is not JSON, so not a runsheet snapshot/);
    await writeFile(join(dir, 'other.json'), '{"schema":"something/v9"}');
    await expect(diff(join(dir, 'other.json'), a)).rejects.toThrow(/not a runsheet snapshot \(schema "something\/v9"/);
    const broken = JSON.parse(await readFile(a, 'utf8'));
    broken.probes[0].value = 'high';
    await writeFile(join(dir, 'broken.json'), JSON.stringify(broken));
    await expect(diff(join(dir, 'broken.json'), a)).rejects.toThrow(/damaged snapshot: probes\.0\.value/);
  });
});

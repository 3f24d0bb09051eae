// snapshot → change → compare inside a real headless run, against a real HTTP endpoint.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCommand } from '../../src/commands/run.js';
import { tempDir, testIo, writeChecklist } from '../support/tmp.js';
import { startServer } from '../support/http-server.js';

let t: Awaited<ReturnType<typeof tempDir>>;
let server: Awaited<ReturnType<typeof startServer>>;
let p95 = 100;
beforeEach(async () => {
  t = await tempDir('rs-hm-');
  p95 = 100;
  server = await startServer({
    '/stats': () => ({ status: 200, body: JSON.stringify({ latency: { p95 } }) }),
    // "deploying" changes the number the next capture will see
    '/deploy': (u) => ((p95 = Number(u.searchParams.get('p95'))), { status: 200, body: '{"ok":true}' }),
  });
});
afterEach(async () => {
  await server.close();
  await t.cleanup();
});

const checklist = (after: number) => `version: 1
title: Metrics
samples: 2
interval: 0s
metrics:
  - {id: p95, title: p95, unit: ms, http: {url: '${server.url}/stats', json: latency.p95}, better: lower, tolerance: 5%, warn: '+10%', fail: '+25%', critical: true}
phases:
  - title: Before
    items:
      - {title: Baseline, id: baseline, snapshot: {label: baseline}}
  - title: Change
    items:
      - {title: Deploy, id: deploy, http: {url: '${server.url}/deploy?p95=${after}', method: POST}}
      - {title: Compare, id: compare, compare: {baseline: baseline, label: after}}
`;

async function comparison(home: string) {
  const [runId] = await readdir(join(home, 'runs'));
  const lines = (await readFile(join(home, 'runs', runId, 'events.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  return lines.find((e) => e.type === 'comparison');
}

describe('metrics in a headless run', () => {
  it.each([
    [103, 0, 'pass', 'similar'],
    [80, 0, 'pass', 'better'],
    [115, 3, 'warn', 'worse'],
    [130, 1, 'fail', 'worse'],
  ])('after=%d → exit %d, comparison %s (%s)', async (after, code, status, verdict) => {
    const file = await writeChecklist(t.dir, 'm.yaml', checklist(after));
    const c = testIo(t.dir);
    expect(await runCommand({ file, auto: true, snapshots: join(t.dir, 'snaps') }, c.io), c.err()).toBe(code);
    const cmp = await comparison(join(t.dir, 'home'));
    expect(cmp).toMatchObject({ status, rows: [{ id: 'p95', baseline: 100, after, verdict }] });
    expect(c.out()).toMatch(/snapshot "baseline" taken: 1 probes/);
    const snaps = await readdir(join(t.dir, 'snaps'));
    expect(snaps.filter((f) => f.startsWith('baseline-'))).toHaveLength(1);
  });
});

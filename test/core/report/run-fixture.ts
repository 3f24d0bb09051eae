// A real run directory for report tests: checklist.yaml, hash-chained events.jsonl made with
// makeEvent, and state.json from foldEvents — the layout the engine writes.
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventBody, RunEvent } from '../../../src/core/events.js';
import { canonicalJson, makeEvent, sha256Hex } from '../../../src/core/events.js';
import { foldEvents } from '../../../src/core/state.js';
import { loadChecklistText } from '../../../src/core/load.js';
import { buildStatement } from '../../../src/core/report/statement.js';
import type { Statement } from '../../../src/core/report/predicate.js';

export const CHECKLIST_YAML = `version: 1
title: Payments API release
secrets: [DB_PASSWORD]
environments:
  production: {vars: {API_URL: https://example.com}}
phases:
  - id: pre
    title: Pre-Deployment
    signoff: [Tech Lead, QA Lead]
    items:
      - id: migrations
        title: Migrations reviewed
      - id: health
        title: Health
        run: curl -f \${API_URL}/health
  - id: deploy
    title: Deploy
    items:
      - id: version
        title: Version deployed
        record: text
      - id: smoke
        title: Smoke tests
        run: ./smoke.sh
      - id: later
        title: Tell support
rollback:
  items:
    - id: revert
      title: Revert
      run: echo revert
`;

export const RUN_ID = '20260301-100000-payments-api-ab12';

/** Events of a realistic run; `planted` values are put where an engine bug could leak them. */
export function fixtureEvents(planted: string[] = []): RunEvent[] {
  const bodies: EventBody[] = [
    {
      type: 'run.started',
      runId: RUN_ID,
      checklist: { path: '/ops/payments.yaml', sha256: sha256Hex(CHECKLIST_YAML), title: 'Payments API release' },
      env: 'production',
      vars: {},
    },
    { type: 'item.ticked', item: 'migrations' },
    { type: 'item.started', item: 'health', attempt: 1, command: 'curl -f https://example.com/health' },
    {
      type: 'item.failed',
      item: 'health',
      result: {
        ok: false,
        summary: 'exit 7',
        durationMs: 1200,
        exitCode: 7,
        stdout: { bytes: 40, sha256: 'a'.repeat(64), tail: `curl: (7) Failed to connect ${planted.join(' ')}` },
      },
    },
    { type: 'item.started', item: 'health', attempt: 2, command: 'curl -f https://example.com/health' },
    { type: 'item.passed', item: 'health', result: { ok: true, summary: 'exit 0', durationMs: 300, exitCode: 0 } },
    { type: 'signoff', phase: 'pre', name: 'alice', role: 'Tech Lead' },
    { type: 'item.recorded', item: 'version', value: 'v2.4.1' },
    { type: 'item.started', item: 'smoke', attempt: 1, command: './smoke.sh' },
    { type: 'item.failed', item: 'smoke', result: { ok: false, summary: 'exit 1', durationMs: 5000, exitCode: 1 } },
    { type: 'override', item: 'smoke', kind: 'failed-accepted', reason: 'flaky checkout test; verified by hand' },
    { type: 'note', text: `deploy went fine ${planted.join(' ')}`.trim() },
    { type: 'snapshot.taken', label: 'before', file: 'snapshots/before.json', sha256: 'b'.repeat(64), probes: 3, nodata: [] },
    {
      type: 'comparison',
      baseline: 'before',
      label: 'after',
      status: 'warn',
      rows: [{ metric: 'p95 latency', baseline: 120, current: 130, change: '+8.3%', status: 'warn' }],
    },
    { type: 'run.finished', status: 'passed' },
  ];
  const events: RunEvent[] = [];
  const t0 = Date.parse('2026-03-01T10:00:00.000Z');
  bodies.forEach((b, i) => {
    events.push(
      makeEvent(events[events.length - 1], b, {
        ts: new Date(t0 + i * 60_000).toISOString(),
        operator: i > 9 ? 'bob' : 'alice',
        host: 'bastion-1',
      }),
    );
  });
  return events;
}

export interface RunFixture {
  root: string;
  home: string;
  cwd: string;
  runId: string;
  events: RunEvent[];
}

export async function writeRunFixture(opts: { planted?: string[]; events?: RunEvent[] } = {}): Promise<RunFixture> {
  const root = await mkdtemp(join(tmpdir(), 'runsheet-report-'));
  const home = join(root, 'home');
  const cwd = join(root, 'work');
  const dir = join(home, 'runs', RUN_ID);
  await mkdir(join(dir, 'logs'), { recursive: true });
  await mkdir(cwd, { recursive: true });
  const events = opts.events ?? fixtureEvents(opts.planted);
  await writeFile(join(dir, 'events.jsonl'), events.map((e) => canonicalJson(e) + '\n').join(''));
  await writeFile(join(dir, 'state.json'), JSON.stringify(foldEvents(events)));
  await writeFile(join(dir, 'checklist.yaml'), CHECKLIST_YAML);
  return { root, home, cwd, runId: RUN_ID, events };
}

/** The fixture run's statement, built in memory (no files). */
export function fixtureStatement(planted: string[] = [], secrets: string[] = []): Statement {
  const { checklist, problems } = loadChecklistText(CHECKLIST_YAML, 'payments.yaml', { env: 'production' });
  if (!checklist) throw new Error(`fixture checklist does not load: ${JSON.stringify(problems)}`);
  const events = fixtureEvents(planted);
  return buildStatement({
    checklist,
    checklistFile: { name: 'payments.yaml', sha256: sha256Hex(CHECKLIST_YAML) },
    state: foldEvents(events),
    events,
    subjects: [{ name: 'registry.example.com/payments', digest: { sha256: 'c'.repeat(64) } }],
    tool: { name: 'runsheet', version: '1.2.3' },
    secrets,
  });
}

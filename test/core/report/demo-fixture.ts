// A demo-shaped run of checklists/demo.yaml for the human-report tests: real checklist, hash-chained
// events as the engine writes them (HTTP and command results with their details, comparison rows
// as compareSnapshots makes them, a three-capture watch, notes, an accepted warning, a rollback),
// optionally left unfinished. Hostile text is planted where operators and services write.
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventBody, ItemResult, RunEvent } from '../../../src/core/events.js';
import { canonicalJson, makeEvent, sha256Hex } from '../../../src/core/events.js';
import { foldEvents } from '../../../src/core/state.js';
import { loadChecklistText } from '../../../src/core/load.js';
import { buildStatement } from '../../../src/core/report/statement.js';
import type { Statement } from '../../../src/core/report/predicate.js';
import type { Checklist } from '../../../src/core/model.js';

export const DEMO_YAML = readFileSync(join(import.meta.dirname, '..', '..', '..', 'checklists', 'demo.yaml'), 'utf8');
export const DEMO_RUN_ID = '20261203-063735-demo-service-release-1-5-5c95';
export const ROLLBACK_REASON = 'p95 latency 12% worse on checkout | pager fired';
export const HOSTILE_NOTE = 'disk at 71% | not a \u001b[2Jproblem\nsecond line [x](javascript:alert(1)) <img src=x onerror=alert(1)>';

export function demoChecklist(): Checklist {
  const { checklist, problems } = loadChecklistText(DEMO_YAML, 'demo.yaml', { set: { DEMO_URL: 'http://127.0.0.1:8787' } });
  if (!checklist) throw new Error(`demo checklist does not load: ${JSON.stringify(problems)}`);
  return checklist;
}

const PROBES = [
  { id: 'latency_p95_ms', title: 'Latency p95', unit: 'ms', b: 176.27, a: [195.1, 186.4, 190.2, 197.5], critical: true },
  { id: 'latency_p50_ms', title: 'Latency p50', unit: 'ms', b: 47.9, a: [46.1], critical: false },
  { id: 'error_rate_pct', title: 'Error rate (Prometheus)', unit: '%', b: 0.423, a: [0.304, 0.31, 0.305, 0.309], critical: false },
  { id: 'request_rate', title: 'Request rate', unit: 'req/s', b: 97.74, a: [96.49, 96.2, 97.1, 96.8], critical: false },
  { id: 'stats_error_rate', title: "Error rate (service's own /stats)", unit: 'ratio', b: 0.00423, a: [0.00305], critical: false },
  { id: 'open_tickets', title: 'Open support tickets (typed in by the operator)', unit: 'tickets', b: 4, a: [4], critical: false },
];

function row(p: (typeof PROBES)[number], k: number) {
  const a = p.a[Math.min(k, p.a.length - 1)];
  const abs = a - p.b;
  const rel = abs / Math.abs(p.b);
  const worse = p.id.startsWith('latency') && rel > 0.05;
  const status = worse && rel > 0.1 ? 'warn' : 'pass';
  return {
    id: p.id,
    title: p.title,
    unit: p.unit,
    critical: p.critical,
    baseline: p.b,
    after: a,
    change: { abs, rel },
    verdict: Math.abs(rel) <= 0.05 ? 'similar' : worse ? 'worse' : 'better',
    status,
    rule:
      Math.abs(rel) <= 0.05
        ? `${(rel * 100).toFixed(1)}% within tolerance ±5%`
        : worse
          ? `worse by +${(rel * 100).toFixed(1)}% ${status === 'warn' ? '> warn' : 'within warn'} 10%`
          : `${(rel * 100).toFixed(1)}% is better (lower is better)`,
    samples: { baseline: [p.b * 0.99, p.b, p.b * 1.01], after: [a * 0.99, a, a * 1.01] },
  };
}

function comparison(item: string, label: string, k: number, ids?: string[]): EventBody {
  const rows = PROBES.filter((p) => !ids || ids.includes(p.id)).map((p) => row(p, k));
  const status = rows.some((r) => r.status === 'fail') ? 'fail' : rows.some((r) => r.status === 'warn') ? 'warn' : 'pass';
  return { type: 'comparison', item, baseline: 'baseline', label, status, rows };
}

const cmd = (summary: string, tail: string, durationMs: number): ItemResult => ({
  ok: true,
  summary,
  durationMs,
  exitCode: 0,
  stdout: { bytes: tail.length, sha256: sha256Hex(tail), tail },
});
const http = (status: number, latencyMs: number, attempts = 1): ItemResult => ({
  ok: true,
  summary: `HTTP ${status} in ${latencyMs}ms`,
  durationMs: latencyMs + 3,
  http: { status, latencyMs, attempts },
});

export function demoEvents(opts: { finished?: boolean } = {}): RunEvent[] {
  const finished = opts.finished ?? true;
  const W = ['latency_p95_ms', 'error_rate_pct', 'request_rate'];
  const steps: [EventBody, number, string?][] = [
    [
      {
        type: 'run.started',
        runId: DEMO_RUN_ID,
        checklist: {
          path: '/srv/runsheet/checklists/demo.yaml',
          sha256: sha256Hex(DEMO_YAML),
          title: 'Demo service — release 1.5.0 to local',
        },
        env: null,
        vars: { DEMO_URL: 'http://127.0.0.1:8787' },
      },
      0,
    ],
    [{ type: 'item.started', item: 'node-version', attempt: 1, command: 'node --version' }, 2],
    [{ type: 'item.passed', item: 'node-version', result: cmd('exit 0', 'v20.20.2\n', 41) }, 1],
    [{ type: 'item.started', item: 'disk-space', attempt: 1, command: 'df -h .' }, 0],
    [
      {
        type: 'item.passed',
        item: 'disk-space',
        result: cmd('exit 0', 'Filesystem Size Used Avail Use% Mounted on\n/dev/sda1 40G 28G 12G 71% /\n', 23),
      },
      1,
    ],
    [{ type: 'note', item: 'disk-space', text: HOSTILE_NOTE }, 20],
    [{ type: 'item.passed', item: 'shell-env', result: { ok: true, summary: 'all 2 set', durationMs: 0 } }, 1],
    [{ type: 'item.started', item: 'port-open', attempt: 1 }, 0],
    [{ type: 'item.passed', item: 'port-open', result: cmd('exit 0', 'port 8787 is open\n', 60) }, 1],
    [{ type: 'item.started', item: 'health-before', attempt: 1, request: 'GET http://127.0.0.1:8787/health' }, 0],
    [{ type: 'item.passed', item: 'health-before', result: http(200, 12) }, 1],
    [{ type: 'item.ticked', item: 'release-notes-read' }, 30],
    [{ type: 'item.ticked', item: 'rollback-plan-known' }, 10],
    [{ type: 'item.recorded', item: 'window-start', value: '2026-12-03T06:40:00.000Z' }, 5],
    [{ type: 'signoff', phase: 'prepare', name: 'Ann Example', role: 'Release Owner' }, 20],
    [{ type: 'item.recorded', item: 'p95-dashboard-before', value: 182, unit: 'ms' }, 30],
    [{ type: 'item.started', item: 'baseline', attempt: 1 }, 0],
    [
      {
        type: 'snapshot.taken',
        item: 'baseline',
        label: 'baseline',
        file: 'snapshots/baseline-20261203T064000Z.json',
        sha256: 'b'.repeat(64),
        probes: 6,
        nodata: [],
      },
      4,
    ],
    [
      {
        type: 'item.passed',
        item: 'baseline',
        result: {
          ok: true,
          summary: '6/6 probes captured',
          durationMs: 3900,
          detail: { file: 'snapshots/baseline.json', sha256: 'b'.repeat(64) },
        },
      },
      0,
    ],
    [{ type: 'note', text: 'Bridge call open; Lee joined as on-call.' }, 40],
    [{ type: 'item.started', item: 'ship-release', attempt: 1, command: 'node -e "fetch(\'http://127.0.0.1:8787/release\', …)"' }, 30],
    [{ type: 'item.passed', item: 'ship-release', result: cmd('exit 0', 'now serving 1.5.0\n', 412) }, 1],
    [{ type: 'item.started', item: 'warm-caches', attempt: 1 }, 0],
    [{ type: 'item.passed', item: 'warm-caches', result: cmd('exit 0', 'answered after 1503 ms\n', 1561) }, 2],
    [{ type: 'item.started', item: 'health-after', attempt: 1 }, 0],
    [{ type: 'item.passed', item: 'health-after', result: http(200, 9, 2) }, 2],
    [{ type: 'item.started', item: 'stats-answer', attempt: 1 }, 0],
    [{ type: 'item.passed', item: 'stats-answer', result: http(200, 4) }, 1],
    [{ type: 'item.started', item: 'compare-after', attempt: 1 }, 30],
    [comparison('compare-after', 'after-release', 0), 4],
    [
      {
        type: 'item.warned',
        item: 'compare-after',
        result: { ok: false, verdict: 'warn', summary: 'comparison warn: latency_p95_ms warn', durationMs: 4100 },
      },
      0,
    ],
    [{ type: 'override', item: 'compare-after', phase: 'verify', kind: 'warn-acknowledged', reason: 'p95 within SLO; watching it' }, 25],
    [{ type: 'item.started', item: 'watch-after', attempt: 1 }, 1],
    [comparison('watch-after', 'watch', 1, W), 3],
    [comparison('watch-after', 'watch', 2, W), 10],
    [comparison('watch-after', 'watch', 3, W), 10],
    [
      {
        type: 'item.failed',
        item: 'watch-after',
        result: { ok: false, verdict: 'warn', summary: 'watch completed: warn after 3 comparison(s)', durationMs: 23_000 },
      },
      1,
    ],
    [{ type: 'note', item: 'watch-after', text: 'p95 climbing on /checkout; calling it.' }, 15],
    [{ type: 'item.skipped', item: 'user-facing-check', reason: 'no UI in the demo | nothing to click' }, 3],
    [{ type: 'rollback.started', reason: ROLLBACK_REASON }, 20],
    [{ type: 'item.recorded', item: 'rollback-reason', value: 'p95 regression on checkout' }, 30],
    [{ type: 'item.started', item: 'rollback-release', attempt: 1 }, 10],
    [{ type: 'item.passed', item: 'rollback-release', result: cmd('exit 0', 'now serving 1.4.2\n', 388) }, 1],
    [{ type: 'item.started', item: 'health-rolled-back', attempt: 1 }, 0],
    [{ type: 'item.passed', item: 'health-rolled-back', result: http(200, 11) }, 1],
  ];
  if (finished) {
    steps.push([{ type: 'item.ticked', item: 'rollback-told' }, 60]);
    steps.push([{ type: 'signoff', phase: 'rollback', name: 'Ann Example', role: 'Release Owner' }, 30]);
    steps.push([{ type: 'run.finished', status: 'failed' }, 5]);
  }
  const events: RunEvent[] = [];
  let t = Date.parse('2026-12-03T06:37:35.000Z');
  steps.forEach(([body, gap], i) => {
    t += gap * 1000;
    const operator = i > 38 ? 'lee' : 'ann';
    events.push(makeEvent(events[events.length - 1], body, { ts: new Date(t).toISOString(), operator, host: 'bastion-1' }));
  });
  return events;
}

export function demoStatement(opts: { finished?: boolean } = {}): Statement {
  const events = demoEvents(opts);
  return buildStatement({
    checklist: demoChecklist(),
    checklistFile: { name: 'demo.yaml', sha256: sha256Hex(DEMO_YAML) },
    state: foldEvents(events),
    events,
    subjects: [],
    tool: { name: 'runsheet', version: '0.1.0' },
  });
}

/** The run on disk (RUNSHEET_HOME layout), for command-level tests. */
export async function writeDemoRun(opts: { finished?: boolean } = {}): Promise<{ home: string; cwd: string; runId: string }> {
  const root = await mkdtemp(join(tmpdir(), 'runsheet-demo-report-'));
  const home = join(root, 'home');
  const cwd = join(root, 'work');
  const dir = join(home, 'runs', DEMO_RUN_ID);
  await mkdir(join(dir, 'logs'), { recursive: true });
  await mkdir(cwd, { recursive: true });
  const events = demoEvents(opts);
  await writeFile(join(dir, 'events.jsonl'), events.map((e) => canonicalJson(e) + '\n').join(''));
  await writeFile(join(dir, 'state.json'), JSON.stringify(foldEvents(events)));
  await writeFile(join(dir, 'checklist.yaml'), DEMO_YAML);
  return { home, cwd, runId: DEMO_RUN_ID };
}

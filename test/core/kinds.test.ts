// The kind table (src/core/kinds.ts) read from a real checklist: what each kind is called, whether
// runsheet runs it, what Enter does and asks, and the footer, engine and report that ask it.
import { describe, expect, it } from 'vitest';
import { loadChecklistText, formatProblem } from '../../src/core/load.js';
import { allItems, type Item } from '../../src/core/model.js';
import { KINDS, asksOf, enterOf, isAutomated, isCheck, knownKind } from '../../src/core/kinds.js';
import { describeAction, kindLabel } from '../../src/core/describe.js';
import { applicable } from '../../src/ui/footer.js';
import { Command } from '../../src/ui/keys.js';
import { resultInWords } from '../../src/core/report/item-result.js';
import type { ReportItem } from '../../src/core/report/predicate.js';

const TEXT = `version: 1
title: Kinds
metrics:
  - {id: p95, title: p95, command: 'echo 1'}
phases:
  - title: All
    items:
      - {title: Tick, id: tick}
      - {title: Action, id: action, run: 'deploy.sh', cwd: ops}
      - {title: Check, id: check, run: 'true', check: true}
      - {title: Get, id: get, http: {url: 'http://127.0.0.1:1/h'}, retries: 2, retry_delay: 3s}
      - {title: Post, id: post, http: {url: 'http://127.0.0.1:1/h', method: POST}}
      - {title: Env, id: env, require_env: [A_VAR]}
      - {title: When, id: when, record: time}
      - {title: Count, id: count, record: number, unit: ms}
      - {title: Pick, id: pick, record: choice, options: [a, b]}
      - {title: Snap, id: snap, snapshot: {label: before}}
      - {title: Compare, id: cmp, compare: {baseline: before}}
`;

function items(): Record<string, Item> {
  const { checklist, problems } = loadChecklistText(TEXT, 'k.yaml');
  expect(problems.map(formatProblem)).toEqual([]);
  return Object.fromEntries(allItems(checklist!).map((i) => [i.id, i]));
}

describe('the kind table', () => {
  it('says, per item, its label, whether it is a check, whether runsheet runs it and what Enter does', () => {
    const rows = Object.values(items()).map((i) => [i.id, kindLabel(i), isCheck(i), isAutomated(i), enterOf(i)]);
    expect(rows).toEqual([
      ['tick', 'manual', false, false, 'tick'],
      ['action', 'action', false, true, 'run'],
      ['check', 'check', true, true, 'run'],
      ['get', 'check', true, true, 'run'],
      ['post', 'action', false, true, 'run'],
      ['env', 'check', true, true, 'run'],
      ['when', 'record', false, false, 'record'],
      ['count', 'record', false, false, 'record'],
      ['pick', 'record', false, false, 'record'],
      ['snap', 'snapshot', false, true, 'run'],
      ['cmp', 'compare', false, true, 'run'],
    ]);
  });

  it('says what Enter asks for, and what headless --answers must hold for the items a person decides', () => {
    const it = items();
    expect(asksOf(it.tick)).toEqual({ kind: 'tick' });
    expect(asksOf(it.action)).toEqual({ kind: 'nothing' });
    expect(asksOf(it.when)).toEqual({ kind: 'value', hint: 'Enter for now, HH:MM or an ISO time' });
    expect(asksOf(it.count)).toEqual({ kind: 'value', hint: 'a number in ms' });
    expect(asksOf(it.pick)).toEqual({ kind: 'choice', options: ['a', 'b'] });
    const answers = Object.fromEntries(Object.entries(KINDS).map(([k, spec]) => [k, spec.answer]));
    expect(answers).toEqual({
      manual: '"tick" or "skip: reason"',
      run: null,
      http: null,
      require_env: null,
      record: '"record: VALUE"',
      snapshot: null,
      compare: null,
    });
  });

  it('describes each item the way plan and the detail pane show it', () => {
    const it = items();
    expect(describeAction(it.tick)).toBe('manual: tick when done');
    expect(describeAction(it.action)).toBe('$ deploy.sh  (in ops)');
    expect(describeAction(it.get)).toBe('GET http://127.0.0.1:1/h  [expect status 2xx]  (retries 2, every 3s)');
    expect(describeAction(it.env)).toBe('require env: A_VAR (set, non-empty, not a placeholder)');
    expect(describeAction(it.count)).toBe('record number (ms)');
    expect(describeAction(it.pick)).toBe('record choice: a / b');
    expect(describeAction(it.snap)).toBe('snapshot metrics as "before" (all metrics)');
    expect(describeAction(it.cmp)).toBe('compare "after" against "before"');
  });

  it('gives the footer its Enter label, Space only for a tick and r only for what runsheet runs', () => {
    const keys = (kind: Item['action']['kind'], status: string) =>
      applicable({
        kind,
        status,
        hasChecks: false,
        hasOutput: false,
        canSignoff: false,
        hasRollback: false,
        running: false,
        readOnly: false,
      })
        .filter((a) => [Command.Act, Command.Toggle, Command.Rerun].includes(a.command))
        .map((a) => `${a.command}:${a.label}`);
    expect(keys('manual', 'ticked')).toEqual(['act:tick', 'toggle:untick']);
    expect(keys('record', 'recorded')).toEqual(['act:record']);
    expect(keys('run', 'failed')).toEqual(['act:run', 'rerun:re-run']);
    expect(keys('compare', 'pending')).toEqual(['act:run']);
    expect(keys('require_env', 'passed')).toEqual(['act:run', 'rerun:re-run']);
  });

  it('words a report result by kind; an unknown kind (an item the checklist lost) by what it left', () => {
    const base: ReportItem = {
      id: 'x',
      phase: 'p',
      section: null,
      title: 'X',
      kind: 'run',
      critical: false,
      status: 'passed',
      result: 'exit 0',
      detail: { ok: true, summary: 'exit 0', durationMs: 400, exitCode: 0, stdout: { bytes: 9, sha256: 'a', tail: 'serving 1.5\n' } },
      attempts: 1,
      started_at: null,
      finished_at: null,
      value: null,
      unit: null,
      reason: null,
      resolution: null,
      notes: [],
    };
    expect(resultInWords(base)).toBe('exit 0 in 400 ms: serving 1.5');
    expect(resultInWords({ ...base, kind: 'unknown' })).toBe('exit 0 in 400 ms: serving 1.5');
    // require_env reports its summary, whatever the detail holds.
    const env = { ok: true, summary: 'all 1 set', durationMs: 0, exitCode: 0 };
    expect(resultInWords({ ...base, kind: 'require_env', detail: env })).toBe('all 1 set');
    expect(resultInWords({ ...base, kind: 'unknown', detail: env })).toBe('exit 0 in 0 ms');
    const http = { ok: true, summary: 'HTTP 200', durationMs: 12, http: { status: 200, latencyMs: 12, attempts: 1 } };
    expect(resultInWords({ ...base, kind: 'http', detail: http })).toBe('HTTP 200 in 12 ms');
    expect(knownKind('unknown')).toBe(false);
    expect(knownKind('toString')).toBe(false);
    expect(knownKind('compare')).toBe(true);
  });
});

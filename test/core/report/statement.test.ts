import { describe, expect, it } from 'vitest';
import { sha256Hex, chainHead } from '../../../src/core/events.js';
import { statementBytes } from '../../../src/core/report/statement.js';
import { PREDICATE_TYPE, STATEMENT_TYPE } from '../../../src/core/report/predicate.js';
import { statementProblem } from '../../../src/core/report/verify.js';
import { CHECKLIST_YAML, fixtureEvents, fixtureStatement, RUN_ID } from './run-fixture.js';

describe('buildStatement', () => {
  const st = fixtureStatement();
  const p = st.predicate;

  it('is an in-toto Statement v1 with the checklist and extra subjects', () => {
    expect(st._type).toBe(STATEMENT_TYPE);
    expect(st.predicateType).toBe(PREDICATE_TYPE);
    expect(st.subject).toEqual([
      { name: 'payments.yaml', digest: { sha256: sha256Hex(CHECKLIST_YAML) } },
      { name: 'registry.example.com/payments', digest: { sha256: 'c'.repeat(64) } },
    ]);
  });

  it('records run facts, items, overrides, records, sign-offs and metrics', () => {
    expect(p.run_id).toBe(RUN_ID);
    expect(p.checklist).toEqual({ title: 'Payments API release', version: 1, file: 'payments.yaml', sha256: sha256Hex(CHECKLIST_YAML) });
    expect(p.environment).toBe('production');
    expect(p.operators).toEqual(['alice', 'bob']);
    expect([p.started_at, p.finished_at, p.outcome]).toEqual(['2026-03-01T10:00:00.000Z', '2026-03-01T10:14:00.000Z', 'passed']);
    const health = p.items.find((i) => i.id === 'health')!;
    expect([health.status, health.result, health.attempts, health.phase]).toEqual(['passed', 'exit 0', 2, 'pre']);
    expect(p.items.find((i) => i.id === 'smoke')).toMatchObject({ status: 'overridden', reason: 'flaky checkout test; verified by hand' });
    expect(p.items.find((i) => i.id === 'later')?.status).toBe('pending');
    expect(p.items.find((i) => i.id === 'revert')?.phase).toBe('rollback');
    expect(p.overrides).toEqual([
      {
        seq: 11,
        ts: '2026-03-01T10:10:00.000Z',
        kind: 'failed-accepted',
        item: 'smoke',
        phase: null,
        reason: 'flaky checkout test; verified by hand',
        operator: 'bob',
      },
    ]);
    expect(p.records).toEqual([
      { seq: 8, ts: '2026-03-01T10:07:00.000Z', item: 'version', value: 'v2.4.1', unit: null, operator: 'alice' },
    ]);
    expect(p.signoffs).toEqual([{ phase: 'pre', name: 'alice', role: 'Tech Lead', ts: '2026-03-01T10:06:00.000Z' }]);
    expect(p.snapshots[0]).toMatchObject({ label: 'before', sha256: 'b'.repeat(64) });
    expect(p.comparisons[0]).toMatchObject({ label: 'after', status: 'warn' });
    expect(p.tool).toEqual({ name: 'runsheet', version: '1.2.3' });
  });

  it('computes summary counts and per-phase durations', () => {
    expect(p.summary).toEqual({
      total: 6,
      done: 4,
      passed: 1,
      failed: 0,
      ticked: 1,
      skipped: 0,
      recorded: 1,
      overridden: 1,
      interrupted: 0,
      running: 0,
      pending: 2,
    });
    const pre = p.phases.find((x) => x.id === 'pre')!;
    expect([pre.started_at, pre.finished_at, pre.duration_ms, pre.items, pre.done]).toEqual([
      '2026-03-01T10:01:00.000Z',
      '2026-03-01T10:05:00.000Z',
      240_000,
      2,
      2,
    ]);
    expect(p.phases.map((x) => x.id)).toEqual(['pre', 'deploy', 'rollback']);
    expect(p.phases[2]).toMatchObject({ rollback: true, duration_ms: null });
  });

  it('carries the full event chain and its head', () => {
    expect(p.events).toEqual(fixtureEvents());
    expect(p.events_head).toBe(chainHead(fixtureEvents()));
    expect(p.events_redacted).toEqual([]);
    expect(statementProblem(JSON.parse(new TextDecoder().decode(statementBytes(st))))).toBeNull();
  });

  it('redacts planted secrets everywhere yet keeps the chain checkable', () => {
    const secret = 'hunter2-very-secret';
    const red = fixtureStatement([secret], [secret]);
    const text = new TextDecoder().decode(statementBytes(red));
    expect(text).not.toContain(secret);
    expect(text).toContain('deploy went fine ***');
    expect(red.predicate.events_redacted.map((r) => r.seq)).toEqual([4, 12]);
    expect(red.predicate.events_head).toBe(chainHead(fixtureEvents([secret])));
    expect(statementProblem(JSON.parse(text))).toBeNull();
  });
});

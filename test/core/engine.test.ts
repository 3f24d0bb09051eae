import { describe, expect, it } from 'vitest';
import { RunEngine, GateError } from '../../src/core/engine.js';
import { MemoryStore } from '../support/memory-store.js';
import { loadChecklistText } from '../../src/core/load.js';
import type { ItemResult } from '../../src/core/events.js';
import { checkChain } from '../../src/core/events.js';
import { scriptedExecutor } from '../support/scripted-executor.js';
import type { Executor } from '../../src/core/executor.js';

const text = `version: 1
title: Engine
phases:
  - title: One
    signoff: [Lead]
    items:
      - {title: Migrate, id: migrate, run: migrate.sh, critical: true}
      - {title: Check, id: check, run: 'true', check: true}
      - {title: Manual, id: manual}
      - {title: Count, id: count, record: number, unit: ms}
      - {title: Pick, id: pick, record: choice, options: [Better, Similar, Worse]}
  - title: Two
    items:
      - {title: Ship, id: ship, run: ship.sh, confirm: true}
rollback:
  items:
    - {title: Revert, id: revert, run: revert.sh}
`;

const scripted = scriptedExecutor;

function setup(results: Record<string, ItemResult> = {}, pending?: Set<string>) {
  const { checklist } = loadChecklistText(text, 'e.yaml');
  const store = new MemoryStore();
  const s = scripted(results, pending);
  return { engine: new RunEngine(checklist!, store, s.exec), store, ...s };
}

describe('RunEngine', () => {
  it('records every action as a chained event before the view changes', async () => {
    const { engine, store } = setup();
    let versions = 0;
    engine.view.subscribe(() => versions++);
    await engine.runItem('check');
    await engine.tick('manual');
    await engine.record('count', '1,250 ms');
    expect(engine.state.items.check.status).toBe('passed');
    expect(engine.state.items.manual.status).toBe('ticked');
    expect(engine.state.items.count).toMatchObject({ status: 'recorded', value: 1250, unit: 'ms' });
    expect(store.events.map((e) => e.type)).toEqual(['item.started', 'item.passed', 'item.ticked', 'item.recorded']);
    expect(versions).toBe(4);
    expect(checkChain(store.events)).toEqual([]);
  });

  it('refuses invalid record values and non-option choices', async () => {
    const { engine } = setup();
    await expect(engine.record('count', 'fast')).rejects.toThrow(/not a number/);
    await expect(engine.record('pick', 'Meh')).rejects.toThrow(/choose one of: Better, Similar, Worse/);
    await engine.record('pick', 'similar');
    expect(engine.state.items.pick.value).toBe('Similar');
  });

  it('asks for confirmation on confirm items and for a reason when working out of order', async () => {
    const { engine, store } = setup();
    expect(engine.gates('ship').map((g) => g.kind)).toEqual(['reason', 'confirm']);
    await expect(engine.runItem('ship')).rejects.toBeInstanceOf(GateError);
    await expect(engine.runItem('ship', { confirmed: true })).rejects.toThrow(/is not complete yet/);
    await engine.runItem('ship', { confirmed: true, reason: 'hotfix window' });
    expect(store.events.find((e) => e.type === 'override')).toMatchObject({ kind: 'out-of-order', phase: 'two', reason: 'hotfix window' });
    // asked once per phase, not per item
    expect(engine.gates('ship').map((g) => g.kind)).toEqual(['confirm']);
  });

  it('asks before re-running an action and never asks for checks', async () => {
    const { engine } = setup();
    await engine.runItem('migrate');
    expect(engine.gates('migrate')).toEqual([expect.objectContaining({ kind: 'confirm', message: expect.stringMatching(/already ran/) })]);
    await engine.runItem('check');
    expect(engine.gates('check')).toEqual([]);
  });

  it('sign-off with a failed critical item needs a reason and is recorded as an override', async () => {
    const { engine, store } = setup({ migrate: { ok: false, summary: 'exit 1', durationMs: 1 } });
    await engine.runItem('migrate');
    expect(engine.state.items.migrate.status).toBe('failed');
    await expect(engine.signoff('one', 'Ann', 'Lead')).rejects.toThrow(/critical item\(s\) failed \(Migrate\)/);
    await engine.signoff('one', 'Ann', 'Lead', { reason: 'known flaky; fixed forward' });
    expect(store.events.filter((e) => e.type === 'override' || e.type === 'signoff').map((e) => e.type)).toEqual(['override', 'signoff']);
    await expect(engine.signoff('one', 'Bob', 'Lead', { reason: 'x' })).rejects.toThrow(/already signed off as Lead/);
    await expect(engine.signoff('one', 'Bob', 'CEO')).rejects.toThrow(/not a sign-off role/);
  });

  it('runs checks in parallel, up to the job limit, and refuses actions in bulk', async () => {
    const pending = new Set(['check']);
    const { engine, release } = setup({}, pending);
    const p = engine.runChecks(['check', 'migrate'], 4);
    await new Promise((r) => setTimeout(r, 0));
    expect(engine.running()).toEqual(['check']);
    release.get('check')!({ ok: true, summary: 'ok', durationMs: 1 });
    const results = await p;
    expect([...results.keys()]).toEqual(['check']);
    expect(engine.state.items.migrate).toBeUndefined();
  });

  it('interrupt stops running items, records them interrupted, and requires an answer before re-running', async () => {
    const { engine, store, stopped } = setup({}, new Set(['migrate']));
    const running = engine.runItem('migrate');
    await new Promise((r) => setTimeout(r, 0));
    await engine.interrupt('terminal lost (SIGHUP)', 0);
    await running;
    expect(stopped).toEqual(['migrate']);
    expect(engine.state.items.migrate.status).toBe('interrupted');
    expect(engine.state.status).toBe('interrupted');
    expect(store.events.map((e) => e.type).slice(-2)).toEqual(['item.interrupted', 'run.interrupted']);
    expect(engine.gates('migrate')[0]).toMatchObject({ kind: 'resolve' });
    await expect(engine.runItem('migrate', { confirmed: true })).rejects.toBeInstanceOf(GateError);
    await engine.resolve('migrate', 'passed', 'checked the migration table by hand');
    expect(engine.state.items.migrate).toMatchObject({ status: 'passed', resolution: 'passed' });
  });

  it('a stop that lands while the start is being written: the command never starts and the log says so before run.interrupted', async () => {
    const { checklist } = loadChecklistText(text, 'e.yaml');
    // A store whose write of item.started is slow (an fsync under load), so the signal lands inside it.
    let releaseStart!: () => void;
    const startWritten = new Promise<void>((r) => (releaseStart = r));
    let startPending!: () => void;
    const startBegun = new Promise<void>((r) => (startPending = r));
    class SlowStartStore extends MemoryStore {
      override async append(body: Parameters<MemoryStore['append']>[0]) {
        if (body.type === 'item.started') {
          startPending();
          await startWritten;
        }
        return super.append(body);
      }
    }
    const store = new SlowStartStore();
    const started: string[] = [];
    const exec: Executor = {
      start: (item) => (
        started.push(item.id),
        { done: Promise.resolve({ ok: true, summary: 'exit 0', durationMs: 1 }), stop() {}, abandon() {} }
      ),
    };
    const engine = new RunEngine(checklist!, store, exec);
    const run = engine.runItem('check');
    await startBegun;
    const interrupted = engine.interrupt('SIGTERM received', 0);
    releaseStart();
    const [result] = await Promise.all([run, interrupted]);
    expect(started).toEqual([]);
    expect(result).toMatchObject({ ok: false, summary: 'not started: runsheet stopped (SIGTERM received)' });
    expect(store.events.map((e) => e.type)).toEqual(['item.started', 'item.interrupted', 'run.interrupted']);
    expect(engine.state.items.check.status).toBe('interrupted');
  });

  it('a reserved item (its questions being asked) counts as starting: Enter again is refused, and a stop means it never starts', async () => {
    const { engine, store } = setup();
    expect(engine.reserve('check')).toBe(true);
    expect(engine.reserve('check')).toBe(false);
    expect(engine.pending()).toEqual(['check']);
    // A bulk run of the section leaves it to the one who reserved it.
    expect((await engine.runChecks(['check'], 2)).size).toBe(0);
    expect(engine.stopRequested('check')).toBe(false);
    engine.stop('check');
    expect(engine.stopRequested('check')).toBe(true);
    engine.release('check');
    expect(engine.pending()).toEqual([]);
    expect(engine.stopRequested('check')).toBe(false);
    expect(store.events).toEqual([]);
    // Released: it can be reserved and run again, and the run ends the reservation.
    expect(engine.reserve('check')).toBe(true);
    await engine.runItem('check');
    expect(engine.pending()).toEqual([]);
    expect(engine.reserve('check')).toBe(true);
    engine.release('check');
    expect(() => engine.reserve('nope')).toThrow(/unknown item/);
  });

  it('interrupt does not wait for an item still at its questions; runItem refuses it afterwards', async () => {
    const { engine, store } = setup();
    expect(engine.reserve('check')).toBe(true);
    const t0 = Date.now();
    await engine.interrupt('SIGTERM received', 0);
    // graceMs 0: only the 3 s margin would be spent waiting on it; nothing waits on a reservation.
    expect(Date.now() - t0).toBeLessThan(2500);
    await expect(engine.runItem('check')).rejects.toThrow(/runsheet is stopping \(SIGTERM received\)/);
    expect(store.events.map((e) => e.type)).toEqual(['run.interrupted']);
    engine.release('check');
    expect(engine.pending()).toEqual([]);
  });

  it('accepting a failed item needs a reason and marks it overridden, not passed', async () => {
    const { engine } = setup({ check: { ok: false, summary: 'exit 1', durationMs: 1 } });
    await engine.runItem('check');
    await expect(engine.accept('check', ' ')).rejects.toThrow(/needs a reason/);
    await engine.accept('check', 'known issue INC-42');
    expect(engine.state.items.check).toMatchObject({ status: 'overridden', reason: 'known issue INC-42' });
  });

  it('switches to the rollback track with a reason', async () => {
    const { engine } = setup();
    await expect(engine.startRollback('')).rejects.toThrow(/needs a reason/);
    await engine.startRollback('error rate doubled');
    expect(engine.state).toMatchObject({ track: 'rollback', rollbackReason: 'error rate doubled' });
    expect(engine.gates('revert')).toEqual([]);
  });
});

// The flows of a run, each driven by a scripted Ask (no rendering): which questions, in which
// order, and what is recorded. The TUI and headless answer these same flows (see
// test/ui/same-questions.test.tsx for both front ends side by side).
import { describe, expect, it } from 'vitest';
import { RunEngine } from '../../../src/core/engine.js';
import { loadChecklistText } from '../../../src/core/load.js';
import { act, launch, record, skip, tick, accept, questionsFor } from '../../../src/core/flows/item.js';
import { movePhase, moveBlockers, rollback, signoff } from '../../../src/core/flows/phase.js';
import { runChecks } from '../../../src/core/flows/checks.js';
import { quit, runOutcome, finishIfComplete } from '../../../src/core/flows/finish.js';
import { MemoryStore } from '../../support/memory-store.js';
import { scriptedExecutor } from '../../support/scripted-executor.js';
import { flowContext, scriptedAsk, type Step } from '../../support/scripted-ask.js';
import type { ItemResult } from '../../../src/core/events.js';

const text = `version: 1
title: Flows
vars:
  TAG:
phases:
  - title: One
    signoff: [Lead, QA]
    items:
      - {title: Migrate, id: migrate, run: migrate.sh, critical: true}
      - {title: Check A, id: a, run: 'true', check: true}
      - {title: Check B, id: b, run: 'true', check: true}
      - {title: Check C, id: c, run: 'true', check: true, confirm: true}
  - title: Two
    items:
      - {title: Manual, id: manual}
      - {title: Count, id: count, record: number, unit: ms}
      - {title: Pick, id: pick, record: choice, options: [Better, Worse]}
      - {title: Ship, id: ship, run: 'ship.sh \${TAG}', confirm: true}
rollback:
  items:
    - {title: Revert, id: revert, run: revert.sh}
`;

const failed: ItemResult = { ok: false, summary: 'exit 1', exitCode: 1, durationMs: 1 };

function setup(results: Record<string, ItemResult> = {}, pending?: Set<string>) {
  const { checklist } = loadChecklistText(text, 'f.yaml');
  const store = new MemoryStore();
  const x = scriptedExecutor(results, pending);
  const engine = new RunEngine(checklist!, store, x.exec);
  const item = (id: string) => engine.item(id);
  const phase = (id: string) => [...checklist!.phases, checklist!.rollback!].find((p) => p.id === id)!;
  const flow = (steps: Step[]) => {
    const s = scriptedAsk(steps);
    const told: string[] = [];
    return { ...s, told, ctx: flowContext(engine, s.ask, told) };
  };
  const types = () => store.events.map((e) => e.type);
  return { engine, store, x, item, phase, flow, types };
}

describe('item flows', () => {
  it('a manual item out of order: why first, then ticked, the reason recorded as an override', async () => {
    const { item, flow, store } = setup();
    const f = flow([{ q: 'reason', answer: 'window is short', says: 'Why work on "Two" now?' }]);
    expect(await act(f.ctx, item('manual'))).toBe('done');
    expect(f.left()).toEqual([]);
    expect(store.events.slice(-2)).toMatchObject([
      { type: 'override', kind: 'out-of-order', item: 'manual', reason: 'window is short' },
      { type: 'item.ticked', item: 'manual' },
    ]);
  });

  it('a record item asks the reason before the value; Esc on the value keeps the typed reason for next time', async () => {
    const { item, flow, store, engine } = setup();
    const first = flow([
      { q: 'reason', answer: 'measuring early' },
      { q: 'record', answer: null },
    ]);
    expect(await record(first.ctx, item('count'))).toBe('cancelled');
    expect(store.events).toHaveLength(0);
    // Same context (the screen keeps one): the reason comes back as typed.
    const again = scriptedAsk([
      { q: 'reason', answer: 'measuring early' },
      { q: 'record', answer: '42' },
    ]);
    const ctx = { ...first.ctx, ask: again.ask };
    expect(await record(ctx, item('count'))).toBe('done');
    expect(again.asked[0].initial).toBe('measuring early');
    expect(engine.state.items.count).toMatchObject({ status: 'recorded', value: 42 });
    // Completed: the draft is gone.
    expect(ctx.drafts.size).toBe(0);
  });

  it('a choice record offers exactly its options', async () => {
    const { item, flow, engine } = setup();
    const f = flow([
      { q: 'reason', answer: 'now' },
      { q: 'record', answer: 'Worse' },
    ]);
    await record(f.ctx, item('pick'));
    expect(f.asked[1].choices).toEqual(['Better', 'Worse']);
    expect(engine.state.items.pick?.value).toBe('Worse');
  });

  it('an action asks, in order: why (out of order), the missing var, then "run this?" showing the command with the value', async () => {
    const { item, flow, x, engine } = setup();
    const f = flow([
      { q: 'reason', answer: 'hotfix' },
      { q: 'var', answer: 'v1.2' },
      { q: 'confirm', answer: true, says: 'Run "Ship"?' },
    ]);
    expect(await launch(f.ctx, item('ship'))).toBe('done');
    expect(f.asked.map((a) => a.topic.q)).toEqual(['reason', 'var', 'confirm']);
    expect(x.started).toEqual(['ship']);
    expect(engine.state.vars).toMatchObject({ TAG: 'v1.2' });
  });

  it('declining "run this?" runs nothing and records nothing but the var given', async () => {
    const { item, flow, x, types } = setup();
    const f = flow([
      { q: 'reason', answer: 'hotfix' },
      { q: 'var', answer: 'v1' },
      { q: 'confirm', answer: false },
    ]);
    expect(await launch(f.ctx, item('ship'))).toBe('cancelled');
    expect(x.started).toEqual([]);
    expect(types()).toEqual(['var.set']);
  });

  it('an action that already ran asks to run again (again: true); a check never does', async () => {
    const { item, flow } = setup({ migrate: failed });
    expect(await launch(flow([]).ctx, item('migrate'))).toBe('failed');
    const f = flow([{ q: 'confirm', answer: true, says: 'already ran (failed). Run it again?' }]);
    await launch(f.ctx, item('migrate'));
    expect(f.asked[0].topic).toEqual({ q: 'confirm', item: 'migrate', again: true });
    const g = flow([]);
    await launch(g.ctx, item('a'));
    await launch(g.ctx, item('a'));
    expect(g.asked).toEqual([]);
  });

  it('an interrupted action: outcome, then how the operator knows; "failed" ends the flow failed, "rerun" runs it', async () => {
    const pending = new Set(['migrate']);
    const { item, flow, engine, x, store } = setup({}, pending);
    const running = launch(flow([]).ctx, item('migrate'));
    await new Promise((r) => setTimeout(r, 5));
    await engine.interrupt('terminal lost', 0);
    await running;
    const f = flow([
      { q: 'resolve', answer: 'failed', says: 'was interrupted while running' },
      { q: 'resolve-why', answer: 'the log says so' },
    ]);
    expect(await act(f.ctx, item('migrate'))).toBe('failed');
    expect(store.events.at(-1)).toMatchObject({ type: 'item.resolved', outcome: 'failed', reason: 'the log says so' });
    expect(f.asked[0].choices).toEqual(['passed', 'failed', 'rerun']);
    expect(x.started).toEqual(['migrate']);
  });

  it('skip and accept ask why and record it; accept refuses an item that did not fail', async () => {
    const { item, flow, store } = setup({ a: failed });
    const f = flow([{ q: 'skip', answer: 'not needed' }]);
    await skip(f.ctx, item('b'));
    expect(store.events.at(-1)).toMatchObject({ type: 'item.skipped', reason: 'not needed' });
    const g = flow([]);
    expect(await accept(g.ctx, item('b'))).toBe('cancelled');
    await launch(g.ctx, item('a'));
    const h = flow([{ q: 'accept', answer: 'flaky probe' }]);
    expect(await accept(h.ctx, item('a'))).toBe('done');
    expect(store.events.at(-1)).toMatchObject({ type: 'override', kind: 'failed-accepted', reason: 'flaky probe' });
  });

  it('Space on a ticked item unticks it; Enter on it does not', async () => {
    const { item, flow, types } = setup();
    const f = flow([{ q: 'reason', answer: 'x' }]);
    await tick(f.ctx, item('manual'), false);
    await tick(f.ctx, item('manual'), false);
    await tick(f.ctx, item('manual'), true);
    expect(types()).toEqual(['override', 'item.ticked', 'item.unticked']);
  });

  it('questionsFor lists what act() would ask, in the same order, without asking', async () => {
    const { engine, item, flow } = setup();
    expect(questionsFor(engine, item('ship')).map((q) => q.topic.q)).toEqual(['reason', 'var', 'confirm']);
    expect(questionsFor(engine, item('count')).map((q) => q.topic.q)).toEqual(['reason', 'record']);
    const f = flow([
      { q: 'reason', answer: 'r' },
      { q: 'var', answer: 'v' },
      { q: 'confirm', answer: true },
    ]);
    await launch(f.ctx, item('ship'));
    expect(f.asked.map((a) => a.topic.q)).toEqual(['reason', 'var', 'confirm']);
  });
});

describe('bulk checks', () => {
  it('runs the section`s checks, leaving out the confirm-gated one, and asks nothing in order', async () => {
    const { item, flow, x } = setup();
    const f = flow([]);
    expect(await runChecks(f.ctx, ['migrate', 'a', 'b', 'c'].map(item))).toBe('done');
    expect(x.started.sort()).toEqual(['a', 'b']);
    expect(f.told.at(-1)).toContain('1 left out: they ask for confirmation');
  });

  it('a section without checks runs nothing (actions are never run in bulk)', async () => {
    const { engine, flow, x } = setup();
    const two = engine.checklist.phases[1];
    const f = flow([]);
    expect(await runChecks(f.ctx, two.sections[0].items)).toBe('cancelled');
    expect(f.told.at(-1)).toContain('no checks to run');
    expect(x.started).toEqual([]);
  });
});

describe('phase flows', () => {
  it('sign-off asks why (incomplete), then the name, then one of the roles still unsigned', async () => {
    const { phase, flow, store } = setup();
    const f = flow([
      { q: 'reason', answer: 'lead is done', says: 'are not done. Why sign off now?' },
      { q: 'signer', answer: 'Ann' },
      { q: 'role', answer: 'QA' },
    ]);
    expect(await signoff(f.ctx, phase('one'))).toBe('done');
    expect(f.asked[1].initial).toBe('ann');
    expect(f.asked[2].choices).toEqual(['Lead', 'QA']);
    expect(store.events.slice(-2)).toMatchObject([
      { type: 'override', kind: 'signoff-incomplete' },
      { type: 'signoff', name: 'Ann', role: 'QA' },
    ]);
    const g = flow([
      { q: 'reason', answer: 'still' },
      { q: 'signer', answer: 'Bo' },
      { q: 'role', answer: 'Lead' },
    ]);
    await signoff(g.ctx, phase('one'));
    expect(g.asked[2].choices).toEqual(['Lead']);
  });

  it('moving on past a failed critical item asks why, once; moving freely asks nothing', async () => {
    const { phase, flow, store, engine, item } = setup({ migrate: failed });
    const f = flow([]);
    expect(moveBlockers(f.ctx, phase('two'))).toEqual([]);
    await launch(f.ctx, item('migrate'));
    expect(moveBlockers(f.ctx, phase('two')).map((i) => i.id)).toEqual(['migrate']);
    const g = flow([{ q: 'reason', answer: null }]);
    expect(await movePhase(g.ctx, phase('two'))).toBe('cancelled');
    const h = flow([{ q: 'reason', answer: 'forward fix', says: 'Why move on?' }]);
    expect(await movePhase(h.ctx, phase('two'))).toBe('done');
    expect(store.events.at(-1)).toMatchObject({ type: 'override', kind: 'out-of-order', phase: 'two', reason: 'forward fix' });
    expect(moveBlockers(h.ctx, phase('two'))).toEqual([]);
    expect(engine.state.track).toBe('main');
  });

  it('rollback asks why and switches the track', async () => {
    const { flow, engine } = setup();
    const f = flow([{ q: 'rollback', answer: 'error rate' }]);
    expect(await rollback(f.ctx)).toBe('done');
    expect(engine.state.track).toBe('rollback');
  });
});

describe('finishing', () => {
  it('runOutcome: null until the worked track is complete; the rollback track counts once switched to', async () => {
    const { engine, flow, item, phase } = setup();
    expect(runOutcome(engine.checklist, engine.state)).toBeNull();
    await rollback(flow([{ q: 'rollback', answer: 'bad' }]).ctx);
    expect(runOutcome(engine.checklist, engine.state)).toBeNull();
    await launch(flow([]).ctx, item('revert'));
    expect(phase('rollback').signoff).toEqual([]);
    expect(runOutcome(engine.checklist, engine.state)).toBe('passed');
    expect(await finishIfComplete(engine)).toBe(true);
    expect(engine.state.status).toBe('finished');
  });

  it('quit while a command runs: keep it, kill it, or stay', async () => {
    const pending = new Set(['migrate']);
    const { engine, flow, item, x } = setup({}, pending);
    const running = launch(flow([]).ctx, item('migrate'));
    await new Promise((r) => setTimeout(r, 5));
    expect(await quit(flow([{ q: 'quit-running', answer: 'cancel' }]).ctx)).toBeNull();
    expect(await quit(flow([{ q: 'quit-running', answer: 'kill' }]).ctx)).toBe('quit');
    await running;
    expect(x.stopped).toEqual(['migrate']);
    expect(engine.running()).toEqual([]);
  });
});

describe('team runs', () => {
  it('a sign-off is signed with the session`s own operator name: not asked, and another name is refused', async () => {
    const { engine, flow, phase, store } = setup();
    engine.signsAs = 'Bo';
    const f = flow([
      { q: 'reason', answer: 'lead signs early' },
      { q: 'role', answer: 'Lead' },
    ]);
    expect(await signoff(f.ctx, phase('one'))).toBe('done');
    expect(store.events.at(-1)).toMatchObject({ type: 'signoff', name: 'Bo', role: 'Lead' });
    await expect(engine.signoff('one', 'Ann', 'QA', { reason: 'x' })).rejects.toThrow(
      /from the signer's own session: Ann signs with `runsheet join/,
    );
  });
});

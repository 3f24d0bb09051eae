// The engine's side of issue 13: one interruption however many stops arrive, an ending recorded
// for every started item even when its process will not stop in time, and a command left running
// (on_disconnect: keep) never started a second time while it still runs.
import { describe, expect, it } from 'vitest';
import { RunEngine } from '../../src/core/engine.js';
import { MemoryStore } from '../support/memory-store.js';
import { loadChecklistText } from '../../src/core/load.js';
import type { Executor, ItemHandle } from '../../src/core/executor.js';
import type { ItemResult, KeptProcess } from '../../src/core/events.js';
import { checkChain } from '../../src/core/events.js';
import type { KeptStatus } from '../../src/core/kept.js';

const text = `version: 1
title: Interrupts
phases:
  - title: One
    items:
      - {title: Migrate, id: migrate, run: migrate.sh, on_disconnect: keep}
      - {title: Stubborn, id: stubborn, run: stubborn.sh}
      - {title: Probe, id: probe, run: probe.sh, check: true, on_disconnect: keep}
`;

const KEPT: KeptProcess = { pid: 4242, startTicks: 7, bootId: 'b' };

/** Items wait until stopped or abandoned; `stubborn` ignores stop(). keptStatus is the test's. */
function setup() {
  const { checklist } = loadChecklistText(text, 'i.yaml');
  const store = new MemoryStore();
  const release = new Map<string, (r: ItemResult) => void>();
  let kept: KeptStatus = { state: 'running' };
  const exec: Executor = {
    start(item): ItemHandle {
      const done = new Promise<ItemResult>((res) => release.set(item.id, res));
      const end = (summary: string, extra: Partial<ItemResult> = {}) =>
        release.get(item.id)!({ ok: false, summary, durationMs: 1, ...extra });
      return { done, stop: () => item.id !== 'stubborn' && end('stopped'), abandon: () => end('left running', { kept: KEPT }) };
    },
    keptStatus: () => kept,
  };
  const engine = new RunEngine(checklist!, store, exec);
  return { engine, store, release, setKept: (s: KeptStatus) => (kept = s) };
}

const types = (store: MemoryStore) => store.events.map((e) => `${e.type}${'item' in e && e.item ? ` ${e.item}` : ''}`);

describe('interrupt', () => {
  it('two stops at once (quit leaving it running, then the terminal lost) record one interruption', async () => {
    const { engine, store } = setup();
    const run = engine.runItem('migrate');
    await new Promise((r) => setTimeout(r, 0));
    await Promise.all([engine.interrupt('operator quit', 0, true), engine.interrupt('terminal lost (SIGHUP)'), run]);
    expect(types(store)).toEqual(['item.started migrate', 'item.interrupted migrate', 'run.interrupted']);
    expect(store.events.at(-1)).toMatchObject({ reason: 'operator quit' });
    expect(checkChain(store.events)).toEqual([]);
  });

  it('a process that will not stop in time still gets its one item.interrupted before run.interrupted, and nothing after', async () => {
    const { engine, store, release } = setup();
    const run = engine.runItem('stubborn');
    await new Promise((r) => setTimeout(r, 0));
    await engine.interrupt('terminal lost (write EIO on stdout)', 0);
    expect(types(store)).toEqual(['item.started stubborn', 'item.interrupted stubborn', 'run.interrupted']);
    expect(store.events[1]).toMatchObject({ left: 'stopped', result: { summary: expect.stringMatching(/did not stop in time/) } });
    release.get('stubborn')!({ ok: true, summary: 'exit 0', durationMs: 5 });
    await run;
    expect(types(store)).toHaveLength(3);
  }, 10_000);
});

describe('a command left running', () => {
  it('is recorded with its process; while it runs, rerun and a new run are refused; once ended, rerun is allowed', async () => {
    const { engine, store, setKept } = setup();
    const run = engine.runItem('migrate');
    const probe = engine.runItem('probe');
    await new Promise((r) => setTimeout(r, 0));
    await engine.interrupt('terminal lost (SIGHUP)');
    await Promise.all([run, probe]);
    expect(store.events.find((e) => e.type === 'item.interrupted')).toMatchObject({ left: 'running', result: { kept: KEPT } });

    expect(engine.keptProcess('migrate')).toMatchObject({ kept: KEPT, status: { state: 'running' } });
    await expect(engine.resolve('migrate', 'rerun', 'try again')).rejects.toThrow(
      /cannot run again: the copy left running when runsheet stopped is still running \(PID 4242/,
    );
    await expect(engine.runItem('probe')).rejects.toThrow(/still running \(PID 4242/);
    expect((await engine.runChecks(['probe'], 2)).size).toBe(0);
    await engine.resolve('migrate', 'failed', 'it hung');

    setKept({ state: 'ended', exitCode: 0 });
    expect(engine.keptProcess('probe')?.status).toEqual({ state: 'ended', exitCode: 0 });
    expect(types(store).filter((t) => t.startsWith('item.started'))).toHaveLength(2);
  });
});

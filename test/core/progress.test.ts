// One count of a run's progress (src/core/progress.ts), checked on a run with every status it
// tells apart: a warning or an interruption is never a failure, n/a is done, waiting is not, and
// the rollback track is counted apart from the main one.
import { describe, expect, it } from 'vitest';
import { loadChecklistText, formatProblem } from '../../src/core/load.js';
import { countStates, countsText, noCounts, phaseProgress, progressLine, progressMarks, runProgress } from '../../src/core/progress.js';
import { phaseComplete, gatesForSignoff } from '../../src/core/policy.js';
import { summarize } from '../../src/core/report/summary.js';
import { buildStatement } from '../../src/core/report/statement.js';
import { buildReportView } from '../../src/core/report/view.js';
import { headerProgress, phaseLabel } from '../../src/ui/header.js';
import { MemoryStore } from '../support/memory-store.js';
import { PROGRESS_CHECKLIST, PROGRESS_EVENTS, PROGRESS_LINE } from '../support/progress-run.js';

async function run() {
  const { checklist, problems } = loadChecklistText(PROGRESS_CHECKLIST, 'p.yaml');
  expect(problems.map(formatProblem)).toEqual([]);
  const store = new MemoryStore('ann');
  await store.append({
    type: 'run.started',
    runId: 'r1',
    checklist: { path: '/p.yaml', sha256: 'x', title: 'Progress' },
    env: null,
    vars: {},
  });
  for (const e of PROGRESS_EVENTS) await store.append(e);
  return { c: checklist!, store };
}

const { total: _total, done: _done, ...none } = noCounts();

describe('progress', () => {
  it('counts each item once, under the status the run sees', async () => {
    const { c, store } = await run();
    const p = runProgress(c, store.state);
    const [prepare, deploy, rollback] = p.phases;
    expect(prepare).toMatchObject({ id: 'prepare', rollback: false });
    expect(prepare.counts).toEqual({ ...none, total: 6, done: 4, recorded: 1, na: 1, ticked: 1, skipped: 1, pending: 1, waiting: 1 });
    expect(deploy.counts).toEqual({
      ...none,
      total: 6,
      done: 2,
      passed: 1,
      overridden: 1,
      failed: 1,
      warned: 1,
      interrupted: 1,
      pending: 1,
    });
    expect(rollback).toMatchObject({ id: 'roll-back', rollback: true });
    expect(rollback.counts).toEqual({ ...none, total: 3, done: 1, ticked: 1, failed: 1, pending: 1 });
    // The main track is both main phases and nothing of the rollback track.
    const { phases: _phases, rollback: rb, ...main } = p;
    expect(main).toEqual({
      ...none,
      total: 12,
      done: 6,
      recorded: 1,
      na: 1,
      ticked: 1,
      skipped: 1,
      passed: 1,
      overridden: 1,
      failed: 1,
      warned: 1,
      interrupted: 1,
      pending: 2,
      waiting: 1,
    });
    expect(rb).toEqual(rollback.counts);
    expect(phaseProgress(c.phases[1], store.state)).toEqual(deploy.counts);
  });

  it('words it one way: failed, warned and interrupted apart; the rollback track once the run is on it', async () => {
    const { c, store } = await run();
    const p = runProgress(c, store.state);
    expect(progressLine(p, 'rollback')).toBe(PROGRESS_LINE);
    expect(progressLine(p, 'main')).toBe('6/12 done, 1 failed, 1 warned, 1 interrupted');
    expect(progressMarks(p, 'rollback')).toBe('6/12 ✗1 w1 ?1 done · ↺ 1/3 ✗1');
    expect(countsText(countStates([]))).toBe('0/0 done');
    // The header: words when they fit beside the run's identity, the item marks when not.
    expect(headerProgress('01:02', p, 'rollback', 140)).toBe(`01:02  ${PROGRESS_LINE}`);
    expect(headerProgress('01:02', p, 'rollback', 80)).toBe('01:02  6/12 ✗1 w1 ?1 done · ↺ 1/3 ✗1');
    // Phase tabs: ✗ counts failed items only.
    expect(phaseLabel(c.phases[1], 1, store.state)).toBe('2 Deploy 2/6 ✗1 w1 ?1');
    expect(phaseLabel(c.phases[0], 0, store.state)).toBe('1 Prepare 4/6');
  });

  it('gates read the same count: a phase with a waiting item is not complete', async () => {
    const { c, store } = await run();
    expect(phaseComplete(c.phases[0], store.state)).toBe(false);
    expect(gatesForSignoff(c.phases[0], store.state)).toEqual([
      expect.objectContaining({ override: 'signoff-incomplete', message: '2 item(s) of "Prepare" are not done. Why sign off now?' }),
    ]);
  });

  it('the report counts the same: its summary, its phases and its words', async () => {
    const { c, store } = await run();
    const st = buildStatement({
      checklist: c,
      checklistFile: { name: 'p.yaml', sha256: 'x' },
      state: store.state,
      events: store.events,
      subjects: [],
      tool: { name: 'runsheet', version: 'test' },
    });
    const pr = st.predicate;
    // All 15 items, both tracks (a report lists everything); waiting is pending in a report.
    expect(pr.summary).toEqual({
      total: 15,
      done: 7,
      passed: 1,
      failed: 2,
      ticked: 2,
      skipped: 1,
      recorded: 1,
      overridden: 1,
      interrupted: 1,
      running: 0,
      pending: 4,
    });
    expect(summarize(pr.items)).toEqual(pr.summary);
    expect(pr.phases.map((p) => [p.id, p.items, p.done, p.failed])).toEqual([
      ['prepare', 6, 4, 0],
      ['deploy', 6, 2, 1],
      ['roll-back', 3, 1, 1],
    ]);
    const view = buildReportView(st, { reportSha256: 'y', signers: [] });
    expect(view.phases.map((p) => p.progress)).toEqual([
      '4 of 6 done',
      '2 of 6 done, 1 failed, 1 warned, 1 interrupted',
      '1 of 3 done, 1 failed',
    ]);
    expect(view.summary).toBe(
      '7 of 15 items done: 1 passed, 2 ticked, 1 recorded, 1 skipped, 1 accepted, 1 not applicable; 2 failed, 1 warned, 1 interrupted, 4 not done.',
    );
  });

  it('a status it does not know (from a report of a later version) counts in the total only', () => {
    expect(countStates([{ status: 'paused' }, { status: 'passed' }])).toEqual({ ...none, total: 2, done: 1, passed: 1 });
  });
});

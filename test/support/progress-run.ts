// One run with every status the count tells apart — passed, failed, warned, interrupted, ticked,
// skipped, recorded, accepted, n/a, waiting, pending, on both tracks, the run gone over to its
// rollback — as checklist text and the events that make it. Appended through a real store (disk)
// or a MemoryStore, so the progress tests count the same run every way it is shown.
import type { EventBody, ItemResult } from '../../src/core/events.js';

export const PROGRESS_CHECKLIST = `version: 1
title: Progress
phases:
  - title: Prepare
    items:
      - {title: Method, id: method, record: choice, options: [kube, compose]}
      - {title: Kube only, id: kube, when: {answer: {item: method, is: kube}}}
      - {title: Region, id: region, record: choice, options: [eu, us]}
      - {title: EU only, id: eu, when: {answer: {item: region, is: eu}}}
      - {title: Ticked, id: ticked}
      - {title: Skipped, id: skipped}
  - title: Deploy
    items:
      - {title: Passes, id: passes, run: 'true'}
      - {title: Fails, id: fails, run: 'false'}
      - {title: Warns, id: warns, run: 'true'}
      - {title: Cut off, id: cutoff, run: 'sleep 1'}
      - {title: Accepted, id: accepted, run: 'false'}
      - {title: Not yet, id: notyet}
rollback:
  title: Roll back
  items:
    - {title: Undo, id: undo, run: 'false'}
    - {title: Tell, id: tell}
    - {title: Verify, id: verify}
`;

const ok: ItemResult = { ok: true, summary: 'exit 0', durationMs: 5, exitCode: 0 };
const bad: ItemResult = { ok: false, summary: 'exit 1', durationMs: 5, exitCode: 1 };
const warn: ItemResult = { ok: false, summary: 'p95 worse', durationMs: 5, verdict: 'warn' };

/** The events after run.started (which the store's caller writes with its own path and hash). */
export const PROGRESS_EVENTS: EventBody[] = [
  { type: 'item.recorded', item: 'method', value: 'compose' },
  { type: 'item.ticked', item: 'ticked' },
  { type: 'item.skipped', item: 'skipped', reason: 'not tonight' },
  { type: 'item.started', item: 'passes', attempt: 1 },
  { type: 'item.passed', item: 'passes', result: ok },
  { type: 'item.started', item: 'fails', attempt: 1 },
  { type: 'item.failed', item: 'fails', result: bad },
  { type: 'item.started', item: 'warns', attempt: 1 },
  { type: 'item.warned', item: 'warns', result: warn },
  { type: 'item.started', item: 'cutoff', attempt: 1 },
  { type: 'item.interrupted', item: 'cutoff', result: { ok: false, summary: 'interrupted', durationMs: 5 }, left: 'stopped' },
  { type: 'item.started', item: 'accepted', attempt: 1 },
  { type: 'item.failed', item: 'accepted', result: bad },
  { type: 'override', item: 'accepted', kind: 'failed-accepted', reason: 'known flake' },
  { type: 'rollback.started', reason: 'errors up' },
  { type: 'item.started', item: 'undo', attempt: 1 },
  { type: 'item.failed', item: 'undo', result: bad },
  { type: 'item.ticked', item: 'tell' },
];

/**
 * What every front end must say about it, worked out by hand. Main track: 12 items; done are
 * method (recorded), kube (n/a: compose chosen), ticked, skipped, passes, accepted = 6; failed
 * only "fails"; "warns" warned; "cutoff" interrupted; region and notyet pending; "eu" waits on
 * region. Rollback: undo failed, tell ticked, verify pending.
 */
export const PROGRESS_LINE = '6/12 done, 1 failed, 1 warned, 1 interrupted · rollback 1/3 done, 1 failed';

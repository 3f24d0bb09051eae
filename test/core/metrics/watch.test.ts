import { describe, expect, it } from 'vitest';
import type { Comparison } from '../../../src/core/metrics/compare.js';
import type { OverallStatus } from '../../../src/core/metrics/verdict.js';
import {
  plannedCaptures,
  watchNext,
  watchProgress,
  watchRecord,
  watchStart,
  watchStop,
  watchTrend,
} from '../../../src/core/metrics/watch.js';

const MIN = 60_000;
const cmp = (overall: OverallStatus, lat: number | null): Comparison => ({
  baseline: { label: 'baseline', taken_at: '' },
  after: { label: 'after', taken_at: '' },
  overall,
  rows: [
    {
      id: 'lat',
      title: 'lat',
      critical: false,
      baseline: 100,
      after: lat,
      change: null,
      verdict: null,
      status: 'pass',
      rule: '',
      samples: { baseline: [], after: [] },
    },
  ],
});

describe('watch schedule', () => {
  it('"every 5 minutes for 30 minutes" is 7 comparisons, the first right away, ending pass', () => {
    let s = watchStart({ everyMs: 5 * MIN, forMs: 30 * MIN }, 0);
    expect(plannedCaptures(s)).toBe(7);
    const slots: number[] = [];
    let now = 0;
    for (;;) {
      const step = watchNext(s, now);
      if (step.kind === 'done') break;
      if (step.kind === 'wait') {
        now = step.until;
        continue;
      }
      slots.push(now);
      now += 10_000; // a capture takes 10 s
      s = watchRecord(s, cmp('pass', 100 + slots.length), now);
    }
    expect(slots).toEqual([0, 5, 10, 15, 20, 25, 30].map((m) => m * MIN));
    expect(s.ended).toEqual({ at: 30 * MIN + 10_000, status: 'pass', reason: 'completed' });
    expect(watchTrend(s)).toEqual({ lat: [101, 102, 103, 104, 105, 106, 107] });
  });

  it('waits until the next slot', () => {
    let s = watchStart({ everyMs: MIN, forMs: 3 * MIN }, 1000);
    expect(watchNext(s, 1000)).toEqual({ kind: 'capture', slot: 0 });
    s = watchRecord(s, cmp('pass', 1), 5000);
    expect(watchNext(s, 5000)).toEqual({ kind: 'wait', until: 61_000, slot: 1 });
    expect(watchProgress(s, 5000)).toBe('1/4 comparisons, next in 56s');
  });

  it('ends fail at the first failing comparison', () => {
    let s = watchStart({ everyMs: MIN, forMs: 10 * MIN }, 0);
    s = watchRecord(s, cmp('warn', 1), 1000);
    s = watchRecord(s, cmp('fail', 2), MIN + 1000);
    expect(s.ended).toMatchObject({ status: 'fail', reason: 'failed' });
    expect(watchNext(s, MIN * 5).kind).toBe('done');
    // A late result after the end changes nothing.
    expect(watchRecord(s, cmp('pass', 3), 2 * MIN)).toBe(s);
  });

  it('a warn along the way makes the end status warn (it needs acknowledging)', () => {
    let s = watchStart({ everyMs: MIN, forMs: MIN }, 0);
    s = watchRecord(s, cmp('warn', 1), 1000);
    s = watchRecord(s, cmp('pass', 1), MIN + 1000);
    expect(s.ended).toMatchObject({ status: 'warn', reason: 'completed' });
  });

  it('an overrunning capture skips missed slots instead of bunching up', () => {
    let s = watchStart({ everyMs: MIN, forMs: 10 * MIN }, 0);
    s = watchRecord(s, cmp('pass', 1), 2.5 * MIN); // slot 0 took 2.5 minutes
    expect(watchNext(s, 2.5 * MIN)).toEqual({ kind: 'wait', until: 3 * MIN, slot: 3 });
    s = watchRecord(s, cmp('pass', 1), 10.5 * MIN); // past the last slot (10): done
    expect(s.ended).toMatchObject({ status: 'pass', reason: 'completed' });
  });

  it('can be stopped early, keeping the worst status so far', () => {
    let s = watchStart({ everyMs: MIN, forMs: 10 * MIN }, 0);
    expect(watchStop(s, 10, 'operator').ended).toEqual({ at: 10, status: 'pass', reason: 'stopped', note: 'operator' });
    s = watchRecord(s, cmp('warn', null), 1000);
    s = watchStop(s, 2000);
    expect(s.ended).toEqual({ at: 2000, status: 'warn', reason: 'stopped' });
    expect(watchTrend(s)).toEqual({ lat: [null] });
    expect(watchProgress(s, 3000)).toBe('1/11 comparisons, ended stopped (warn)');
  });

  it('rejects a zero interval', () => {
    expect(() => watchStart({ everyMs: 0, forMs: MIN }, 0)).toThrow(/every must be > 0/);
  });
});

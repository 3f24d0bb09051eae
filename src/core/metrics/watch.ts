// Watch schedule for `compare` items with `watch: {every, for}`: a pure state machine. The
// engine asks `watchNext(state, now)` what to do, captures + compares when told, feeds the
// result back with `watchRecord`, and calls `watchStop` when the operator ends it early.
//
// Captures are due at start + k·every for k = 0, 1, … while k·every ≤ for ("monitor every 5
// minutes for 30 minutes" = 7 comparisons, the first right away). A capture that overruns its
// slot skips the slots it missed rather than bunching catch-up captures together.
import type { WatchSpec } from '../model.js';
import type { Comparison } from './compare.js';
import type { OverallStatus } from './verdict.js';

export interface WatchPoint {
  /** Epoch ms when the comparison finished. */
  at: number;
  slot: number;
  overall: OverallStatus;
  /** Each probe's "after" value (null = no data), for the trend. */
  values: Record<string, number | null>;
}

export interface WatchEnd {
  at: number;
  /** fail at the first failing comparison; otherwise the worst of pass/warn seen. */
  status: OverallStatus;
  reason: 'failed' | 'completed' | 'stopped';
  note?: string;
}

export interface WatchState {
  startedAt: number;
  everyMs: number;
  forMs: number;
  /** Slot index of the next capture. */
  nextSlot: number;
  points: WatchPoint[];
  ended: WatchEnd | null;
}

export type WatchStep = { kind: 'capture'; slot: number } | { kind: 'wait'; until: number; slot: number } | { kind: 'done'; end: WatchEnd };

export function watchStart(spec: WatchSpec, now: number): WatchState {
  if (!(spec.everyMs > 0) || !(spec.forMs >= 0)) throw new Error('watch: every must be > 0 and for ≥ 0');
  return { startedAt: now, everyMs: spec.everyMs, forMs: spec.forMs, nextSlot: 0, points: [], ended: null };
}

export function slotTime(s: WatchState, slot: number): number {
  return s.startedAt + slot * s.everyMs;
}

/** Number of comparisons a watch that never overruns and never fails takes. */
export function plannedCaptures(s: Pick<WatchState, 'everyMs' | 'forMs'>): number {
  return Math.floor(s.forMs / s.everyMs) + 1;
}

function lastSlot(s: WatchState): number {
  return plannedCaptures(s) - 1;
}

export function watchNext(s: WatchState, now: number): WatchStep {
  if (s.ended) return { kind: 'done', end: s.ended };
  const due = slotTime(s, s.nextSlot);
  return now >= due ? { kind: 'capture', slot: s.nextSlot } : { kind: 'wait', until: due, slot: s.nextSlot };
}

function worst(points: WatchPoint[]): OverallStatus {
  if (points.some((p) => p.overall === 'fail')) return 'fail';
  if (points.some((p) => p.overall === 'warn')) return 'warn';
  return 'pass';
}

/** Feed back a finished comparison (finished at `now`). */
export function watchRecord(s: WatchState, c: Comparison, now: number): WatchState {
  if (s.ended) return s;
  const values: Record<string, number | null> = {};
  for (const r of c.rows) values[r.id] = r.after;
  const points = [...s.points, { at: now, slot: s.nextSlot, overall: c.overall, values }];
  if (c.overall === 'fail') {
    return { ...s, points, ended: { at: now, status: 'fail', reason: 'failed', note: `comparison ${points.length} failed` } };
  }
  // Next slot: the first one not yet in the past, never one already taken.
  const elapsedSlots = Math.ceil((now - s.startedAt) / s.everyMs);
  const nextSlot = Math.max(s.nextSlot + 1, elapsedSlots);
  if (nextSlot > lastSlot(s)) {
    return { ...s, points, nextSlot, ended: { at: now, status: worst(points), reason: 'completed' } };
  }
  return { ...s, points, nextSlot };
}

/** The operator ends the watch early; the status is the worst seen so far (pass if none taken). */
export function watchStop(s: WatchState, now: number, note?: string): WatchState {
  if (s.ended) return s;
  const end: WatchEnd = { at: now, status: worst(s.points), reason: 'stopped' };
  if (note) end.note = note;
  return { ...s, ended: end };
}

/** Per probe, its "after" value at each comparison so far (null = no data then). */
export function watchTrend(s: WatchState): Record<string, (number | null)[]> {
  const ids = new Set(s.points.flatMap((p) => Object.keys(p.values)));
  const out: Record<string, (number | null)[]> = {};
  for (const id of ids) out[id] = s.points.map((p) => (id in p.values ? p.values[id] : null));
  return out;
}

/** "3/7 comparisons, next in 40s" — for the TUI status line. */
export function watchProgress(s: WatchState, now: number): string {
  const done = `${s.points.length}/${plannedCaptures(s)} comparisons`;
  if (s.ended) return `${done}, ended ${s.ended.reason} (${s.ended.status})`;
  const wait = Math.max(0, slotTime(s, s.nextSlot) - now);
  return wait === 0 ? `${done}, capturing` : `${done}, next in ${Math.ceil(wait / 1000)}s`;
}

// How far a run is: the one count behind the header, the phase tabs, `runs`, `status`, the resume
// prompt and the report, so no two of them can disagree about the same run. Each item is counted
// once, under the status the run sees (n/a and waiting derived from its gate, state.ts).
import type { Checklist, Phase } from './model.js';
import type { ItemState, ItemStatus, RunState } from './state.js';
import { effectiveItemState, emptyItem, isDone } from './state.js';

/** Counts of items by status; the status counts add up to `total`. */
export interface Counts {
  total: number;
  /** Needs nothing more (state.ts isDone): passed, ticked, recorded, skipped, accepted or n/a. */
  done: number;
  passed: number;
  ticked: number;
  recorded: number;
  skipped: number;
  /** Failed or warned, then accepted with a reason. */
  overridden: number;
  /** Not applicable: its `when: {answer}` choice was answered otherwise. */
  na: number;
  /** Failed, and only that: a warning or an interruption is never counted here. */
  failed: number;
  warned: number;
  /** Cut off while running; its outcome is asked, never assumed. */
  interrupted: number;
  running: number;
  /** Not started, and free to start. */
  pending: number;
  /** Not started: its `when: {answer}` choice is not answered yet. */
  waiting: number;
}

export interface PhaseProgress {
  id: string;
  title: string;
  rollback: boolean;
  counts: Counts;
}

/** The main track's counts (all main phases), with each phase's and the rollback track's. */
export interface RunProgress extends Counts {
  /** The main track's phases in order, then the rollback track's. */
  phases: PhaseProgress[];
  /** null when the checklist has no rollback track. */
  rollback: Counts | null;
}

const BUCKET: Record<ItemStatus, keyof Counts> = {
  pending: 'pending',
  running: 'running',
  passed: 'passed',
  failed: 'failed',
  warn: 'warned',
  ticked: 'ticked',
  skipped: 'skipped',
  recorded: 'recorded',
  overridden: 'overridden',
  interrupted: 'interrupted',
  'n/a': 'na',
};

export function noCounts(): Counts {
  return {
    total: 0,
    done: 0,
    passed: 0,
    ticked: 0,
    recorded: 0,
    skipped: 0,
    overridden: 0,
    na: 0,
    failed: 0,
    warned: 0,
    interrupted: 0,
    running: 0,
    pending: 0,
    waiting: 0,
  };
}

function known(status: string): status is ItemStatus {
  return Object.hasOwn(BUCKET, status);
}

/**
 * The count itself. Statuses come from the fold or from a signed report (plain strings there): one
 * this version does not know counts in the total and nowhere else.
 */
export function countStates(states: Iterable<{ status: string; waitingFor?: string }>): Counts {
  const c = noCounts();
  for (const st of states) {
    c.total++;
    const status = st.status;
    if (!known(status)) continue;
    if (isDone(status)) c.done++;
    c[status === 'pending' && st.waitingFor ? 'waiting' : BUCKET[status]]++;
  }
  return c;
}

/** Each item's state as the run sees it (n/a, waiting), in the phase's order. */
export function phaseStates(p: Phase, s: RunState): ItemState[] {
  return p.sections.flatMap((sec) => sec.items.map((it) => effectiveItemState(it, s.items[it.id] ?? emptyItem(), s)));
}

export function phaseProgress(p: Phase, s: RunState): Counts {
  return countStates(phaseStates(p, s));
}

/** The run's progress: the main track (all main phases), each phase, and the rollback track. */
export function runProgress(c: Checklist, s: RunState): RunProgress {
  const phases = [...c.phases, ...(c.rollback ? [c.rollback] : [])].map((p): PhaseProgress => ({
    id: p.id,
    title: p.title,
    rollback: Boolean(p.rollback),
    counts: phaseProgress(p, s),
  }));
  const rollback = phases.find((p) => p.rollback)?.counts ?? null;
  return { ...countStates(c.phases.flatMap((p) => phaseStates(p, s))), phases, rollback };
}

/** What went wrong, in words, each apart (a warning is not a failure): "1 failed", "2 warned"… */
export function troubleWords(c: Counts): string[] {
  return [
    c.failed ? `${c.failed} failed` : '',
    c.warned ? `${c.warned} warned` : '',
    c.interrupted ? `${c.interrupted} interrupted` : '',
  ].filter(Boolean);
}

/** The counts in words, the same everywhere they are shown: "14/20 done, 1 failed, 1 warned, 1 interrupted". */
export function countsText(c: Counts): string {
  return [`${c.done}/${c.total} done`, ...troubleWords(c)].join(', ');
}

/**
 * A run's progress in one line: the main track, and the rollback track once the run went over to
 * it. The header, `runs`, `status` and the resume prompt all say this.
 */
export function progressLine(p: RunProgress, track: 'main' | 'rollback'): string {
  return `${countsText(p)}${track === 'rollback' && p.rollback ? ` · rollback ${countsText(p.rollback)}` : ''}`;
}

/** The same, short, for a narrow header: "6/12 done ✗1 w1 ?1 · ↺ 1/3 ✗1" (the item marks). */
export function progressMarks(p: RunProgress, track: 'main' | 'rollback'): string {
  const marks = (c: Counts) =>
    `${c.done}/${c.total}${c.failed ? ` ✗${c.failed}` : ''}${c.warned ? ` w${c.warned}` : ''}${c.interrupted ? ` ?${c.interrupted}` : ''}`;
  return `${marks(p)} done${track === 'rollback' && p.rollback ? ` · ↺ ${marks(p.rollback)}` : ''}`;
}

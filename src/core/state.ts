// Run state: a pure fold over the run's events. The engine never mutates state directly: it
// appends an event (durably) and then folds it in, so state.json can always be rebuilt.
import type { ItemResult, OverrideKind, RunEvent } from './events.js';
import { hashEvent, GENESIS } from './events.js';
import type { AnswerGate, Item } from './model.js';

export type ItemStatus =
  | 'pending'
  | 'running'
  | 'passed'
  | 'failed'
  | 'warn'
  | 'ticked'
  | 'skipped'
  | 'recorded'
  | 'overridden'
  | 'interrupted'
  /** Derived, never folded from an event: the item's `when.answer` does not match (see applicability). */
  | 'n/a';

export interface ItemState {
  status: ItemStatus;
  attempts: number;
  startedAt?: string;
  finishedAt?: string;
  result?: ItemResult;
  value?: string | number;
  unit?: string;
  reason?: string;
  notes: string[];
  /** For interrupted actions: the operator's answer (never re-run automatically). */
  resolution?: 'passed' | 'failed' | 'rerun';
  /** Derived: the title of the choice this item waits on (its `when.answer` is not answered yet). */
  waitingFor?: string;
  /** Who started its last attempt, and on which host (a team run's other sessions show it). */
  startedBy?: { name: string; host: string };
}

export interface Signoff {
  name: string;
  role: string;
  ts: string;
  /** The session it was given from, "user@host" (events that say who appended them; older ones do not). */
  from?: string;
}

export interface Handover {
  ts: string;
  from: string;
  to: string;
  note?: string;
  host: string;
}

export interface Override {
  seq: number;
  ts: string;
  kind: OverrideKind;
  item?: string;
  phase?: string;
  reason: string;
  operator: string;
}

export type RunStatus = 'active' | 'interrupted' | 'finished' | 'abandoned';

export interface RunState {
  schema: 1;
  runId: string;
  checklist: { path: string; sha256: string; title: string };
  env: string | null;
  operator: string;
  host: string;
  startedAt: string;
  updatedAt: string;
  finishedAt?: string;
  status: RunStatus;
  outcome?: 'passed' | 'failed' | 'incomplete';
  track: 'main' | 'rollback';
  rollbackReason?: string;
  items: Record<string, ItemState>;
  signoffs: Record<string, Signoff[]>;
  /** runsheet handover: who handed the run to whom (the last `to` is the run's operator now). */
  handovers?: Handover[];
  overrides: Override[];
  notes: { ts: string; text: string; operator: string }[];
  snapshots: Record<string, { file: string; sha256: string; item?: string; nodata: string[] }>;
  comparisons: { item?: string; baseline: string; label: string; status: 'pass' | 'warn' | 'fail'; rows: unknown[]; ts: string }[];
  /** Values given during the run for vars declared without one (var.set); a resumed run reuses them. */
  vars?: Record<string, string>;
  lastSeq: number;
  eventsHead: string;
}

export function emptyItem(): ItemState {
  return { status: 'pending', attempts: 0, notes: [] };
}

export function initialState(): RunState {
  return {
    schema: 1,
    runId: '',
    checklist: { path: '', sha256: '', title: '' },
    env: null,
    operator: '',
    host: '',
    startedAt: '',
    updatedAt: '',
    status: 'active',
    track: 'main',
    items: {},
    signoffs: {},
    overrides: [],
    notes: [],
    snapshots: {},
    comparisons: [],
    lastSeq: 0,
    eventsHead: GENESIS,
  };
}

function item(s: RunState, id: string): ItemState {
  return (s.items[id] ??= emptyItem());
}

/** An item reached a resting status at `ts`: the common part of every terminal event. */
function settle(s: RunState, id: string, status: ItemState['status'], ts: string): ItemState {
  const it = item(s, id);
  it.status = status;
  it.finishedAt = ts;
  return it;
}

/** Folds one event into state, in place (the caller owns the object). Returns the state. */
export function applyEvent(s: RunState, e: RunEvent): RunState {
  s.lastSeq = e.seq;
  s.updatedAt = e.ts;
  s.eventsHead = hashEvent(e);
  switch (e.type) {
    case 'run.started':
      Object.assign(s, { runId: e.runId, checklist: e.checklist, env: e.env, operator: e.operator, host: e.host, startedAt: e.ts });
      break;
    case 'run.resumed':
      s.status = 'active';
      s.operator = e.operator;
      s.host = e.host;
      s.checklist = { ...s.checklist, sha256: e.checklistSha256 };
      delete s.finishedAt;
      delete s.outcome;
      break;
    case 'run.interrupted':
      s.status = 'interrupted';
      break;
    case 'run.finished':
      s.status = 'finished';
      s.outcome = e.status;
      s.finishedAt = e.ts;
      break;
    case 'run.abandoned':
      s.status = 'abandoned';
      s.finishedAt = e.ts;
      break;
    case 'log.truncated':
      break;
    case 'item.started': {
      const it = item(s, e.item);
      it.status = 'running';
      it.attempts = e.attempt;
      it.startedAt = e.ts;
      it.startedBy = { name: e.operator, host: e.host };
      delete it.finishedAt;
      delete it.resolution;
      break;
    }
    case 'item.passed':
    case 'item.failed':
    case 'item.warned': {
      settle(s, e.item, e.type === 'item.passed' ? 'passed' : e.type === 'item.failed' ? 'failed' : 'warn', e.ts).result = e.result;
      break;
    }
    case 'item.interrupted': {
      settle(s, e.item, 'interrupted', e.ts).result = e.result;
      break;
    }
    case 'item.resolved': {
      const it = item(s, e.item);
      it.resolution = e.outcome;
      it.reason = e.reason;
      it.status = e.outcome === 'rerun' ? 'pending' : e.outcome;
      break;
    }
    case 'item.ticked': {
      settle(s, e.item, 'ticked', e.ts);
      break;
    }
    case 'item.unticked': {
      const it = item(s, e.item);
      it.status = 'pending';
      delete it.finishedAt;
      break;
    }
    case 'item.skipped': {
      settle(s, e.item, 'skipped', e.ts).reason = e.reason;
      break;
    }
    case 'item.recorded': {
      const it = settle(s, e.item, 'recorded', e.ts);
      it.value = e.value;
      if (e.unit) it.unit = e.unit;
      break;
    }
    case 'note':
      if (e.item) item(s, e.item).notes.push(e.text);
      else s.notes.push({ ts: e.ts, text: e.text, operator: e.operator });
      break;
    case 'override':
      s.overrides.push({ seq: e.seq, ts: e.ts, kind: e.kind, item: e.item, phase: e.phase, reason: e.reason, operator: e.operator });
      // Accepting a failed item marks it overridden: done, but never confused with a pass.
      if (e.item && (e.kind === 'failed-accepted' || e.kind === 'warn-acknowledged')) {
        const it = item(s, e.item);
        it.status = 'overridden';
        it.reason = e.reason;
      }
      break;
    case 'signoff':
      (s.signoffs[e.phase] ??= []).push({ name: e.name, role: e.role, ts: e.ts, ...(e.by ? { from: `${e.by.user}@${e.by.host}` } : {}) });
      break;
    case 'snapshot.taken':
      s.snapshots[e.label] = { file: e.file, sha256: e.sha256, item: e.item, nodata: e.nodata };
      break;
    case 'comparison':
      s.comparisons.push({ item: e.item, baseline: e.baseline, label: e.label, status: e.status, rows: e.rows, ts: e.ts });
      break;
    case 'rollback.started':
      s.track = 'rollback';
      s.rollbackReason = e.reason;
      break;
    case 'handover':
      (s.handovers ??= []).push({ ts: e.ts, from: e.from, to: e.to, host: e.host, ...(e.note ? { note: e.note } : {}) });
      s.operator = e.to;
      break;
    case 'var.set':
      (s.vars ??= {})[e.name] = e.value;
      break;
  }
  return s;
}

export function foldEvents(events: RunEvent[]): RunState {
  const s = initialState();
  for (const e of events) applyEvent(s, e);
  return s;
}

/** Statuses that count as done for progress (n/a: the item does not apply to this run). */
export function isDone(status: ItemStatus): boolean {
  return (
    status === 'passed' ||
    status === 'ticked' ||
    status === 'skipped' ||
    status === 'recorded' ||
    status === 'overridden' ||
    status === 'n/a'
  );
}

export type Applicability = { applies: true } | { applies: false; reason: string } | { waiting: string };

/**
 * Whether an item gated by `when: {answer}` applies, derived from the choice's state as folded
 * from the events — so re-recording the choice changes it, and replaying the log gives the same
 * answer. A skipped choice picks none of the alternatives: they do not apply.
 */
export function gateApplies(gate: AnswerGate, s: RunState): Applicability {
  if (gate.parent) {
    const up = gateApplies(gate.parent, s);
    if ('waiting' in up) return up;
    if (!up.applies) return { applies: false, reason: `"${gate.title}" does not apply (${up.reason})` };
  }
  const st = s.items[gate.item];
  if (st?.status === 'skipped') return { applies: false, reason: `"${gate.title}" was skipped` };
  if (st?.status !== 'recorded' || st.value === undefined) return { waiting: gate.title };
  const v = String(st.value);
  return gate.is.includes(v) ? { applies: true } : { applies: false, reason: `${gate.title} is ${v}` };
}

export function applicability(item: Item, s: RunState): Applicability {
  return item.when?.answer ? gateApplies(item.when.answer, s) : { applies: true };
}

/** Applies now: not gated, or its choice was answered so. */
export function appliesNow(item: Item, s: RunState): boolean {
  const a = applicability(item, s);
  return 'applies' in a && a.applies;
}

/** The item's state as the run sees it: n/a (with the reason) or waiting, derived from its gate. */
export function effectiveItemState(item: Item, st: ItemState, s: RunState): ItemState {
  if (!item.when?.answer) return st;
  const a = gateApplies(item.when.answer, s);
  if ('waiting' in a) return { ...st, waitingFor: a.waiting };
  return a.applies ? st : { ...st, status: 'n/a', reason: a.reason };
}

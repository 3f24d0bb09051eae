// Builds the in-toto Statement a report signs: everything an auditor needs about one run,
// derived from the checklist, the folded state and the full event chain.
import type { Checklist, Item, Phase } from '../model.js';
import { allItems } from '../model.js';
import type { RunEvent } from '../events.js';
import { canonicalJson, chainHead, hashEvent } from '../events.js';
import type { ItemState, RunState } from '../state.js';
import { effectiveItemState, emptyItem } from '../state.js';
import { countStates } from '../progress.js';
import type { DeploymentReportPredicate, ReportItem, ReportPhase, Statement, Subject } from './predicate.js';
import { PREDICATE_TYPE, STATEMENT_TYPE } from './predicate.js';
import { summarize } from './summary.js';
import { redactDeep } from '../redact.js';

export interface StatementInput {
  checklist: Checklist;
  checklistFile: { name: string; sha256: string };
  state: RunState;
  events: RunEvent[];
  /** Extra subjects the operator names, e.g. the release image digest. */
  subjects: Subject[];
  tool: { name: string; version: string };
  /** Secret values to replace with "***" anywhere in the statement (secretValues in src/core/redact.ts). */
  secrets?: string[];
}

function reportItem(item: Item | undefined, id: string, st: ItemState): ReportItem {
  return {
    id,
    phase: item?.phaseId ?? null,
    section: item?.sectionTitle ?? null,
    title: item?.title ?? id,
    kind: item?.action.kind ?? 'unknown',
    critical: item?.critical ?? false,
    ...itemFacts(st),
    ...(item?.when?.answer ? { applies_when: { item: item.when.answer.item, is: [...item.when.answer.is] } } : {}),
  };
}

/**
 * What a report says about one item that its events alone decide. `buildStatement` writes these
 * from the folded state, and `verify` recomputes them from the signed events and compares: one
 * function, so the two can never disagree about what an event means.
 */
export function itemFacts(st: ItemState): Omit<ReportItem, 'id' | 'phase' | 'section' | 'title' | 'kind' | 'critical'> {
  return {
    status: st.status,
    result: st.result?.summary ?? null,
    detail: st.result ?? null,
    attempts: st.attempts,
    started_at: st.startedAt ?? null,
    finished_at: st.finishedAt ?? null,
    value: st.value ?? null,
    unit: st.unit ?? null,
    reason: st.reason ?? null,
    resolution: st.resolution ?? null,
    notes: [...st.notes],
  };
}

/** The run-level fields the events alone decide (see itemFacts): status, outcome, sign-offs, … */
export type RunFacts = Pick<
  DeploymentReportPredicate,
  | 'run_id'
  | 'environment'
  | 'operator'
  | 'host'
  | 'operators'
  | 'started_at'
  | 'finished_at'
  | 'status'
  | 'outcome'
  | 'track'
  | 'notes'
  | 'overrides'
  | 'records'
  | 'signoffs'
  | 'snapshots'
  | 'comparisons'
  | 'rollback'
  | 'handovers'
>;

export function runFacts(state: RunState, events: RunEvent[]): RunFacts {
  const operators: string[] = [];
  for (const e of events) if (!operators.includes(e.operator)) operators.push(e.operator);
  const rollbackEvent = [...events].reverse().find((e) => e.type === 'rollback.started');
  return {
    run_id: state.runId,
    environment: state.env,
    operator: state.operator,
    host: state.host,
    operators,
    started_at: state.startedAt,
    finished_at: state.finishedAt ?? null,
    status: state.status,
    outcome: state.outcome ?? null,
    track: state.track,
    notes: state.notes.map((n) => ({ ts: n.ts, operator: n.operator, text: n.text })),
    overrides: state.overrides.map((o) => ({
      seq: o.seq,
      ts: o.ts,
      kind: o.kind,
      item: o.item ?? null,
      phase: o.phase ?? null,
      reason: o.reason,
      operator: o.operator,
    })),
    records: events.flatMap((e) =>
      e.type === 'item.recorded'
        ? [{ seq: e.seq, ts: e.ts, item: e.item, value: e.value, unit: e.unit ?? null, operator: e.operator }]
        : [],
    ),
    signoffs: Object.entries(state.signoffs).flatMap(([phase, list]) =>
      list.map((s) => ({ phase, name: s.name, role: s.role, ts: s.ts, ...(s.from ? { from: s.from } : {}) })),
    ),
    ...(state.handovers?.length ? { handovers: state.handovers.map((h) => ({ ...h })) } : {}),
    snapshots: Object.entries(state.snapshots).map(([label, s]) => ({
      label,
      item: s.item ?? null,
      file: s.file,
      sha256: s.sha256,
      nodata: [...s.nodata],
    })),
    comparisons: state.comparisons.map((c) => ({
      item: c.item ?? null,
      baseline: c.baseline,
      label: c.label,
      status: c.status,
      rows: c.rows,
      ts: c.ts,
    })),
    rollback:
      rollbackEvent && rollbackEvent.type === 'rollback.started' ? { started_at: rollbackEvent.ts, reason: rollbackEvent.reason } : null,
  };
}

/** A phase's counts and times, from its items (verify recomputes them the same way). */
export function reportPhase(
  p: Pick<Phase, 'id' | 'title' | 'rollback' | 'signoff'>,
  items: Pick<ReportItem, 'phase' | 'status' | 'started_at' | 'finished_at'>[],
): ReportPhase {
  const mine = items.filter((i) => i.phase === p.id);
  const counts = countStates(mine);
  const starts = mine
    .map((i) => i.started_at ?? i.finished_at)
    .filter((t): t is string => !!t)
    .sort();
  const ends = mine
    .map((i) => i.finished_at)
    .filter((t): t is string => !!t)
    .sort();
  const started = starts[0] ?? null;
  const finished = ends.length ? ends[ends.length - 1] : null;
  return {
    id: p.id,
    title: p.title,
    rollback: !!p.rollback,
    items: mine.length,
    done: counts.done,
    failed: counts.failed,
    started_at: started,
    finished_at: finished,
    duration_ms: started && finished ? Math.max(0, Date.parse(finished) - Date.parse(started)) : null,
    signoff_required: [...p.signoff],
  };
}

export function buildStatement(input: StatementInput): Statement {
  const { checklist, state, events } = input;
  const listed = allItems(checklist);
  const byId = new Map(listed.map((i) => [i.id, i]));
  // n/a (an earlier choice answered otherwise) is derived from the folded events, as on screen.
  const items = listed.map((i) => reportItem(i, i.id, effectiveItemState(i, state.items[i.id] ?? emptyItem(), state)));
  // Items with events that a changed checklist no longer lists stay visible, never dropped.
  for (const [id, st] of Object.entries(state.items)) if (!byId.has(id)) items.push(reportItem(undefined, id, st));
  const phases = (checklist.rollback ? [...checklist.phases, checklist.rollback] : checklist.phases).map((p) => reportPhase(p, items));

  const predicate: DeploymentReportPredicate = {
    ...runFacts(state, events),
    checklist: { title: checklist.title, version: checklist.version, file: input.checklistFile.name, sha256: input.checklistFile.sha256 },
    phases,
    items,
    summary: summarize(items),
    events,
    events_head: chainHead(events),
    events_redacted: [],
    tool: { ...input.tool },
  };
  const statement: Statement = {
    _type: STATEMENT_TYPE,
    subject: [{ name: input.checklistFile.name, digest: { sha256: input.checklistFile.sha256 } }, ...input.subjects],
    predicateType: PREDICATE_TYPE,
    predicate,
  };
  return redactStatement(statement, input.secrets ?? []);
}

/** Redacts secrets everywhere; events that changed are listed with their original hash. */
function redactStatement(s: Statement, secrets: string[]): Statement {
  const out = redactDeep(s, secrets);
  const originals = s.predicate.events;
  out.predicate.events_redacted = out.predicate.events.flatMap((e, i) =>
    canonicalJson(e) === canonicalJson(originals[i]) ? [] : [{ seq: originals[i].seq, sha256: hashEvent(originals[i]) }],
  );
  return out;
}

/** The exact bytes that go into the DSSE payload: RFC 8785 JSON of the statement. */
export function statementBytes(s: Statement): Uint8Array {
  return new TextEncoder().encode(canonicalJson(s));
}

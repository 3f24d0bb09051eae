// The report as people read it, built once from the signed statement and shared by the Markdown
// and HTML renderers so both say the same thing. Pure: every text here is already sanitised
// (safeLine) but not yet escaped for Markdown or HTML — each renderer escapes for its format.
import type { DeploymentReportPredicate, ReportItem, ReportPhase, Statement } from './predicate.js';
import { groupComparisons } from './comparisons.js';
import type { ItemView, NoteView, OverrideView, PhaseView, ReportRenderOptions, ReportView, SignoffRow } from './view-types.js';
import { recordedValue, resultInWords, statusWord } from './item-result.js';
import { fmtDuration, fmtTime, spanMs, withUnit } from './units.js';
import { safeLine, safeText } from '../safe-text.js';
import { countStates, troubleWords, type Counts } from '../progress.js';

export type {
  ComparisonView,
  ItemView,
  MetricRules,
  NoteView,
  OverrideView,
  PhaseView,
  ReportRenderOptions,
  ReportSigner,
  ReportView,
  SignoffRow,
} from './view-types.js';

const OVERRIDE_WORDS: Record<string, string> = {
  'out-of-order': 'Done out of order',
  'signoff-with-failures': 'Signed off with failures',
  'signoff-incomplete': 'Signed off incomplete',
  'warn-acknowledged': 'Warning accepted',
  'failed-accepted': 'Failure accepted',
  'checklist-changed': 'Checklist changed mid-run',
};

const SETTLING = new Set(['item.ticked', 'item.recorded', 'item.skipped', 'item.resolved', 'item.passed', 'item.failed', 'item.warned']);

/** "3 of 5 done, 1 failed, 1 warned": a phase's counts as progress.ts words them, in a report's words. */
function phaseWords(c: Counts): string {
  return [`${c.done} of ${c.total} done`, ...troubleWords(c)].join(', ');
}

function outcomeOf(p: DeploymentReportPredicate): string {
  if (p.status === 'abandoned') return 'ABANDONED';
  if (p.status !== 'finished') return `NOT FINISHED (${p.status})`;
  const o = (p.outcome ?? 'unknown').toUpperCase();
  return p.rollback ? `${o}, ROLLED BACK` : o;
}

export function buildReportView(st: Statement, opts: ReportRenderOptions): ReportView {
  const p = st.predicate;
  const titleCount = new Map<string, number>();
  for (const i of p.items) titleCount.set(i.title, (titleCount.get(i.title) ?? 0) + 1);
  const label = (i: Pick<ReportItem, 'id' | 'title'>): string =>
    safeLine(titleCount.get(i.title)! > 1 || !i.title ? `${i.title || i.id} (${i.id})` : i.title);
  const byId = new Map(p.items.map((i) => [i.id, i]));
  const itemLabel = (id: string | null): string => (id ? (byId.has(id) ? label(byId.get(id)!) : safeLine(id)) : '');
  const phaseTitle = new Map(p.phases.map((ph) => [ph.id, safeLine(ph.title)]));

  // Who settled each item, and the item notes with their time and author (state keeps text only).
  const settledBy = new Map<string, string>();
  const itemNotes = new Map<string, NoteView[]>();
  for (const e of p.events) {
    if (SETTLING.has(e.type) && 'item' in e && typeof e.item === 'string') settledBy.set(e.item, e.operator);
    if (e.type === 'note' && e.item) {
      const list = itemNotes.get(e.item) ?? [];
      list.push({ ts: e.ts, operator: safeLine(e.operator), text: safeLine(e.text) });
      itemNotes.set(e.item, list);
    }
  }
  const acceptedBy = new Map(p.overrides.filter((o) => o.item).map((o) => [o.item!, o.operator]));
  const groups = groupComparisons(p.comparisons);
  const groupOf = new Map(groups.filter((g) => g.item).map((g) => [g.item!, g]));
  const baselineValues = (snapshotLabel: string): string[] => {
    const g = groups.find((x) => x.baseline === snapshotLabel);
    return g ? g.rows.map((r) => `${r.title} ${withUnit(r.baseline, r.unit)}`) : [];
  };
  const snapshotOf = new Map(p.snapshots.filter((s) => s.item).map((s) => [s.item!, s.label]));

  const itemView = (i: ReportItem): ItemView => {
    const durationMs =
      typeof i.detail?.durationMs === 'number' && i.detail.durationMs >= 0 ? i.detail.durationMs : spanMs(i.started_at, i.finished_at);
    const notes = itemNotes.get(i.id) ?? i.notes.map((text) => ({ ts: '', operator: '', text: safeLine(text) }));
    const values: string[] = [];
    const rec = recordedValue(i);
    if (rec !== null) values.push(rec);
    const snap = snapshotOf.get(i.id);
    if (snap) values.push(...baselineValues(snap));
    const group = groupOf.get(i.id);
    if (group) values.push(...group.rows.map((r) => `${r.title} ${withUnit(r.after, r.unit)}`));
    return {
      id: safeLine(i.id),
      label: label(i),
      status: i.status,
      statusWord: statusWord(i.status),
      bad: i.status === 'failed' || i.status === 'interrupted' || i.status === 'warn',
      startedAt: i.started_at,
      finishedAt: i.finished_at,
      duration: fmtDuration(durationMs),
      durationMs,
      result: resultInWords(i, { group, by: settledBy.get(i.id), acceptedBy: acceptedBy.get(i.id) }),
      notes,
      values,
      overridden: i.status === 'overridden' || p.overrides.some((o) => o.item === i.id),
      critical: i.critical,
    };
  };
  const phaseView = (ph: ReportPhase): PhaseView => ({
    id: ph.id,
    title: safeLine(ph.title) + (ph.rollback && !/roll ?back/i.test(ph.title) ? ' (rollback)' : ''),
    rollback: ph.rollback,
    startedAt: ph.started_at,
    finishedAt: ph.finished_at,
    duration: fmtDuration(ph.duration_ms),
    progress: phaseWords(countStates(p.items.filter((i) => i.phase === ph.id))),
    span: ph.started_at ? `${fmtTime(ph.started_at)} → ${fmtTime(ph.finished_at)} (${fmtDuration(ph.duration_ms)})` : 'not started',
    unused: ph.rollback && !p.rollback && !ph.started_at,
    items: p.items.filter((i) => i.phase === ph.id).map(itemView),
  });

  const endedAt =
    p.finished_at ?? (p.status === 'finished' || p.status === 'abandoned' ? null : (p.events[p.events.length - 1]?.ts ?? null));
  const finished = p.status === 'finished' || p.status === 'abandoned';
  const operators = p.operators.length ? p.operators : [p.operator];
  const subjects = st.subject.slice(1).map((x): [string, string] => ['Subject', `${safeLine(x.name)} sha256:${x.digest.sha256}`]);
  // The same count as the signed summary (verify holds them equal), with what it leaves out: warned, n/a.
  const s = countStates(p.items);
  const unusedRollback = p.rollback ? 0 : p.phases.filter((ph) => ph.rollback && !ph.started_at).reduce((n, ph) => n + ph.items, 0);
  const rollback = p.rollback ? { startedAt: p.rollback.started_at, reason: safeLine(p.rollback.reason) } : null;
  const overrides: OverrideView[] = p.overrides.map((o) => ({
    ts: o.ts,
    kind: OVERRIDE_WORDS[o.kind] ?? safeLine(o.kind),
    what:
      [o.item ? itemLabel(o.item) : '', o.phase ? `phase ${phaseTitle.get(o.phase) ?? safeLine(o.phase)}` : '']
        .filter(Boolean)
        .join(', ') || '–',
    operator: safeLine(o.operator),
    reason: safeLine(o.reason),
  }));
  const facts: [string, string][] = [
    ['Outcome', outcomeOf(p)],
    ['Window', `${fmtTime(p.started_at)} → ${p.finished_at ? fmtTime(p.finished_at) : `not finished (last event ${fmtTime(endedAt)})`}`],
    ['Duration', `${fmtDuration(spanMs(p.started_at, p.finished_at ?? endedAt))}${p.finished_at ? '' : ' so far'}`],
    ['Operators', operators.map((o) => safeLine(o)).join(', ') + (p.host ? ` (last on ${safeLine(p.host)})` : '')],
    ['Rollback', rollback ? `started ${fmtTime(rollback.startedAt)}: ${rollback.reason}` : 'none'],
    ['Overrides', overrides.length ? `${overrides.length}: ${overrides.map((o) => `${o.kind} (${o.what})`).join('; ')}` : 'none'],
    ['Environment', p.environment ? safeLine(p.environment) : '–'],
    ['Run', safeLine(p.run_id)],
    ['Checklist', `${safeLine(p.checklist.file)}, version ${p.checklist.version}, sha256 ${p.checklist.sha256.slice(0, 16)}…`],
    ...subjects,
  ];

  const signoffs: SignoffRow[] = [];
  for (const ph of p.phases) {
    const got = p.signoffs.filter((x) => x.phase === ph.id);
    // A rollback track the run never took needs no sign-off; listing it as NOT SIGNED would alarm.
    if (ph.rollback && !p.rollback && !ph.started_at && !got.length) continue;
    for (const g of got)
      signoffs.push({
        phase: safeLine(ph.title),
        role: safeLine(g.role),
        name: safeLine(g.name),
        ts: g.ts,
        ...(g.from ? { from: safeLine(g.from) } : {}),
      });
    for (const r of ph.signoff_required.filter((role) => !got.some((g) => g.role === role)))
      signoffs.push({ phase: safeLine(ph.title), role: safeLine(r), name: null, ts: null });
  }

  return {
    title: safeLine(p.checklist.title),
    runId: safeLine(p.run_id),
    finished,
    banner: finished ? null : `NOT FINISHED — status ${p.status}; this is not a final report`,
    outcome: outcomeOf(p),
    facts,
    startedAt: p.started_at,
    endedAt: p.finished_at ?? endedAt,
    rollback,
    overrides,
    summary: `${s.done} of ${s.total} items done${unusedRollback ? ` (${unusedRollback} of the ${s.total} are on the rollback track, which was not needed)` : ''}: ${s.passed} passed, ${s.ticked} ticked, ${s.recorded} recorded, ${s.skipped} skipped, ${s.overridden} accepted${s.na ? `, ${s.na} not applicable` : ''}; ${s.failed} failed, ${s.warned ? `${s.warned} warned, ` : ''}${s.interrupted} interrupted, ${s.pending + s.waiting + s.running} not done.`,
    phases: p.phases.map(phaseView),
    orphans: p.items.filter((i) => i.phase === null).map(itemView),
    comparisons: groups.map((g) => ({
      ...g,
      heading: `${g.item ? itemLabel(g.item) : 'Comparison'}: ${g.label} vs ${g.baseline}${g.count > 1 ? `, ${g.count} comparisons` : ''}`,
    })),
    signoffs,
    handovers: (p.handovers ?? []).map((h) => ({
      ts: h.ts,
      from: safeLine(h.from),
      to: safeLine(h.to),
      host: safeLine(h.host),
      ...(h.note ? { note: safeLine(h.note) } : {}),
    })),
    notes: p.notes.map((n) => ({ ts: n.ts, operator: safeLine(n.operator), text: safeLine(n.text) })),
    reference: (opts.reference ?? []).map((r) => ({ title: safeLine(r.title), notes: safeText(r.notes) })),
    snapshots: p.snapshots.map((x) => ({
      label: safeLine(x.label),
      file: safeLine(x.file),
      sha256: x.sha256,
      nodata: x.nodata.map((n) => safeLine(n)).join(', '),
    })),
    verify: {
      reportSha256: opts.reportSha256,
      envelopePath: opts.envelopePath ? safeLine(opts.envelopePath) : null,
      envelopeSha256: opts.envelopeSha256 ?? null,
      signers: opts.signers.map((x) => `${x.name ? `${safeLine(x.name)} ` : ''}${safeLine(x.keyid)}`),
      signed: opts.signers.length > 0,
    },
    rules: opts.rules ?? {},
    tool: `${safeLine(p.tool.name)} ${safeLine(p.tool.version)}`,
  };
}

// `runsheet runs` and `runsheet status RUN_ID`: the run records, without the TUI.
import { listRuns, RunStore } from '../adapters/run-store.js';
import { loadChecklistFromText } from '../adapters/checklist-file.js';
import { readRunChecklist } from '../adapters/run-store.js';
import { phaseProgress, runProgress, missingSignoffs, itemState } from '../core/policy.js';
import { isDone } from '../core/state.js';
import type { Checklist } from '../core/model.js';
import { safeJson, safeLine } from '../core/safe-text.js';
import { checkRunId } from '../core/run-id.js';
import type { CliIo } from './io.js';

function progressOf(items: Record<string, { status: string }>): { done: number; total: number } {
  const all = Object.values(items);
  return { done: all.filter((i) => isDone(i.status as never)).length, total: all.length };
}

export async function runsCommand(opts: { json?: boolean }, io: CliIo): Promise<number> {
  const runs = await listRuns(io.home);
  const rows = await Promise.all(runs.map(async (r) => {
    if (!r.state) return { id: r.runId, error: r.error };
    const s = r.state;
    const checklist = await runChecklist(io, r.runId, s.env);
    const p = checklist ? runProgress(checklist, s) : progressOf(s.items);
    return { id: r.runId, checklist: s.checklist.title, path: s.checklist.path, env: s.env, operator: s.operator, started: s.startedAt, status: s.status, outcome: s.outcome ?? null, track: s.track, progress: `${p.done}/${p.total}` };
  }));
  if (opts.json) {
    io.stdout(`${safeJson(rows, 2)}\n`);
    return 0;
  }
  if (!rows.length) {
    io.stdout(`no runs in ${io.home}\n`);
    return 0;
  }
  // A header row and aligned columns; the track says when a run went over to its rollback.
  // Titles, operators and envs come from files anyone could have written: escaped, one line.
  const head = ['RUN ID', 'STATUS', 'TRACK', 'DONE', 'ENV', 'OPERATOR', 'STARTED', 'CHECKLIST'];
  const body = rows.flatMap((r) => ('error' in r ? [] : [[r.id, r.status, r.track, r.progress, safeLine(r.env ?? '-'), safeLine(r.operator), r.started, safeLine(r.checklist)]]));
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => [...b[i]].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat(widths[i] - [...c].length))).join('  ').trimEnd();
  const out = body.length ? [head, ...body].map(line) : [];
  // A run that cannot be read has no columns to fill: its own line, after the table.
  for (const r of rows) if ('error' in r) out.push(safeLine(`${r.id}  UNREADABLE: ${String(r.error)}`));
  io.stdout(`${out.join('\n')}\n`);
  return 0;
}

/** The checklist a run used (its copy), or undefined when it no longer loads. */
async function runChecklist(io: CliIo, runId: string, env: string | null, set: Record<string, string> = {}): Promise<Checklist | undefined> {
  try {
    const text = await readRunChecklist(io.home, runId);
    return loadChecklistFromText(text, 'checklist.yaml', { env, set, processEnv: io.env }).checklist;
  } catch {
    return undefined;
  }
}

export async function statusCommand(runId: string, opts: { json?: boolean }, io: CliIo): Promise<number> {
  checkRunId(runId);
  const store = await RunStore.open(io.home, runId, { operator: 'status', readOnly: true });
  const s = store.state;
  const started = store.events.find((e) => e.type === 'run.started');
  const checklist = await runChecklist(io, runId, s.env, started?.type === 'run.started' ? started.vars : {});
  const phases = checklist ? [...checklist.phases, ...(checklist.rollback ? [checklist.rollback] : [])] : [];
  const view = {
    runId: s.runId,
    checklist: s.checklist,
    env: s.env,
    operator: s.operator,
    host: s.host,
    status: s.status,
    outcome: s.outcome ?? null,
    track: s.track,
    startedAt: s.startedAt,
    updatedAt: s.updatedAt,
    finishedAt: s.finishedAt ?? null,
    progress: checklist ? runProgress(checklist, s) : progressOf(s.items),
    phases: phases.map((p) => ({
      id: p.id,
      title: p.title,
      rollback: Boolean(p.rollback),
      progress: phaseProgress(p, s),
      signoffs: s.signoffs[p.id] ?? [],
      missingSignoffs: missingSignoffs(p, s),
      items: p.sections.flatMap((sec) =>
        sec.items.map((it) => {
          const st = itemState(s, it);
          // A recorded value carries its unit (the item's, when the event did not record one), as the TUI shows it.
          const unit = st.unit ?? (it.action.kind === 'record' ? it.action.unit : undefined);
          return { id: it.id, title: it.title, section: sec.title ?? null, status: st.status, attempts: st.attempts, startedAt: st.startedAt ?? null, finishedAt: st.finishedAt ?? null, result: st.result?.summary ?? null, value: st.value ?? null, unit: unit ?? null, reason: st.reason ?? null, notes: st.notes };
        }),
      ),
    })),
    overrides: s.overrides,
    notes: s.notes,
    lastSeq: s.lastSeq,
    eventsHead: s.eventsHead,
    warnings: store.warnings,
  };
  if (opts.json) {
    io.stdout(`${safeJson(view, 2)}\n`);
    return 0;
  }
  const out = [`${view.checklist.title}  run ${view.runId}  [${view.env ?? 'no env'}]  ${view.status}${view.outcome ? ` (${view.outcome})` : ''}`, `operator ${view.operator}@${view.host}  started ${view.startedAt}  progress ${view.progress.done}/${view.progress.total}`];
  for (const w of view.warnings) out.push(`warning: ${w}`);
  for (const p of view.phases) {
    out.push('', `${p.rollback ? 'ROLLBACK' : 'PHASE'} ${p.title}  ${p.progress.done}/${p.progress.total}${p.missingSignoffs.length ? `  sign-off needed: ${p.missingSignoffs.join(', ')}` : ''}`);
    for (const so of p.signoffs) out.push(`  signed: ${so.name} as ${so.role} at ${so.ts}`);
    for (const it of p.items) {
      out.push(`  ${it.status.padEnd(11)} ${it.id}  ${it.title}${it.result ? ` — ${it.result}` : ''}${it.value !== null ? ` = ${it.value}${it.unit ? ` ${it.unit}` : ''}` : ''}${it.reason ? ` (${it.reason})` : ''}`);
      // Operator notes (`n` in the TUI) belong with their item; untrusted text, one line each.
      for (const n of it.notes) out.push(`              note: ${safeLine(n)}`);
    }
  }
  if (view.notes.length) out.push('', 'NOTES', ...view.notes.map((n) => `  ${n.ts} ${n.operator}: ${n.text}`));
  // Titles, answers, reasons, notes and sign-off names are untrusted: each line escaped, kept one line.
  io.stdout(`${out.map(safeLine).join('\n')}\n`);
  return 0;
}

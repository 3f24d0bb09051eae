// `runsheet runs` and `runsheet status RUN_ID`: the run records, without the TUI.
import { resolve } from 'node:path';
import { loadChecklistFromText } from '../adapters/checklist-file.js';
import { openBackend, type RunBackend, type RunFilter } from '../adapters/store.js';
import { UserError } from '../core/errors.js';
import { missingSignoffs, itemState } from '../core/policy.js';
import { countStates, countsText, phaseProgress, progressLine, runProgress, type Counts } from '../core/progress.js';
import type { Checklist } from '../core/model.js';
import type { RunState } from '../core/state.js';
import { safeJson, safeLine } from '../core/safe-text.js';
import { checkRunId } from '../core/run-id.js';
import type { CliIo } from './io.js';

/**
 * The main track's counts and the rollback track's. A run whose checklist no longer loads is
 * counted from its events alone: every item it touched, either track.
 */
function progressOf(checklist: Checklist | undefined, s: RunState): { main: Counts; rollback: Counts | null; line: string } {
  if (!checklist) {
    const main = countStates(Object.values(s.items));
    return { main, rollback: null, line: countsText(main) };
  }
  const p = runProgress(checklist, s);
  const { phases: _phases, rollback, ...main } = p;
  return { main, rollback, line: progressLine(p, s.track) };
}

const STATUSES = ['active', 'interrupted', 'finished', 'abandoned', 'passed', 'failed', 'incomplete'];

/** --since DATE, --checklist PATH, --status S as a store filter (dates to UTC ISO, paths absolute). */
export function runFilter(opts: { since?: string; checklist?: string; status?: string }, cwd: string): RunFilter {
  const f: RunFilter = {};
  if (opts.since !== undefined) {
    const d = new Date(opts.since);
    if (Number.isNaN(d.getTime()))
      throw new UserError(`--since "${opts.since}": expected a date such as 2026-12-01 or 2026-12-01T08:00:00Z`);
    f.since = d.toISOString();
  }
  if (opts.checklist !== undefined) f.checklist = resolve(cwd, opts.checklist);
  if (opts.status !== undefined) {
    if (!STATUSES.includes(opts.status)) throw new UserError(`--status "${opts.status}": use one of ${STATUSES.join(', ')}`);
    f.status = opts.status;
  }
  return f;
}

export interface RunsOptions {
  json?: boolean;
  store?: string;
  since?: string;
  checklist?: string;
  status?: string;
}

export async function runsCommand(opts: RunsOptions, io: CliIo): Promise<number> {
  const filter = runFilter(opts, io.cwd);
  const backend = await openBackend(io, opts.store);
  try {
    return await listCommand(backend, opts, filter, io);
  } finally {
    await backend.close();
  }
}

async function listCommand(backend: RunBackend, opts: RunsOptions, filter: RunFilter, io: CliIo): Promise<number> {
  const runs = await backend.listRuns(filter);
  const rows = await Promise.all(
    runs.map(async (r) => {
      if (r.row) {
        const w = r.row;
        return {
          id: r.runId,
          checklist: w.title,
          path: w.path,
          env: w.env,
          operator: w.operator,
          started: w.started,
          status: w.status,
          outcome: w.outcome,
          progress: `${w.events} ev`,
        };
      }
      if (!r.state) return { id: r.runId, error: r.error };
      const s = r.state;
      const checklist = await runChecklist(io, backend, r.runId, s.env);
      const p = progressOf(checklist, s);
      return {
        id: r.runId,
        checklist: s.checklist.title,
        path: s.checklist.path,
        env: s.env,
        operator: s.operator,
        started: s.startedAt,
        status: s.status,
        outcome: s.outcome ?? null,
        track: s.track,
        // The table's DONE column: the main track's done/total, one word so the columns stay columns.
        progress: `${p.main.done}/${p.main.total}`,
        // In full, the words of the TUI header, `status` and the resume prompt.
        progressLine: p.line,
        counts: p.main,
        rollback: p.rollback,
      };
    }),
  );
  if (opts.json) {
    io.stdout(`${safeJson(rows, 2)}\n`);
    return 0;
  }
  if (!rows.length) {
    io.stdout(`no runs in ${backend.where}\n`);
    return 0;
  }
  // A header row and aligned columns; the track says when a run went over to its rollback.
  // Titles, operators and envs come from files anyone could have written: escaped, one line.
  const head = ['RUN ID', 'STATUS', 'TRACK', 'DONE', 'ENV', 'OPERATOR', 'STARTED', 'CHECKLIST'];
  const body: string[][] = rows.flatMap((r) =>
    'error' in r
      ? []
      : [
          [r.id, r.status, r.track, r.progress, safeLine(r.env ?? '-'), safeLine(r.operator), r.started, safeLine(r.checklist)].map(
            (c) => c ?? '-',
          ),
        ],
  );
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => [...b[i]].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat(widths[i] - [...c].length)))
      .join('  ')
      .trimEnd();
  const out = body.length ? [head, ...body].map(line) : [];
  // A run that cannot be read has no columns to fill: its own line, after the table.
  for (const r of rows) if ('error' in r) out.push(safeLine(`${r.id}  UNREADABLE: ${String(r.error)}`));
  io.stdout(`${out.join('\n')}\n`);
  return 0;
}

/** The checklist a run used (its copy), or undefined when it no longer loads. */
async function runChecklist(
  io: CliIo,
  backend: RunBackend,
  runId: string,
  env: string | null,
  set: Record<string, string> = {},
): Promise<Checklist | undefined> {
  try {
    const text = await backend.readChecklist(runId);
    return loadChecklistFromText(text, 'checklist.yaml', { env, set, processEnv: io.env }).checklist;
  } catch {
    return undefined;
  }
}

export async function statusCommand(runId: string, opts: { json?: boolean; store?: string }, io: CliIo): Promise<number> {
  checkRunId(runId);
  const backend = await openBackend(io, opts.store);
  try {
    return await showStatus(backend, runId, opts, io);
  } finally {
    await backend.close();
  }
}

async function showStatus(backend: RunBackend, runId: string, opts: { json?: boolean }, io: CliIo): Promise<number> {
  const store = await backend.open(runId, { operator: 'status', readOnly: true });
  const s = store.state;
  const started = store.events.find((e) => e.type === 'run.started');
  const checklist = await runChecklist(io, backend, runId, s.env, started?.type === 'run.started' ? started.vars : {});
  const phases = checklist ? [...checklist.phases, ...(checklist.rollback ? [checklist.rollback] : [])] : [];
  const progress = progressOf(checklist, s);
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
    progress: progress.main,
    rollbackProgress: progress.rollback,
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
          return {
            id: it.id,
            title: it.title,
            section: sec.title ?? null,
            status: st.status,
            attempts: st.attempts,
            startedAt: st.startedAt ?? null,
            finishedAt: st.finishedAt ?? null,
            result: st.result?.summary ?? null,
            value: st.value ?? null,
            unit: unit ?? null,
            reason: st.reason ?? null,
            notes: st.notes,
          };
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
  const out = [
    `${view.checklist.title}  run ${view.runId}  [${view.env ?? 'no env'}]  ${view.status}${view.outcome ? ` (${view.outcome})` : ''}`,
    `operator ${view.operator}@${view.host}  started ${view.startedAt}  progress ${progress.line}`,
  ];
  for (const w of view.warnings) out.push(`warning: ${w}`);
  for (const p of view.phases) {
    out.push(
      '',
      `${p.rollback ? 'ROLLBACK' : 'PHASE'} ${p.title}  ${countsText(p.progress)}${p.missingSignoffs.length ? `  sign-off needed: ${p.missingSignoffs.join(', ')}` : ''}`,
    );
    for (const so of p.signoffs) out.push(`  signed: ${so.name} as ${so.role} at ${so.ts}`);
    for (const it of p.items) {
      out.push(
        `  ${it.status.padEnd(11)} ${it.id}  ${it.title}${it.result ? ` — ${it.result}` : ''}${it.value !== null ? ` = ${it.value}${it.unit ? ` ${it.unit}` : ''}` : ''}${it.reason ? ` (${it.reason})` : ''}`,
      );
      // Operator notes (`n` in the TUI) belong with their item; untrusted text, one line each.
      for (const n of it.notes) out.push(`              note: ${safeLine(n)}`);
    }
  }
  if (view.notes.length) out.push('', 'NOTES', ...view.notes.map((n) => `  ${n.ts} ${n.operator}: ${n.text}`));
  // Titles, answers, reasons, notes and sign-off names are untrusted: each line escaped, kept one line.
  io.stdout(`${out.map(safeLine).join('\n')}\n`);
  return 0;
}

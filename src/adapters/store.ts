// Where runs are kept: local files (RunStore under $RUNSHEET_HOME, the default, needing nothing) or
// a PostgreSQL database (`--store postgres://…` / RUNSHEET_STORE, docs/team-store.md). Both give
// the commands the same two things: an open run (the engine's Persistence plus what the commands
// read) and a backend that finds, lists and reads runs. The database adapter — and `pg` with it —
// is imported only when a database store is named, so start-up with files stays as light as before.
import { join } from 'node:path';
import type { Persistence } from '../core/engine.js';
import type { RunEvent } from '../core/events.js';
import type { RunState } from '../core/state.js';
import { UserError } from '../core/errors.js';
import { findOpenRun, listRuns, readRunChecklist, runDir, RunStore, type OpenOptions } from './run-store.js';
import { readRun, type RunData } from './run-reader.js';
import { writeFileAtomic } from './atomic.js';

/** An open run, whichever store keeps it. RunStore satisfies it as it is. */
export interface OpenRun extends Persistence {
  readonly runId: string;
  /** The run's local directory ($RUNSHEET_HOME/runs/<id>): the whole run for files, its logs for a database. */
  readonly dir: string;
  readonly events: RunEvent[];
  readonly warnings: string[];
  /** Secret values masked out of every event before it is written. */
  secrets: readonly string[];
  lastEvent(): RunEvent | undefined;
  /** Where an item's command output is written (always a local file). */
  logPath(name: string): string;
  /** Read-only views: the events another process appended since the last look. */
  follow(): Promise<RunEvent[]>;
  close(): Promise<void>;
}

/** What the run records a listing shows (a database lists from its runs table, not by folding). */
export interface RunListing {
  runId: string;
  state?: RunState;
  error?: string;
  /** Database listings: the cached columns (the events stay the truth). */
  row?: {
    title: string;
    path: string;
    env: string | null;
    operator: string;
    started: string;
    status: string;
    outcome: string | null;
    events: number;
  };
}

export interface RunFilter {
  /** ISO date-time (UTC, as the commands normalise it): runs started at or after it. */
  since?: string;
  /** Runs of this checklist path. */
  checklist?: string;
  status?: string;
}

export interface RunMeta {
  title: string;
  path: string;
  env: string | null;
}

export interface RunBackend {
  readonly kind: 'files' | 'postgres';
  /** For messages: the home directory, or the database URL with its password masked. */
  readonly where: string;
  create(runId: string, checklistText: string, meta: RunMeta, opts: OpenOptions): Promise<OpenRun>;
  open(runId: string, opts: OpenOptions): Promise<OpenRun>;
  findOpenRun(checklistPath: string, env: string | null): Promise<{ runId: string; state: RunState } | undefined>;
  /** The checklist copy the run keeps. */
  readChecklist(runId: string): Promise<string>;
  /** Replace the checklist copy (resumed with a changed checklist). */
  saveChecklist(runId: string, text: string): Promise<void>;
  listRuns(filter: RunFilter): Promise<RunListing[]>;
  /** A run for reporting: events (chain checked), fold, checklist copy. */
  readRun(runId: string): Promise<RunData>;
  close(): Promise<void>;
}

/** `--store` (or RUNSHEET_STORE): absent or "files" → local files; postgres://… → the database. */
export function storeSpec(given: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  const spec = (given ?? env.RUNSHEET_STORE ?? '').trim();
  if (!spec || spec === 'files') return undefined;
  if (/^postgres(ql)?:\/\//i.test(spec)) return spec;
  // Never echo it: a mistyped URL can still carry a password.
  throw new UserError(
    `${given !== undefined ? '--store' : 'RUNSHEET_STORE'}: expected a postgres://… or postgresql://… URL (or "files" for the local store)`,
  );
}

export async function openBackend(io: { home: string; env: NodeJS.ProcessEnv }, given: string | undefined): Promise<RunBackend> {
  const spec = storeSpec(given, io.env);
  if (!spec) return fileBackend(io.home);
  const { openPgBackend } = await import('./pg-store.js');
  return openPgBackend(spec, io);
}

function matches(filter: RunFilter, s: RunState | undefined): boolean {
  if (!s) return !filter.since && !filter.checklist && !filter.status;
  if (filter.status && s.status !== filter.status && s.outcome !== filter.status) return false;
  if (filter.checklist && s.checklist.path !== filter.checklist) return false;
  if (filter.since && s.startedAt < filter.since) return false;
  return true;
}

export function fileBackend(home: string): RunBackend {
  return {
    kind: 'files',
    where: home,
    create: (runId, text, _meta, opts) => RunStore.create(home, runId, text, opts),
    open: (runId, opts) => RunStore.open(home, runId, opts),
    findOpenRun: (path, env) => findOpenRun(home, path, env),
    readChecklist: (runId) => readRunChecklist(home, runId),
    saveChecklist: (runId, text) => writeFileAtomic(join(runDir(home, runId), 'checklist.yaml'), text, 0o600),
    listRuns: async (filter) => (await listRuns(home)).filter((r) => matches(filter, r.state)),
    readRun: (runId) => readRun(home, runId),
    close: async () => {},
  };
}

/** Local log directory of a run kept in a database: command output stays on the host that ran it. */
export function localLogDir(home: string, runId: string): string {
  return join(runDir(home, runId), 'logs');
}

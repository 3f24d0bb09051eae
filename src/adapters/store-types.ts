// The shapes both run stores share (files: run-store.ts; PostgreSQL: pg-store.ts), in a file of
// their own so the database adapter can implement them without importing store.ts, which loads it.
import type { Persistence } from '../core/engine.js';
import type { RunEvent } from '../core/events.js';
import type { RunState } from '../core/state.js';
import type { OpenOptions } from './run-store.js';
import type { RunData } from './run-reader.js';

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

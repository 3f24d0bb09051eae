// The shapes both run stores share (files: run-store.ts; PostgreSQL: pg-store.ts), in a file of
// their own so the database adapter can implement them without importing store.ts, which loads it.
import type { Persistence } from '../core/engine.js';
import type { RunEvent } from '../core/events.js';
import type { RunState } from '../core/state.js';
import type { OpenLogFile } from './event-log.js';
import type { RunData } from './run-reader.js';

/** How a run is opened, whichever store keeps it. */
export interface OpenOptions {
  operator: string;
  now?: () => Date;
  /** Open without the lock, never writing (status, report, a second process). */
  readOnly?: boolean;
  /**
   * A team session (database store, docs/team-store.md): several processes write the run at once,
   * each in the run's presence, claiming the items it runs. The file store has one writer per run
   * and ignores it.
   */
  shared?: boolean;
  /** How events.jsonl is opened for appending (tests inject failing writes). */
  openLogFile?: OpenLogFile;
}

/**
 * One runsheet process with a run open (a team store's presence line lists them). Its text comes
 * from another operator's session: shown only through safeLine, like every untrusted string.
 */
export interface Session {
  /** Random per open run. */
  id: string;
  /** The operator's name (--operator / RUNSHEET_OPERATOR). */
  name: string;
  /** OS user and host the session runs as and on. */
  user: string;
  host: string;
  pid: number;
  /** ISO date-times (the database's clock). */
  started: string;
  seen: string;
}

/** An item taken by a session while it runs: a lease the holder renews, lapsing if it vanishes. */
export interface Claim {
  item: string;
  holder: Session;
  /** When the lease runs out unless renewed (ISO, the database's clock). */
  expires: string;
}

export type ClaimResult = { ok: true } | { ok: false; holder: Session };

/** Whether the store can be written now, and how many results wait in the local spool. */
export interface StoreStatus {
  reachable: boolean;
  /** Why not (the database's or the network's words, no credential). */
  cause?: string;
  spooled: number;
}

/**
 * An open run, whichever store keeps it. The file store has one writing process per run, so its
 * team methods are trivial: no other session to see, claims always granted, always reachable.
 */
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
  /**
   * Live: calls back with events other sessions appended (already folded into `state`), and with
   * spooled results once they are written. Database: LISTEN/NOTIFY on a connection of its own, no
   * polling; it catches up after (re)connecting. Files: a no-op (one writer per run; a read-only
   * view keeps polling follow()). Returns the unsubscribe.
   */
  subscribe(onEvents: (events: RunEvent[]) => void): () => void;
  /** The sessions in the run now (heartbeat within the timeout). Files: none. */
  presence(): Promise<Session[]>;
  /** Calls back with the sessions whenever one joins, leaves or times out. Files: a no-op. */
  onPresence(onChange: (sessions: Session[]) => void): () => void;
  /**
   * Takes an item for this session before it starts (Persistence.claim): granted, or who holds it.
   * Refused too while the fold shows the item running elsewhere, even if its lease ran out (that is
   * resolved as interrupted first, see recordExpiredClaims). Files, and a database run held by one
   * process (not a team session): always granted.
   */
  claim(itemId: string): Promise<ClaimResult>;
  /** Gives an item back after it ended (Persistence.release). */
  release(itemId: string): Promise<void>;
  /** Every live claim on the run (who runs what, where). Files: none. */
  claims(): Promise<Claim[]>;
  /** Claims whose lease ran out while their item is still running in the fold: their holder vanished. */
  expiredClaims(): Promise<Claim[]>;
  /**
   * Records each expired claim's item as interrupted (never re-run: the operator resolves it), once
   * even when several sessions race to do it. Returns the events it appended.
   */
  recordExpiredClaims(): Promise<RunEvent[]>;
  storeStatus(): StoreStatus;
  /** Calls back on every change of storeStatus() (the screen's "store unreachable — retrying" line). */
  onStoreStatus(onChange: (status: StoreStatus) => void): () => void;
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

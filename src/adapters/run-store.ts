// A run on disk: $RUNSHEET_HOME/runs/<id>/{events.jsonl, state.json, checklist.yaml, lock, logs/}.
// events.jsonl is the truth (appended + fsync'd first); state.json is the lowdb cache of the fold,
// cross-checked against the log on every open.
import { chmod, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { makeEvent, type EventBody, type EventBy, type RunEvent } from '../core/events.js';
import type { Persistence as CorePersistence } from '../core/engine.js';
import { applyEvent, foldEvents, initialState, type RunState } from '../core/state.js';
import { UserError } from '../core/errors.js';
import { redactDeep } from '../core/redact.js';
import { AtomicJsonFile, writeFileAtomic, fsyncDir } from './atomic.js';
import { EventAppender, LogChangedError, cutTornTail, readEventLog, readEventsAfter } from './event-log.js';
import { acquireRunLock, describeHolder, type LockInfo } from './run-lock.js';
import { checkRunId } from '../core/run-id.js';
import { ensureDir } from './ensure-dir.js';
import { PRIVATE_DIR } from './safe-open.js';
import { eventBy } from './event-by.js';
import type { Claim, ClaimResult, OpenOptions, Session, StoreStatus } from './store-types.js';

export type { OpenOptions } from './store-types.js';

/**
 * The engine's port (core/engine.ts) as a store on disk fills it: always with a log path, and the
 * last event for callers that chain on it.
 */
export interface Persistence extends CorePersistence {
  lastEvent(): RunEvent | undefined;
  logPath(name: string): string;
}

export function runsDir(home: string): string {
  return join(home, 'runs');
}

export function runDir(home: string, runId: string): string {
  return join(runsDir(home), checkRunId(runId));
}

export function newRunId(title: string, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const slug =
    title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 24)
      .replace(/-$/, '') || 'run';
  return `${stamp}-${slug}-${Math.random().toString(16).slice(2, 6)}`;
}

export class RunStore implements Persistence {
  private last: RunEvent | undefined;
  /** The append in progress and those queued behind it (see append). */
  private queue: Promise<unknown> = Promise.resolve();
  /** Bytes of events.jsonl read so far (a read-only view follows the log from here). */
  private readBytes = 0;
  /** Secret values masked out of every event before it is written (defence in depth). */
  secrets: readonly string[] = [];
  readonly warnings: string[] = [];
  private constructor(
    readonly dir: string,
    readonly runId: string,
    private readonly db: Low<RunState>,
    private readonly appender: EventAppender | null,
    private readonly opts: Required<Pick<OpenOptions, 'operator' | 'now'>> & { by: EventBy },
    private readonly unlock: (() => Promise<void>) | null,
    readonly lockedBy: LockInfo | null,
    readonly events: RunEvent[],
  ) {
    this.last = events[events.length - 1];
  }

  get state(): RunState {
    return this.db.data;
  }
  get readOnly(): boolean {
    return this.appender === null;
  }

  static async create(home: string, runId: string, checklistText: string, opts: OpenOptions): Promise<RunStore> {
    const dir = runDir(home, runId);
    try {
      await ensureDir(join(dir, 'logs'), PRIVATE_DIR);
      // runs/ may predate this version (umask mode): runsheet's own directories are 0700. Best
      // effort: a runs/ someone else owns is theirs to set.
      for (const d of [runsDir(home), dir, join(dir, 'logs')]) await chmod(d, PRIVATE_DIR).catch(() => {});
      await writeFileAtomic(join(dir, 'checklist.yaml'), checklistText, 0o600);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
      throw new UserError(`cannot create the run in ${runsDir(home)} (${code}): set RUNSHEET_HOME to a writable directory`);
    }
    fsyncDir(runsDir(home));
    return RunStore.open(home, runId, opts);
  }

  static async open(home: string, runId: string, opts: OpenOptions): Promise<RunStore> {
    const dir = runDir(home, runId);
    const now = opts.now ?? (() => new Date());
    try {
      await stat(join(dir, 'checklist.yaml'));
    } catch {
      throw new UserError(`no run "${runId}" in ${runsDir(home)} (see \`runsheet runs\`)`);
    }
    let release: (() => Promise<void>) | null = null;
    let lockedBy: LockInfo | null = null;
    const warnings: string[] = [];
    if (!opts.readOnly) {
      let lock: Awaited<ReturnType<typeof acquireRunLock>>;
      try {
        lock = await acquireRunLock(dir, now);
      } catch (e) {
        throw new UserError(`cannot lock the run in ${dir}: ${(e as Error).message}`);
      }
      if (lock.ok) {
        release = lock.release;
        if (lock.tookOver) {
          warnings.push(
            lock.tookOver.unreadable
              ? `took over an unreadable lock file written before this machine booted (${lock.tookOver.since})`
              : `took over a stale lock left by process ${lock.tookOver.pid} (no longer running)`,
          );
        }
      } else {
        lockedBy = lock.holder;
        warnings.push(`${describeHolder(lock.holder)}: opened read-only`);
      }
    }
    try {
      return await RunStore.load(runId, dir, opts, now, release, lockedBy, warnings);
    } catch (e) {
      // A run that cannot be opened must not stay locked by us.
      await release?.();
      throw e;
    }
  }

  private static async load(
    runId: string,
    dir: string,
    opts: OpenOptions,
    now: () => Date,
    release: (() => Promise<void>) | null,
    lockedBy: LockInfo | null,
    warnings: string[],
  ): Promise<RunStore> {
    const logPath = join(dir, 'events.jsonl');
    const log = await readEventLog(logPath);
    warnings.push(...log.warnings);
    const writable = release !== null;
    const file = new AtomicJsonFile<RunState>(join(dir, 'state.json'));
    const db = new Low<RunState>(file, initialState());
    const folded = foldEvents(log.events);
    let cached: RunState | null = null;
    try {
      cached = await file.read();
      if (cached !== null && (typeof cached !== 'object' || Array.isArray(cached) || typeof cached.lastSeq !== 'number'))
        throw new Error('not a run state');
    } catch {
      cached = null;
      warnings.push('state.json was unreadable (corrupt); rebuilt it from the event log');
    }
    if (cached && cached.lastSeq > folded.lastSeq) {
      // state.json is written only after an event is durable in the log, so a cache ahead of the
      // log means acknowledged events are gone from it. Rebuilding would silently forget them.
      const why = `state.json records ${cached.lastSeq} events but events.jsonl holds ${folded.lastSeq}: acknowledged events are missing from the log (truncated, or restored from an older copy?)`;
      if (writable) {
        throw new UserError(
          `${why}; the run cannot be resumed safely. Restore events.jsonl, or if state.json is the damaged file, delete it and it is rebuilt from the log`,
        );
      }
      warnings.push(`${why}; showing the log`);
    } else if (cached && (cached.lastSeq !== folded.lastSeq || cached.eventsHead !== folded.eventsHead)) {
      warnings.push(
        cached.lastSeq < folded.lastSeq
          ? `state.json was behind the event log (seq ${cached.lastSeq} < ${folded.lastSeq}: a crash between the two writes); rebuilt from the log`
          : `state.json disagrees with the event log (seq ${cached.lastSeq} vs ${folded.lastSeq}); the log is authoritative, state rebuilt`,
      );
    }
    db.data = folded;
    let appender: EventAppender | null = null;
    if (writable) {
      try {
        if (log.tornBytes) await cutTornTail(logPath, log.validBytes);
        appender = await EventAppender.open(
          logPath,
          { size: log.validBytes, lastLine: log.lastLine, needsNewline: log.needsNewline },
          opts.openLogFile,
        );
      } catch (e) {
        throw new UserError(`cannot write the event log: ${(e as Error).message}`);
      }
    }
    const store = new RunStore(
      dir,
      runId,
      db,
      appender,
      { operator: opts.operator, now, by: eventBy(opts.operator) },
      release,
      lockedBy,
      log.events,
    );
    store.readBytes = log.validBytes;
    store.warnings.push(...warnings);
    if (writable && (!cached || cached.lastSeq !== folded.lastSeq || cached.eventsHead !== folded.eventsHead)) await db.write();
    return store;
  }

  lastEvent(): RunEvent | undefined {
    return this.last;
  }

  logPath(name: string): string {
    return join(this.dir, 'logs', name);
  }

  /**
   * Appends are serialised: each event is built from the last event that is durably on disk, only
   * when the append before it has finished. An append that fails leaves `last`, `events` and the
   * state exactly as they were (the appender has cut the file back to its last whole line), so the
   * appends queued behind it are chained onto the true last event: nothing is written on top of a
   * hole. Each still fails on its own if the disk is still full, and all fail once the appender has
   * stopped (the log changed under us, or a failed write could not be cut back).
   */
  append(body: EventBody): Promise<RunEvent> {
    if (!this.appender) return Promise.reject(new UserError('this run is open read-only (another process holds it)'));
    const appender = this.appender;
    const redacted = redactDeep(body, this.secrets);
    const p = this.queue.then(() => this.appendNow(appender, redacted));
    this.queue = p.catch(() => {});
    return p;
  }

  private async appendNow(appender: EventAppender, body: EventBody): Promise<RunEvent> {
    const ts = this.opts.now().toISOString();
    // Timestamps never go backwards in the chain, even if the wall clock does.
    const safeTs = this.last && ts < this.last.ts ? this.last.ts : ts;
    const event = makeEvent(this.last, body, { ts: safeTs, operator: this.opts.operator, host: this.opts.by.host, by: this.opts.by });
    try {
      await appender.append(event);
    } catch (e) {
      // Not durable, so not done: nothing moved; tell the operator why (disk full, I/O error).
      if (e instanceof LogChangedError || appender.stopped) throw new UserError((appender.stopped ?? (e as Error)).message);
      throw new UserError(
        `could not save to ${this.dir}/events.jsonl (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): the action was NOT recorded`,
      );
    }
    this.last = event;
    this.events.push(event);
    applyEvent(this.db.data, event);
    // state.json is a cache: written atomically, coalesced, not awaited by the caller's ack path.
    void this.db.write().catch(() => {});
    return event;
  }

  /**
   * Read-only: folds in the events the process holding the run appended since the last look, and
   * returns them (none when nothing changed). Throws when the log no longer continues the chain.
   */
  async follow(): Promise<RunEvent[]> {
    if (!this.readOnly) return [];
    const { events, nextOffset } = await readEventsAfter(join(this.dir, 'events.jsonl'), this.readBytes, this.last);
    this.readBytes = nextOffset;
    for (const e of events) {
      applyEvent(this.db.data, e);
      this.events.push(e);
      this.last = e;
    }
    return events;
  }

  /** Waits for pending state writes and releases the lock. */
  async close(): Promise<void> {
    await this.queue;
    await this.appender?.close();
    // Only the process holding the run writes its files: a read-only view's state.json could be
    // older than what the holder appended since, and would then pass for the newest fold. Nor does
    // a writer that found the log changed under it (its fold is not the log's any more).
    if (!this.readOnly && !(this.appender?.stopped instanceof LogChangedError)) await this.db.write().catch(() => {});
    else await (this.db.adapter as AtomicJsonFile<RunState>).settled();
    await this.unlock?.();
  }

  // The team methods of OpenRun (store-types.ts): one writing process per run on files, so there is
  // nobody else to hear from, race with or wait for. A read-only view keeps polling follow().
  subscribe(_onEvents: (events: RunEvent[]) => void): () => void {
    return () => {};
  }
  presence(): Promise<Session[]> {
    return Promise.resolve([]);
  }
  onPresence(_onChange: (sessions: Session[]) => void): () => void {
    return () => {};
  }
  claim(_itemId: string): Promise<ClaimResult> {
    return Promise.resolve({ ok: true });
  }
  release(_itemId: string): Promise<void> {
    return Promise.resolve();
  }
  claims(): Promise<Claim[]> {
    return Promise.resolve([]);
  }
  expiredClaims(): Promise<Claim[]> {
    return Promise.resolve([]);
  }
  recordExpiredClaims(): Promise<RunEvent[]> {
    return Promise.resolve([]);
  }
  storeStatus(): StoreStatus {
    return { reachable: true, spooled: 0 };
  }
  onStoreStatus(_onChange: (status: StoreStatus) => void): () => void {
    return () => {};
  }
}

/** The run ids under home, newest first (ids start with their start time); none without a runs dir. */
async function runIdsNewestFirst(home: string): Promise<string[]> {
  try {
    return (await readdir(runsDir(home))).sort().reverse();
  } catch {
    return [];
  }
}

/** A run's state as its log folds to (the truth); throws when the log cannot be read or trusted. */
async function foldRunLog(home: string, runId: string): Promise<RunState> {
  return foldEvents((await readEventLog(join(runsDir(home), runId, 'events.jsonl'))).events);
}

/** Every run under home, newest first; unreadable ones are reported, not fatal. */
export async function listRuns(home: string): Promise<{ runId: string; state?: RunState; error?: string }[]> {
  const out = [];
  for (const runId of await runIdsNewestFirst(home)) {
    try {
      out.push({ runId, state: await foldRunLog(home, runId) });
    } catch (e) {
      out.push({ runId, error: (e as Error).message });
    }
  }
  return out;
}

/**
 * The newest unfinished (active or interrupted) run of this checklist file in this environment,
 * for "resume it or start fresh?". Reading every run's whole log made each start slower as runs
 * piled up; a run's state.json (the fold of its log) rules it out cheaply when it is at least as
 * new as the log. Any run it cannot rule out (no cache, an unreadable one, a log written after it,
 * or a match) is decided by its log, which is the truth.
 */
export async function findOpenRun(
  home: string,
  checklistPath: string,
  env: string | null,
): Promise<{ runId: string; state: RunState } | undefined> {
  const open = (st: RunState | undefined) =>
    !!st && (st.status === 'active' || st.status === 'interrupted') && st.checklist?.path === checklistPath && st.env === env;
  for (const runId of await runIdsNewestFirst(home)) {
    const dir = join(runsDir(home), runId);
    try {
      const [cache, log] = await Promise.all([stat(join(dir, 'state.json')), stat(join(dir, 'events.jsonl'))]);
      if (cache.mtimeMs > log.mtimeMs && !open(JSON.parse(await readFile(join(dir, 'state.json'), 'utf8')) as RunState)) continue;
    } catch {
      // no cache, or not readable: the log decides
    }
    try {
      const state = await foldRunLog(home, runId);
      if (open(state)) return { runId, state };
    } catch {
      // a damaged run is not offered for resuming (`runsheet runs` reports it)
    }
  }
  return undefined;
}

export async function readRunChecklist(home: string, runId: string): Promise<string> {
  return readFile(join(runDir(home, runId), 'checklist.yaml'), 'utf8');
}

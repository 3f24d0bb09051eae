// A run open on the database store: the same events, hash chain and fold as the file store, with
// the database as the durable log. An append is acknowledged only after its INSERT committed (one
// statement, so it is its own transaction); if it fails, the in-memory state is as before. Appends
// are made one at a time in call order, each chained on the one before.
//
// A team session (shared: several processes write the run, docs/team-store.md) re-chains an append
// that lost the race for its seq on the winner's events and tries again; it hears the others live
// (LISTEN/NOTIFY, pg-live.ts), shows itself in the run's presence and claims the items it runs
// (pg-team.ts). When the database cannot be reached, an operator's action is refused (never
// acknowledged unless committed), while the results of commands already running are kept in a
// local durable spool (pg-spool.ts) and written, in order, once the database answers again.
import { join } from 'node:path';
import type { PoolClient } from 'pg';
import { canonicalJson, checkChain, makeEvent, sha256Hex, type EventBody, type EventBy, type RunEvent } from '../core/events.js';
import { eventBy } from './event-by.js';
import { applyEvent, foldEvents, type RunState } from '../core/state.js';
import { UserError } from '../core/errors.js';
import { redactDeep } from '../core/redact.js';
import { safeLine } from '../core/safe-text.js';
import { isUnreachable, StoreUnreachable, type PgDb } from './pg-db.js';
import { PgListener } from './pg-live.js';
import { adoptSpools, alreadyStored, appendSpool, readSpool, rewriteSpool, spoolFile, type SpoolEntry } from './pg-spool.js';
import { PgTeam, type TeamTimings } from './pg-team.js';
import type { Claim, ClaimResult, OpenRun, Session, StoreStatus } from './store-types.js';

/** Another writer appended first: the action was not recorded; the run's tail has been re-read. */
export class StoreConflict extends UserError {
  constructor(message: string) {
    super(message, { exitCode: 1 });
  }
}

/** The database is unreachable; the result was NOT committed but is held in the local spool. */
export class StoreSpooled extends UserError {
  constructor(message: string) {
    super(message, { exitCode: 1 });
  }
}

/**
 * What a command that is already running produces: written when the database is back rather than
 * lost. Everything else is an operator's action, refused while the database cannot confirm it.
 */
const SPOOLED = new Set<EventBody['type']>([
  'item.passed',
  'item.failed',
  'item.warned',
  'item.interrupted',
  'log.truncated',
  'snapshot.taken',
  'comparison',
  'run.interrupted',
]);

const conflictCode = (e: unknown) => {
  const code = (e as { code?: string }).code;
  return code === '23505' || code === 'RS001';
};

const APPEND = `
  WITH ins AS (
    INSERT INTO runsheet.events (run_id, seq, ts, operator, host, type, prev, hash, event, body)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING run_id)
  UPDATE runsheet.runs r SET last_seq = $2, updated = $3, status = COALESCE($11, r.status), outcome = COALESCE($12, r.outcome)
  FROM ins WHERE r.id = ins.run_id`;

/** The run status a run.* event leaves (the runs table caches it for listings). */
function statusAfter(e: RunEvent): [string | null, string | null] {
  switch (e.type) {
    case 'run.started':
    case 'run.resumed':
      return ['active', null];
    case 'run.interrupted':
      return ['interrupted', null];
    case 'run.finished':
      return ['finished', e.status];
    case 'run.abandoned':
      return ['abandoned', null];
    default:
      return [null, null];
  }
}

/**
 * PostgreSQL's json cannot hold a lone UTF-16 surrogate (a checklist's "\\uD800" escape could make
 * one; decoded output never does): it becomes U+FFFD before the event is built and hashed.
 */
function wellFormed<T>(v: T): T {
  if (typeof v === 'string') return v.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd') as T;
  if (Array.isArray(v)) return v.map(wellFormed) as T;
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [wellFormed(k), wellFormed(x)])) as T;
  return v;
}

/** jsonb holds no NUL character: the query copy gets U+FFFD, the hashed text keeps the original. */
function jsonbSafe(v: unknown): unknown {
  if (typeof v === 'string') return v.includes('\u0000') ? v.replaceAll('\u0000', '\ufffd') : v;
  if (Array.isArray(v)) return v.map(jsonbSafe);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, jsonbSafe(x)]));
  return v;
}

/** Parameters of the INSERT for one event (push uses them too). */
export function appendParams(runId: string, e: RunEvent): unknown[] {
  const text = canonicalJson(e);
  const [status, outcome] = statusAfter(e);
  return [runId, e.seq, e.ts, e.operator, e.host, e.type, e.prev, sha256Hex(text), text, JSON.stringify(jsonbSafe(e)), status, outcome];
}

export async function insertEvent(q: Pick<PoolClient, 'query'>, runId: string, e: RunEvent): Promise<void> {
  await q.query(APPEND, appendParams(runId, e));
}

/** A run's stored events after `after` (all from seq 1 without it), checked like the file log. */
export async function readEvents(db: PgDb, runId: string, after?: RunEvent): Promise<RunEvent[]> {
  const rows = await db.query<{ seq: number; hash: string; event: string }>(
    'SELECT seq, hash, event FROM runsheet.events WHERE run_id = $1 AND seq > $2 ORDER BY seq',
    [runId, after?.seq ?? 0],
    'cannot read the events',
  );
  const events = rows.map((r) => {
    const e = JSON.parse(r.event) as RunEvent;
    if (canonicalJson(e) !== r.event || sha256Hex(r.event) !== r.hash)
      throw new UserError(`${db.shown}: run ${runId}, event ${r.seq} is not the event its hash records: the run cannot be trusted`, {
        exitCode: 1,
      });
    return e;
  });
  const problems = checkChain(events, after);
  if (problems.length)
    throw new UserError(`${db.shown}: run ${runId}: the event chain is broken (${problems[0]}): the run cannot be trusted`, {
      exitCode: 1,
    });
  return events;
}

export interface PgRunOptions {
  operator: string;
  now: () => Date;
  /** A team session: other processes write the run too (no lock); lost races are re-chained. */
  shared: boolean;
  /** Enter the run's presence (sessions table) while open. */
  presence: boolean;
  timings: TeamTimings;
}

export class PgRun implements OpenRun {
  secrets: readonly string[] = [];
  readonly warnings: string[] = [];
  /** Appends that lost the race for their seq to another writer and were re-chained (team sessions). */
  retries = 0;
  private last: RunEvent | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  /** An append's outcome is unknown (connection lost after sending it): re-read the tail first. */
  private unsure = false;
  private readonly folded: RunState;
  private readonly by: EventBy;
  private readonly team: PgTeam;
  private listener: PgListener | null = null;
  private spool: SpoolEntry[] = [];
  private status: StoreStatus = { reachable: true, spooled: 0 };
  private readonly eventListeners = new Set<(events: RunEvent[]) => void>();
  private readonly presenceListeners = new Set<(sessions: Session[]) => void>();
  private readonly statusListeners = new Set<(status: StoreStatus) => void>();
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private joined = false;
  private closed = false;
  private closing: Promise<void> | null = null;

  constructor(
    private readonly db: PgDb,
    readonly runId: string,
    readonly events: RunEvent[],
    private readonly writable: boolean,
    readonly dir: string,
    private readonly opts: PgRunOptions,
    private readonly unlock: (() => Promise<void>) | null,
  ) {
    this.folded = foldEvents(events);
    this.last = events[events.length - 1];
    this.by = eventBy(opts.operator);
    this.team = new PgTeam(db, runId, this.by, opts.timings);
  }

  /** After opening: joins the presence, and writes what a previous session left in the spool. */
  async init(): Promise<void> {
    if (this.opts.presence) {
      await this.team.join();
      this.joined = true;
    }
    if (!this.writable) return;
    this.spool = await readSpool(this.spoolPath);
    // What sessions that ended left unwritten (a crash while the database was away) joins ours.
    const adopted = await adoptSpools(this.dir, this.spoolPath, !this.opts.shared);
    if (adopted.entries.length) {
      this.spool.push(...adopted.entries);
      await rewriteSpool(this.spoolPath, this.spool);
    }
    await adopted.done();
    if (this.spool.length) {
      this.setStatus({ spooled: this.spool.length });
      this.warnings.push(`${this.spool.length} result(s) kept in ${this.spoolPath} while the database was unreachable: writing them now`);
      await this.enqueue(() => this.retryNow());
    }
  }

  get state(): RunState {
    return this.folded;
  }
  get readOnly(): boolean {
    return !this.writable;
  }
  /** spool.jsonl for a run this process holds; spool-PID.jsonl for a team session (pg-spool.ts). */
  get spoolPath(): string {
    return spoolFile(this.dir, this.opts.shared);
  }
  /** This process's session id (presence, claims). */
  get sessionId(): string {
    return this.team.id;
  }
  lastEvent(): RunEvent | undefined {
    return this.last;
  }
  logPath(name: string): string {
    return join(this.dir, 'logs', name);
  }

  append(body: EventBody): Promise<RunEvent> {
    if (!this.writable) return Promise.reject(new UserError('this run is open read-only (another process holds it)'));
    const clean = wellFormed(redactDeep(body, this.secrets));
    const p = this.queue.then(() => this.appendNow(clean));
    this.queue = p.catch(() => {});
    return p;
  }

  /** Runs `fn` after the appends queued so far, before any queued later (state stays consistent). */
  private enqueue<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.queue.then(fn);
    this.queue = p.catch(() => {});
    return p;
  }

  private async appendNow(body: EventBody): Promise<RunEvent> {
    const ts = this.opts.now().toISOString();
    try {
      // Spooled results come first: they happened first.
      if (this.spool.length) await this.flushSpool();
      const event = await this.insert(body, ts, this.opts.shared);
      this.setStatus({ reachable: true, cause: undefined });
      return event;
    } catch (e) {
      if (!isUnreachable(e)) throw e;
      const cause = e instanceof StoreUnreachable ? e.why : this.db.cause(e);
      this.setStatus({ reachable: false, cause });
      this.scheduleRetry();
      if (!SPOOLED.has(body.type))
        throw new StoreUnreachable(
          `store unreachable — retrying (${cause}; ${this.db.shown}): the action was NOT confirmed as recorded`,
          cause,
        );
      const entry: SpoolEntry = { body, ts, after: this.last?.seq ?? 0, operator: this.opts.operator, by: this.by };
      try {
        await appendSpool(this.spoolPath, entry);
      } catch (w) {
        throw new UserError(
          `store unreachable — ${cause}, and the local spool ${this.spoolPath} cannot be written (${(w as NodeJS.ErrnoException).code ?? (w as Error).message}): the result was NOT recorded`,
          { exitCode: 1 },
        );
      }
      this.spool.push(entry);
      this.setStatus({ spooled: this.spool.length });
      throw new StoreSpooled(
        `store unreachable — retrying (${cause}; ${this.db.shown}): the ${body.type} is kept in ${this.spoolPath} and written when the connection returns`,
      );
    }
  }

  /**
   * One event, chained on the run's tail, INSERTed. Losing the race for its seq: with `retry` (team
   * sessions, spool replays) it is re-chained on the winner's events and tried again; without, the
   * action is refused (StoreConflict) and the tail re-read.
   */
  private async insert(
    body: EventBody,
    ts: string,
    retry: boolean,
    who = { operator: this.opts.operator, by: this.by },
  ): Promise<RunEvent> {
    for (;;) {
      if (this.unsure) {
        // Whatever the database did record is folded in before anything new is chained on.
        await this.sync();
        this.unsure = false;
      }
      // Timestamps never go backwards in the chain, even if a clock does.
      const event = makeEvent(this.last, body, {
        ts: this.last && ts < this.last.ts ? this.last.ts : ts,
        operator: who.operator,
        host: who.by.host,
        by: who.by,
      });
      try {
        await insertEvent(this.db.pool, this.runId, event);
      } catch (e) {
        if (isUnreachable(e)) {
          this.unsure = true;
          throw e;
        }
        if (conflictCode(e)) {
          const theirs = await this.sync();
          // Re-chaining makes sense only on events that were not there before: never spin.
          if (retry && theirs.length) {
            this.retries++;
            continue;
          }
          const who = theirs[0] ? ` by ${theirs[0].operator}@${theirs[0].host}` : '';
          throw new StoreConflict(
            `run ${this.runId}: event ${event.seq} was appended${who} first: the action was NOT recorded; the run now shows it`,
          );
        }
        throw new UserError(`${this.db.shown}: the database refused the event (${this.db.cause(e)}): the action was NOT recorded`, {
          exitCode: 1,
        });
      }
      this.fold(event);
      return event;
    }
  }

  private fold(e: RunEvent): void {
    this.last = e;
    this.events.push(e);
    applyEvent(this.folded, e);
  }

  /** Writes the spool in order (each re-chained on the tail; one already stored is not written again). */
  private async flushSpool(): Promise<void> {
    const written: RunEvent[] = [];
    try {
      while (this.spool.length) {
        const entry = this.spool[0];
        // The chain as stored now (checked as it is read), so a copy that did commit is found.
        await this.sync();
        this.unsure = false;
        if (!alreadyStored(entry, this.events)) {
          try {
            written.push(await this.insert(entry.body, entry.ts, false, entry));
          } catch (e) {
            // Another writer came first (perhaps another session replaying the same entry): look
            // again whether it is stored now before chaining it on what they wrote.
            if (e instanceof StoreConflict) continue;
            throw e;
          }
        }
        this.spool.shift();
        await rewriteSpool(this.spoolPath, this.spool);
        this.setStatus({ spooled: this.spool.length });
      }
    } finally {
      if (written.length) this.tell(written);
    }
  }

  /** The queued retry: write the spool, or just see whether the database answers (and catch up). */
  private async retryNow(): Promise<void> {
    try {
      if (this.spool.length) await this.flushSpool();
      else await this.sync();
      this.setStatus({ reachable: true, cause: undefined });
    } catch (e) {
      this.setStatus({ reachable: false, cause: e instanceof StoreUnreachable ? e.why : (e as Error).message });
      this.scheduleRetry();
    }
  }

  private scheduleRetry(): void {
    if (this.closed || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.enqueue(() => this.retryNow());
    }, this.opts.timings.retryMs);
    // The spool is durable: a process with nothing else to do need not wait for the database.
    this.retryTimer.unref();
  }

  private setStatus(patch: Partial<StoreStatus>): void {
    const next: StoreStatus = { ...this.status, ...patch };
    if (next.reachable) delete next.cause;
    const same = next.reachable === this.status.reachable && next.cause === this.status.cause && next.spooled === this.status.spooled;
    this.status = next;
    if (!same) for (const fn of [...this.statusListeners]) fn({ ...next });
  }

  private tell(events: RunEvent[]): void {
    for (const fn of [...this.eventListeners]) fn(events);
  }

  /** Folds in what others appended since our last event; returns those events (and tells subscribers). */
  async sync(): Promise<RunEvent[]> {
    const more = await readEvents(this.db, this.runId, this.last);
    for (const e of more) this.fold(e);
    if (more.length) this.tell(more);
    return more;
  }

  async follow(): Promise<RunEvent[]> {
    return this.writable && !this.opts.shared ? [] : this.enqueue(() => this.sync());
  }

  private live(): PgListener {
    this.listener ??= new PgListener(
      this.db,
      () => {
        // (Re)connected: catch up on what was committed while nobody listened.
        void this.enqueue(() => this.sync()).catch(() => {});
        if (this.presenceListeners.size) void this.tellPresence();
      },
      { retryMs: this.opts.timings.retryMs },
    );
    return this.listener;
  }

  subscribe(onEvents: (events: RunEvent[]) => void): () => void {
    this.eventListeners.add(onEvents);
    const off = this.live().on('runsheet_run', (payload) => {
      const at = payload.lastIndexOf(':');
      if (payload.slice(0, at) !== this.runId || Number(payload.slice(at + 1)) <= (this.last?.seq ?? 0)) return;
      void this.enqueue(() => this.sync()).catch((e: unknown) => this.setStatus({ cause: (e as Error).message }));
    });
    return () => {
      off();
      this.eventListeners.delete(onEvents);
    };
  }

  presence(): Promise<Session[]> {
    return this.team.presence();
  }

  private async tellPresence(): Promise<void> {
    const sessions = await this.team.presence().catch(() => null);
    if (sessions) for (const fn of [...this.presenceListeners]) fn(sessions);
  }

  onPresence(onChange: (sessions: Session[]) => void): () => void {
    this.presenceListeners.add(onChange);
    const off = this.live().on('runsheet_presence', (payload) => {
      if (payload === this.runId) void this.tellPresence();
    });
    return () => {
      off();
      this.presenceListeners.delete(onChange);
    };
  }

  async claim(itemId: string): Promise<ClaimResult> {
    if (!this.writable) throw new UserError('this run is open read-only (another process holds it)');
    // A run held by one process (its lock) has nobody to race with.
    if (!this.opts.shared) return { ok: true };
    // Running in the log: someone else's (a claim, live or lapsed, is never taken over from under a
    // running item: a lapsed one is resolved as interrupted first, see recordExpiredClaims).
    await this.enqueue(() => this.sync());
    if (this.running(itemId)) return { ok: false, holder: (await this.team.holder(itemId)) ?? this.starter(itemId) };
    const got = await this.team.take(itemId);
    if (!got.ok) return got;
    // Ours now, so nobody starts it meanwhile; but it may have been started just before we took it.
    await this.enqueue(() => this.sync());
    if (this.running(itemId)) {
      await this.team.give(itemId).catch(() => {});
      return { ok: false, holder: this.starter(itemId) };
    }
    return got;
  }

  /** Whether the fold shows the item running (started, no ending yet). */
  private running(itemId: string): boolean {
    return (this.folded.items[itemId] as RunState['items'][string] | undefined)?.status === 'running';
  }

  /** Who started an item, from its last item.started event (older events name only the operator). */
  private starter(itemId: string): Session {
    const e = [...this.events].reverse().find((x) => x.type === 'item.started' && x.item === itemId);
    const by = e?.by ?? { name: e?.operator ?? '?', user: '?', host: e?.host ?? '?' };
    return { id: '', ...by, pid: 0, started: e?.ts ?? '', seen: e?.ts ?? '' };
  }

  async release(itemId: string): Promise<void> {
    // Unreachable: the lease lapses by itself.
    if (this.opts.shared) await this.team.give(itemId).catch(() => {});
  }

  claims(): Promise<Claim[]> {
    return this.team.claims();
  }

  async expiredClaims(): Promise<Claim[]> {
    await this.enqueue(() => this.sync());
    return (await this.team.expired()).filter((c) => this.running(c.item));
  }

  recordExpiredClaims(): Promise<RunEvent[]> {
    if (!this.writable) return Promise.reject(new UserError('this run is open read-only (another process holds it)'));
    return this.enqueue(async () => {
      await this.sync();
      const out: RunEvent[] = [];
      for (const c of await this.team.expired()) {
        const e = await this.interruptLapsed(c);
        if (e) out.push(e);
      }
      return out;
    });
  }

  /**
   * One lapsed claim becomes one item.interrupted, however many sessions race to record it: the
   * claim's row is deleted in the same transaction that appends the event, so only the session
   * whose DELETE took the row (the others wait on its lock, then find it gone) appends.
   */
  private async interruptLapsed(c: Claim): Promise<RunEvent | null> {
    for (;;) {
      if (!this.running(c.item)) return null;
      const h = c.holder;
      const body: EventBody = {
        type: 'item.interrupted',
        item: c.item,
        left: 'running',
        result: {
          ok: false,
          durationMs: 0,
          summary: safeLine(
            `the session of ${h.name} (${h.user}@${h.host}, pid ${h.pid}) that ran it stopped answering: its claim lapsed at ${c.expires}; the outcome is unknown`,
          ),
        },
      };
      const event = makeEvent(this.last, wellFormed(redactDeep(body, this.secrets)), {
        ts: ((t) => (this.last && t < this.last.ts ? this.last.ts : t))(this.opts.now().toISOString()),
        operator: this.opts.operator,
        host: this.by.host,
        by: this.by,
      });
      const client = await this.db.client();
      try {
        await client.query('BEGIN');
        const taken = await client.query(
          'DELETE FROM runsheet.claims WHERE run_id = $1 AND item = $2 AND session_id = $3 AND expires < now() RETURNING item',
          [this.runId, c.item, h.id],
        );
        if (!taken.rowCount) {
          await client.query('ROLLBACK');
          return null;
        }
        await insertEvent(client, this.runId, event);
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK').catch(() => {});
        if (conflictCode(e)) {
          // Another event came first: re-read, and if the item is still running, try again on it.
          await this.sync();
          continue;
        }
        if (isUnreachable(e)) this.unsure = true;
        throw this.db.explain(e, 'cannot record the lapsed claim');
      } finally {
        client.release();
      }
      this.fold(event);
      return event;
    }
  }

  storeStatus(): StoreStatus {
    return { ...this.status };
  }

  onStoreStatus(onChange: (status: StoreStatus) => void): () => void {
    this.statusListeners.add(onChange);
    return () => {
      this.statusListeners.delete(onChange);
    };
  }

  close(): Promise<void> {
    this.closing ??= this.closeOnce();
    return this.closing;
  }

  private async closeOnce(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.queue;
    // One last try at the spool if the database answers; otherwise it waits on disk for the next open.
    if (this.spool.length && this.status.reachable) await this.enqueue(() => this.flushSpool()).catch(() => {});
    await this.team.giveAll().catch(() => {});
    if (this.joined) await this.team.leave().catch(() => {});
    await this.listener?.close();
    await this.unlock?.();
  }
}

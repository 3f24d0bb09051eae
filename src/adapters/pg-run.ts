// A run open on the database store: the same events, hash chain and fold as the file store, with
// the database as the durable log. An append is acknowledged only after its INSERT committed (one
// statement, so it is its own transaction); if it fails, the in-memory state is as before. Appends
// are made one at a time in call order, each chained on the one before.
import { join } from 'node:path';
import type { PoolClient } from 'pg';
import { canonicalJson, checkChain, makeEvent, sha256Hex, type EventBody, type EventBy, type RunEvent } from '../core/events.js';
import { eventBy } from './event-by.js';
import { applyEvent, foldEvents, type RunState } from '../core/state.js';
import { UserError } from '../core/errors.js';
import { redactDeep } from '../core/redact.js';
import { isUnreachable, type PgDb } from './pg-db.js';
import type { OpenRun } from './store-types.js';

/** Another writer appended first: the action was not recorded; the run's tail has been re-read. */
export class StoreConflict extends UserError {
  constructor(message: string) {
    super(message, { exitCode: 1 });
  }
}

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

export class PgRun implements OpenRun {
  secrets: readonly string[] = [];
  readonly warnings: string[] = [];
  private last: RunEvent | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  /** An append's outcome is unknown (connection lost after sending it): re-read the tail first. */
  private unsure = false;
  private readonly folded: RunState;
  private readonly by: EventBy;

  constructor(
    private readonly db: PgDb,
    readonly runId: string,
    readonly events: RunEvent[],
    private readonly writable: boolean,
    readonly dir: string,
    private readonly opts: { operator: string; now: () => Date },
    private readonly release: (() => Promise<void>) | null,
  ) {
    this.folded = foldEvents(events);
    this.by = eventBy(opts.operator);
    this.last = events[events.length - 1];
  }

  get state(): RunState {
    return this.folded;
  }
  get readOnly(): boolean {
    return !this.writable;
  }
  lastEvent(): RunEvent | undefined {
    return this.last;
  }
  logPath(name: string): string {
    return join(this.dir, 'logs', name);
  }

  append(body: EventBody): Promise<RunEvent> {
    if (!this.writable) return Promise.reject(new UserError('this run is open read-only (another process holds it)'));
    const p = this.queue.then(() => this.appendNow(body));
    this.queue = p.catch(() => {});
    return p;
  }

  private async appendNow(body: EventBody): Promise<RunEvent> {
    if (this.unsure) {
      // Whatever the database did record is folded in before anything new is chained on.
      await this.sync();
      this.unsure = false;
    }
    const ts = this.opts.now().toISOString();
    const safeTs = this.last && ts < this.last.ts ? this.last.ts : ts;
    const event = makeEvent(this.last, wellFormed(redactDeep(body, this.secrets)), {
      ts: safeTs,
      operator: this.opts.operator,
      host: this.by.host,
      by: this.by,
    });
    try {
      await insertEvent(this.db.pool, this.runId, event);
    } catch (e) {
      if (isUnreachable(e)) {
        this.unsure = true;
        throw new UserError(`store unreachable — ${this.db.cause(e)} (${this.db.shown}): the action was NOT confirmed as recorded`, {
          exitCode: 1,
        });
      }
      const code = (e as { code?: string }).code;
      if (code === '23505' || code === 'RS001') {
        const theirs = await this.sync().catch(() => [] as RunEvent[]);
        const who = theirs[0] ? ` by ${theirs[0].operator}@${theirs[0].host}` : '';
        throw new StoreConflict(
          `run ${this.runId}: event ${event.seq} was appended${who} first: the action was NOT recorded; the run now shows it`,
        );
      }
      throw new UserError(`${this.db.shown}: the database refused the event (${this.db.cause(e)}): the action was NOT recorded`, {
        exitCode: 1,
      });
    }
    this.last = event;
    this.events.push(event);
    applyEvent(this.folded, event);
    return event;
  }

  /** Folds in what others appended since our last event; returns those events. */
  async sync(): Promise<RunEvent[]> {
    const more = await readEvents(this.db, this.runId, this.last);
    for (const e of more) {
      applyEvent(this.folded, e);
      this.events.push(e);
      this.last = e;
    }
    return more;
  }

  async follow(): Promise<RunEvent[]> {
    return this.writable ? [] : this.sync();
  }

  async close(): Promise<void> {
    await this.queue;
    await this.release?.();
  }
}

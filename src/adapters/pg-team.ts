// Several operators in one run on the database store: who is in it (runsheet.sessions, kept fresh by
// a heartbeat) and who runs what (runsheet.claims, a lease per item renewed while it runs). Times
// are the database's (now()), so hosts with drifting clocks agree on what has expired.
import { randomUUID } from 'node:crypto';
import type { EventBy } from '../core/events.js';
import type { PgDb } from './pg-db.js';
import type { Claim, ClaimResult, Session } from './store-types.js';

export interface TeamTimings {
  /** How often a session says it is still there. */
  heartbeatMs: number;
  /** A session not heard from for this long is no longer in the run. */
  presenceTimeoutMs: number;
  /** How long a claim holds without renewal… */
  leaseMs: number;
  /** …and how often its holder renews it while the item runs. */
  renewMs: number;
  /** Pause before trying an unreachable database again (listening, the spool). */
  retryMs: number;
}

export const TEAM_TIMINGS: TeamTimings = { heartbeatMs: 3_000, presenceTimeoutMs: 15_000, leaseMs: 10_000, renewMs: 3_000, retryMs: 1_000 };

const ms = (n: number) => `(${Math.trunc(n)}::double precision * interval '1 millisecond')`;

interface SessionRow {
  id: string;
  name: string;
  os_user: string;
  host: string;
  pid: number;
  started: Date;
  seen: Date;
}

interface ClaimRow {
  item: string;
  session_id: string;
  name: string;
  os_user: string;
  host: string;
  pid: number;
  started: Date;
  claimed: Date;
  expires: Date;
}

const toSession = (r: SessionRow): Session => ({
  id: r.id,
  name: r.name,
  user: r.os_user,
  host: r.host,
  pid: r.pid,
  started: r.started.toISOString(),
  seen: r.seen.toISOString(),
});

const toClaim = (r: ClaimRow): Claim => ({
  item: r.item,
  holder: {
    id: r.session_id,
    name: r.name,
    user: r.os_user,
    host: r.host,
    pid: r.pid,
    started: r.started.toISOString(),
    seen: r.claimed.toISOString(),
  },
  expires: r.expires.toISOString(),
});

/** This process's session in a run, and the run's sessions and claims as the database has them. */
export class PgTeam {
  readonly id = randomUUID();
  private started = new Date();
  private heartbeat: ReturnType<typeof setInterval> | null = null;
  private readonly renewals = new Map<string, ReturnType<typeof setInterval>>();

  constructor(
    private readonly db: PgDb,
    private readonly runId: string,
    private readonly me: EventBy,
    private readonly t: TeamTimings,
  ) {}

  /** Enters the run's presence and keeps the entry fresh until leave(). */
  async join(): Promise<void> {
    await this.enter();
    this.heartbeat ??= setInterval(() => void this.beat().catch(() => {}), this.t.heartbeatMs);
    this.heartbeat.unref();
  }

  private async enter(): Promise<void> {
    const rows = await this.db.query<{ started: Date }>(
      `INSERT INTO runsheet.sessions (id, run_id, name, os_user, host, pid, started, seen) VALUES ($1, $2, $3, $4, $5, $6, now(), now())
       ON CONFLICT (id) DO UPDATE SET seen = now() RETURNING started`,
      [this.id, this.runId, this.me.name, this.me.user, this.me.host, process.pid],
      'cannot join the run',
    );
    if (rows[0]) this.started = rows[0].started;
  }

  /** Still here; and sessions gone silent leave (their DELETE tells every listener). */
  private async beat(): Promise<void> {
    const seen = await this.db.query<{ id: string }>('UPDATE runsheet.sessions SET seen = now() WHERE id = $1 RETURNING id', [this.id]);
    // Swept out by another session while we could not reach the database: come back.
    if (seen.length === 0) await this.enter();
    await this.db.query(`DELETE FROM runsheet.sessions WHERE run_id = $1 AND seen < now() - ${ms(this.t.presenceTimeoutMs)}`, [this.runId]);
  }

  async leave(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    await this.db.query('DELETE FROM runsheet.sessions WHERE id = $1', [this.id], 'cannot leave the run');
  }

  async presence(): Promise<Session[]> {
    const rows = await this.db.query<SessionRow>(
      `SELECT id, name, os_user, host, pid, started, seen FROM runsheet.sessions
       WHERE run_id = $1 AND seen >= now() - ${ms(this.t.presenceTimeoutMs)} ORDER BY started, id`,
      [this.runId],
      'cannot read who is in the run',
    );
    return rows.map(toSession);
  }

  /**
   * Takes the item atomically: a new claim, ours already, or one whose lease ran out. While held,
   * the lease is renewed every renewMs.
   */
  async take(item: string): Promise<ClaimResult> {
    const mine = await this.db.query<{ session_id: string }>(
      `INSERT INTO runsheet.claims AS c (run_id, item, session_id, name, os_user, host, pid, started, claimed, expires)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now(), now() + ${ms(this.t.leaseMs)})
       ON CONFLICT (run_id, item) DO UPDATE SET session_id = EXCLUDED.session_id, name = EXCLUDED.name, os_user = EXCLUDED.os_user,
         host = EXCLUDED.host, pid = EXCLUDED.pid, started = EXCLUDED.started, claimed = EXCLUDED.claimed, expires = EXCLUDED.expires
       WHERE c.session_id = EXCLUDED.session_id OR c.expires < now()
       RETURNING session_id`,
      [this.runId, item, this.id, this.me.name, this.me.user, this.me.host, process.pid, this.started],
      'cannot claim the item',
    );
    if (mine.length) {
      if (!this.renewals.has(item)) {
        const timer = setInterval(() => void this.renew(item).catch(() => {}), this.t.renewMs);
        timer.unref();
        this.renewals.set(item, timer);
      }
      return { ok: true };
    }
    const holder = (await this.claimRows('item = $2', [item])).at(0);
    // Released between the two statements: try once more (it is free now, or someone else's).
    if (!holder) return this.take(item);
    return { ok: false, holder: holder.holder };
  }

  private async renew(item: string): Promise<void> {
    await this.db.query(
      `UPDATE runsheet.claims SET expires = now() + ${ms(this.t.leaseMs)} WHERE run_id = $1 AND item = $2 AND session_id = $3`,
      [this.runId, item, this.id],
    );
  }

  /** Gives the item back (only if still ours: a lapsed claim may have been taken since). */
  async give(item: string): Promise<void> {
    const timer = this.renewals.get(item);
    if (timer) clearInterval(timer);
    this.renewals.delete(item);
    await this.db.query(
      'DELETE FROM runsheet.claims WHERE run_id = $1 AND item = $2 AND session_id = $3',
      [this.runId, item, this.id],
      'cannot release the item',
    );
  }

  /** Stops renewing everything (close); the rows are deleted when reachable, else they lapse. */
  async giveAll(): Promise<void> {
    for (const item of [...this.renewals.keys()]) await this.give(item);
  }

  async claims(where = 'expires >= now()', params: unknown[] = []): Promise<Claim[]> {
    return this.claimRows(where, params);
  }

  private async claimRows(where: string, params: unknown[]): Promise<Claim[]> {
    const rows = await this.db.query<ClaimRow>(
      `SELECT item, session_id, name, os_user, host, pid, started, claimed, expires FROM runsheet.claims WHERE run_id = $1 AND ${where} ORDER BY claimed, item`,
      [this.runId, ...params],
      'cannot read the claims',
    );
    return rows.map(toClaim);
  }

  /** Who holds the item's claim (lapsed or not), if anyone. */
  async holder(item: string): Promise<Session | undefined> {
    return (await this.claimRows('item = $2', [item])).at(0)?.holder;
  }

  async expired(): Promise<Claim[]> {
    return this.claimRows('expires < now()', []);
  }
}

// One pool per process for the database store, and the one place pg's errors become runsheet's:
// a lost or refused connection is "store unreachable — <cause>", with the URL's password masked
// and any credential scrubbed from the cause. `pg` itself is imported here, on first use only.
import type { Client, Pool, PoolClient, QueryResultRow } from 'pg';
import { UserError } from '../core/errors.js';
import { redact } from '../core/redact.js';
import { pgTarget, type PgTarget } from './pg-connect.js';
import { checkSchema } from './pg-schema.js';

/** The database cannot be reached (as opposed to refusing a statement); `cause` as it may be shown. */
export class StoreUnreachable extends UserError {
  constructor(
    message: string,
    readonly why: string,
  ) {
    super(message, { exitCode: 1 });
  }
}

type PgModule = typeof import('pg').default;

export class PgDb {
  private constructor(
    readonly pool: Pool,
    readonly target: PgTarget,
    private readonly pg: PgModule,
  ) {}

  get shown(): string {
    return this.target.shown;
  }

  static async connect(spec: string, env: NodeJS.ProcessEnv, opts: { checkSchema?: boolean } = {}): Promise<PgDb> {
    const target = pgTarget(spec, env);
    const pg = (await import('pg')).default;
    // Connections for appends (in order), a run's lock, and a team session's heartbeat, lease
    // renewals and lapsed-claim transactions; idle ones are dropped by the pool. (LISTEN has its own.)
    const pool = new pg.Pool({ ...target.config, max: 4, idleTimeoutMillis: 30_000 });
    // An idle connection the server closed (restart, failover) must not crash the run: the pool
    // drops it and the next query reconnects.
    pool.on('error', () => {});
    const db = new PgDb(pool, target, pg);
    if (opts.checkSchema !== false) {
      const client = await db.client();
      try {
        await checkSchema(client, target.shown);
      } catch (e) {
        throw db.explain(e, 'cannot read the runsheet schema');
      } finally {
        client.release();
      }
    }
    return db;
  }

  async client(): Promise<PoolClient> {
    try {
      return await this.pool.connect();
    } catch (e) {
      throw this.explain(e, 'cannot connect');
    }
  }

  /**
   * A connection of its own, outside the pool, for LISTEN (a pooled one would be handed to others).
   * Its errors are the caller's to handle; it is connected when returned.
   */
  async listenClient(): Promise<Client> {
    const c = new this.pg.Client({ ...this.target.config });
    c.on('error', () => {});
    try {
      await c.connect();
    } catch (e) {
      await c.end().catch(() => {});
      throw this.explain(e, 'cannot connect');
    }
    return c;
  }

  async query<R extends QueryResultRow>(sql: string, params: unknown[] = [], what = 'query failed'): Promise<R[]> {
    try {
      return (await this.pool.query<R>(sql, params)).rows;
    } catch (e) {
      throw this.explain(e, what);
    }
  }

  /** A cause as it may be shown: no credential, no URL password. */
  cause(e: unknown): string {
    const err = e as { code?: string; message?: string };
    // node-postgres's words when the server wants a password and none was found anywhere.
    if (/client password must be a string/.test(err.message ?? ''))
      return 'the server asks for a password and none was given (in the URL, PGPASSWORD, ~/.pgpass or PGPASSFILE, or a service)';
    const msg = `${err.message ?? String(e)}${err.code && !/^[0-9A-Z]{5}$/.test(err.code) && !(err.message ?? '').includes(err.code) ? ` (${err.code})` : ''}`;
    return redact(msg, this.target.hide).replace(/\s+/g, ' ');
  }

  /** A UserError for e: unreachable, or the database's own words; UserErrors pass through. */
  explain(e: unknown, what: string): Error {
    if (e instanceof UserError) return e;
    if (isUnreachable(e)) return new StoreUnreachable(`store unreachable — ${this.cause(e)} (${this.shown})`, this.cause(e));
    return new UserError(`${this.shown}: ${what}: ${this.cause(e)}`, { exitCode: 1 });
  }

  async end(): Promise<void> {
    await this.pool.end().catch(() => {});
  }
}

/** The connection is gone or was never made (as opposed to the database refusing a statement). */
export function isUnreachable(e: unknown): boolean {
  if (e instanceof StoreUnreachable) return true;
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (/^E[A-Z]+$/.test(code)) return true; // ECONNREFUSED, ECONNRESET, ETIMEDOUT, ENOTFOUND…
    // connection exception; admin/crash shutdown, cannot connect now; too many connections
    return code.startsWith('08') || /^57P0[1-3]$/.test(code) || code === '53300';
  }
  return /connection terminated|timeout exceeded when trying to connect|not queryable|connection error|socket/i.test(
    e instanceof Error ? e.message : String(e),
  );
}

// The database store's backend (docs/team-store.md): runs, their checklist copies and events in
// PostgreSQL; command output in local files on the host that ran it (as with the file store),
// with each log's digest in the events and, for pushed runs, in runsheet.logs.
import { basename, join } from 'node:path';
import type { PoolClient } from 'pg';
import { hostname } from 'node:os';
import { hashEvent, sha256Hex } from '../core/events.js';
import { foldEvents } from '../core/state.js';
import { UserError } from '../core/errors.js';
import { ensureDir } from './ensure-dir.js';
import { runDir, type OpenOptions } from './run-store.js';
import type { RunData } from './run-reader.js';
import { PgDb } from './pg-db.js';
import { insertEvent, PgRun, readEvents } from './pg-run.js';
import { TEAM_TIMINGS, type TeamTimings } from './pg-team.js';
import type { OpenRun, RunBackend, RunFilter, RunListing, RunMeta } from './store-types.js';

export interface PgOpenOptions extends OpenOptions {
  /** In the run's presence while open (default: team sessions, i.e. `shared`). */
  presence?: boolean;
  /** Heartbeat, presence timeout, lease, renewal and retry pauses (tests shorten them). */
  timings?: Partial<TeamTimings>;
}

interface RunRow {
  id: string;
  title: string;
  checklist_path: string;
  checklist: string;
  checklist_sha256: string;
  env: string | null;
  operator: string;
  host: string;
  created: Date;
  status: string;
  outcome: string | null;
  last_seq: number;
}

export async function openPgBackend(spec: string, io: { home: string; env: NodeJS.ProcessEnv }): Promise<PgBackend> {
  return new PgBackend(await PgDb.connect(spec, io.env), io.home);
}

export class PgBackend implements RunBackend {
  readonly kind = 'postgres' as const;
  /** Run locks held, each on its own connection, released at the latest by close(). */
  private readonly locks = new Set<() => Promise<void>>();
  /** Runs opened here, closed (presence left, claims given back, listeners ended) by close() at the latest. */
  private readonly runs = new Set<PgRun>();
  constructor(
    readonly db: PgDb,
    private readonly home: string,
  ) {}

  get where(): string {
    return this.db.shown;
  }

  private async row(runId: string): Promise<RunRow> {
    const row = (await this.db.query<RunRow>('SELECT * FROM runsheet.runs WHERE id = $1', [runId], 'cannot read the run')).at(0);
    if (!row) throw new UserError(`no run "${runId}" in ${this.db.shown} (see \`runsheet runs --store …\`)`);
    return row;
  }

  async create(runId: string, checklistText: string, meta: RunMeta, opts: OpenOptions): Promise<OpenRun> {
    const now = (opts.now ?? (() => new Date()))();
    await this.db.query(
      `INSERT INTO runsheet.runs (id, title, checklist_path, checklist, checklist_sha256, env, operator, host, created, updated, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, 'active')`,
      [runId, meta.title, meta.path, checklistText, sha256Hex(checklistText), meta.env, opts.operator, hostname(), now],
      'cannot create the run',
    );
    return this.open(runId, opts);
  }

  async open(runId: string, opts: PgOpenOptions): Promise<OpenRun> {
    await this.row(runId);
    let release: (() => Promise<void>) | null = null;
    const warnings: string[] = [];
    if (!opts.readOnly && !opts.shared) {
      const lock = await this.lockRun(runId);
      if (lock) release = lock;
      else warnings.push(`run ${runId} is open in another runsheet process: opened read-only`);
    }
    try {
      const events = await readEvents(this.db, runId);
      const writable = !opts.readOnly && (opts.shared || release !== null);
      const dir = runDir(this.home, runId);
      if (writable) await ensureDir(join(dir, 'logs'), 0o700);
      const shared = !!opts.shared && !opts.readOnly;
      const run = new PgRun(
        this.db,
        runId,
        events,
        writable,
        dir,
        {
          operator: opts.operator,
          now: opts.now ?? (() => new Date()),
          shared,
          // A read-only watcher opened as a team session ({shared, readOnly}) is in the presence too.
          presence: opts.presence ?? !!opts.shared,
          timings: { ...TEAM_TIMINGS, ...opts.timings },
        },
        release,
      );
      run.warnings.push(...warnings);
      this.runs.add(run);
      try {
        await run.init();
      } catch (e) {
        await run.close();
        throw e;
      }
      return run;
    } catch (e) {
      await release?.();
      throw e;
    }
  }

  /**
   * One writing process per run, as with the file store's lock: a session-level advisory lock on
   * a connection held while the run is open. It only guards against two sessions resuming the same
   * run; the chain itself is guarded by the database (UNIQUE seq, prev checked on insert).
   */
  private async lockRun(runId: string): Promise<(() => Promise<void>) | null> {
    const client = await this.db.client();
    client.on('error', () => {});
    try {
      const r = (
        await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock(hashtext('runsheet.run'), hashtext($1)) AS ok", [runId])
      ).rows.at(0);
      if (!r?.ok) {
        client.release();
        return null;
      }
    } catch (e) {
      client.release(true);
      throw this.db.explain(e, 'cannot lock the run');
    }
    // Closing the connection ends the lock (and a dead connection's lock is gone already).
    let held = true;
    const release = () => {
      if (held) client.release(true);
      held = false;
      this.locks.delete(release);
      return Promise.resolve();
    };
    this.locks.add(release);
    return release;
  }

  async findOpenRun(
    checklistPath: string,
    env: string | null,
  ): Promise<{ runId: string; state: ReturnType<typeof foldEvents> } | undefined> {
    const rows = await this.db.query<{ id: string }>(
      "SELECT id FROM runsheet.runs WHERE checklist_path = $1 AND env IS NOT DISTINCT FROM $2 AND status IN ('active', 'interrupted') ORDER BY created DESC LIMIT 5",
      [checklistPath, env],
      'cannot list runs',
    );
    for (const { id } of rows) {
      try {
        const state = foldEvents(await readEvents(this.db, id));
        if ((state.status === 'active' || state.status === 'interrupted') && state.checklist.path === checklistPath && state.env === env)
          return { runId: id, state };
      } catch {
        // a damaged run is not offered for resuming (`runsheet runs` reports it)
      }
    }
    return undefined;
  }

  async readChecklist(runId: string): Promise<string> {
    return (await this.row(runId)).checklist;
  }

  async saveChecklist(runId: string, text: string): Promise<void> {
    await this.db.query(
      'UPDATE runsheet.runs SET checklist = $2, checklist_sha256 = $3 WHERE id = $1',
      [runId, text, sha256Hex(text)],
      'cannot save the checklist copy',
    );
  }

  async listRuns(filter: RunFilter): Promise<RunListing[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.since) where.push(`created >= $${params.push(filter.since)}`);
    if (filter.checklist) where.push(`checklist_path = $${params.push(filter.checklist)}`);
    if (filter.status) where.push(`(status = $${params.push(filter.status)} OR outcome = $${params.length})`);
    const rows = await this.db.query<RunRow>(
      `SELECT * FROM runsheet.runs ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created DESC, id DESC`,
      params,
      'cannot list runs',
    );
    return rows.map((r) => ({
      runId: r.id,
      row: {
        title: r.title,
        path: r.checklist_path,
        env: r.env,
        operator: r.operator,
        started: r.created.toISOString(),
        status: r.status,
        outcome: r.outcome,
        events: r.last_seq,
      },
    }));
  }

  async readRun(runId: string): Promise<RunData> {
    const row = await this.row(runId);
    const events = await readEvents(this.db, runId);
    if (events.length === 0) throw new UserError(`run "${runId}" has no events: there is nothing to report`);
    const state = foldEvents(events);
    const warnings: string[] = [];
    const checklistSha256 = sha256Hex(row.checklist);
    if (state.checklist.sha256 && state.checklist.sha256 !== checklistSha256) {
      warnings.push(
        `the checklist copy in the store (sha256 ${checklistSha256.slice(0, 12)}) differs from the one the events record (${state.checklist.sha256.slice(0, 12)})`,
      );
    }
    return {
      runId,
      dir: `${this.db.shown}#${runId}`,
      events,
      state,
      checklistText: row.checklist,
      checklistSha256,
      checklistName: basename(state.checklist.path || 'checklist.yaml'),
      warnings,
    };
  }

  /** Uploads a local run verbatim in one transaction (the trigger re-checks every link). */
  async push(
    run: RunData,
    checklistText: string,
    logs: { name: string; bytes: number; sha256: string }[],
    operator: string,
    host: string,
  ): Promise<'pushed' | 'already'> {
    const existing = await this.db.query<{ last_seq: number }>(
      'SELECT last_seq FROM runsheet.runs WHERE id = $1',
      [run.runId],
      'cannot read the run',
    );
    if (existing[0]) {
      const stored = await readEvents(this.db, run.runId);
      const same = stored.length === run.events.length && stored.every((e, i) => hashEvent(e) === hashEvent(run.events[i]));
      if (same) return 'already';
      throw new UserError(`run ${run.runId} is already in ${this.db.shown} with different events: not pushed`, { exitCode: 1 });
    }
    const s = run.state;
    const client: PoolClient = await this.db.client();
    try {
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO runsheet.runs (id, title, checklist_path, checklist, checklist_sha256, env, operator, host, created, updated, status, outcome, pushed)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, 'active', NULL, true)`,
        [
          run.runId,
          s.checklist.title,
          s.checklist.path,
          checklistText,
          sha256Hex(checklistText),
          s.env,
          s.operator || operator,
          s.host || host,
          s.startedAt || new Date().toISOString(),
        ],
      );
      for (const e of run.events) await insertEvent(client, run.runId, e);
      for (const l of logs)
        await client.query('INSERT INTO runsheet.logs (run_id, name, bytes, sha256) VALUES ($1, $2, $3, $4)', [
          run.runId,
          l.name,
          l.bytes,
          l.sha256,
        ]);
      await client.query('COMMIT');
      return 'pushed';
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {});
      throw this.db.explain(e, 'push failed, nothing was stored');
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    // A run left open (its owner failed on the way) must not keep the pool from ending.
    for (const run of [...this.runs]) await run.close().catch(() => {});
    for (const release of [...this.locks]) await release();
    await this.db.end();
  }
}

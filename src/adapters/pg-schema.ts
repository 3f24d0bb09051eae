// The database store's schema, created and migrated by runsheet itself (`runsheet store init`).
// Everything lives in its own schema, `runsheet`, so it never meets the team's tables; the version
// applied is in runsheet.runsheet_schema. The database, not the client, guards the chain: an event
// is accepted only if its hash is the sha256 of its text, its seq follows the stored last one and its
// prev is that event's stored hash — checked by a trigger in the inserting transaction, with
// UNIQUE (run_id, seq) settling two writers racing for the same seq. Events are append-only.
import type { PoolClient } from 'pg';
import { UserError } from '../core/errors.js';

export const SCHEMA_VERSION = 2;

// Index = version - 1. A migration never changes once released: add the next one instead.
const MIGRATIONS: string[] = [
  `
  CREATE TABLE runsheet.runs (
    id text PRIMARY KEY,
    title text NOT NULL,
    checklist_path text NOT NULL,
    checklist text NOT NULL,
    checklist_sha256 char(64) NOT NULL,
    env text,
    operator text NOT NULL,
    host text NOT NULL,
    created timestamptz NOT NULL,
    updated timestamptz NOT NULL,
    status text NOT NULL,
    outcome text,
    last_seq integer NOT NULL DEFAULT 0,
    pushed boolean NOT NULL DEFAULT false
  );
  CREATE INDEX runs_created ON runsheet.runs (created DESC);

  CREATE TABLE runsheet.events (
    run_id text NOT NULL REFERENCES runsheet.runs (id),
    seq integer NOT NULL CHECK (seq >= 1),
    ts timestamptz NOT NULL,
    operator text NOT NULL,
    host text NOT NULL,
    type text NOT NULL,
    prev char(64) NOT NULL,
    hash char(64) NOT NULL,
    -- The event's canonical JSON (RFC 8785): what its hash covers, read back verbatim.
    event text NOT NULL,
    -- The same event as jsonb, for queries (NUL characters, which jsonb cannot hold, as U+FFFD).
    body jsonb NOT NULL,
    UNIQUE (run_id, seq)
  );

  -- Command output stays in files on the host that ran it; the database keeps each log's digest.
  CREATE TABLE runsheet.logs (
    run_id text NOT NULL REFERENCES runsheet.runs (id),
    name text NOT NULL,
    bytes bigint NOT NULL,
    sha256 char(64) NOT NULL,
    PRIMARY KEY (run_id, name)
  );

  CREATE FUNCTION runsheet.events_chain() RETURNS trigger LANGUAGE plpgsql AS $f$
  DECLARE
    expected text;
    parsed json;
  BEGIN
    IF NEW.hash IS DISTINCT FROM encode(sha256(convert_to(NEW.event, 'UTF8')), 'hex') THEN
      RAISE EXCEPTION 'runsheet: run %, event %: hash is not the sha256 of the event', NEW.run_id, NEW.seq USING ERRCODE = 'RS002';
    END IF;
    -- Only seq and prev are read from it; json operators refuse an escaped NUL anywhere in the text,
    -- so those become U+FFFD in this copy (a "\\\\u0000" turning into "\\\\ufffd" is harmless here).
    parsed := replace(NEW.event, '\\u0000', '\\ufffd')::json;
    IF (parsed->>'seq')::integer IS DISTINCT FROM NEW.seq OR parsed->>'prev' IS DISTINCT FROM NEW.prev THEN
      RAISE EXCEPTION 'runsheet: run %, event %: seq/prev columns disagree with the event', NEW.run_id, NEW.seq USING ERRCODE = 'RS002';
    END IF;
    IF NEW.seq = 1 THEN
      expected := repeat('0', 64);
    ELSE
      SELECT hash INTO expected FROM runsheet.events WHERE run_id = NEW.run_id AND seq = NEW.seq - 1;
      IF NOT FOUND THEN
        RAISE EXCEPTION 'runsheet: run %: event % has no event % before it', NEW.run_id, NEW.seq, NEW.seq - 1 USING ERRCODE = 'RS001';
      END IF;
    END IF;
    IF NEW.prev IS DISTINCT FROM expected THEN
      RAISE EXCEPTION 'runsheet: run %: event % does not continue the chain (prev is not the hash of event %)', NEW.run_id, NEW.seq, NEW.seq - 1 USING ERRCODE = 'RS001';
    END IF;
    RETURN NEW;
  END
  $f$;
  CREATE TRIGGER events_chain BEFORE INSERT ON runsheet.events FOR EACH ROW EXECUTE FUNCTION runsheet.events_chain();

  CREATE FUNCTION runsheet.events_append_only() RETURNS trigger LANGUAGE plpgsql AS $f$
  BEGIN
    RAISE EXCEPTION 'runsheet: events are append-only (% refused)', TG_OP USING ERRCODE = 'RS003';
  END
  $f$;
  CREATE TRIGGER events_no_update BEFORE UPDATE OR DELETE ON runsheet.events FOR EACH ROW EXECUTE FUNCTION runsheet.events_append_only();
  CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON runsheet.events FOR EACH STATEMENT EXECUTE FUNCTION runsheet.events_append_only();
  `,
  // 2: several operators in one run (docs/team-store.md). Live: every event committed is announced
  // on channel runsheet_run ("RUN_ID:SEQ"), every session joining or leaving on runsheet_presence
  // ("RUN_ID"); NOTIFY is delivered at commit, so a listener never hears of an event it cannot read.
  // Sessions heartbeat (`seen`); claims are leases on items while they run.
  `
  CREATE FUNCTION runsheet.events_notify() RETURNS trigger LANGUAGE plpgsql AS $f$
  BEGIN
    PERFORM pg_notify('runsheet_run', NEW.run_id || ':' || NEW.seq);
    RETURN NULL;
  END
  $f$;
  CREATE TRIGGER events_notify AFTER INSERT ON runsheet.events FOR EACH ROW EXECUTE FUNCTION runsheet.events_notify();

  CREATE TABLE runsheet.sessions (
    id text PRIMARY KEY,
    run_id text NOT NULL REFERENCES runsheet.runs (id),
    name text NOT NULL,
    os_user text NOT NULL,
    host text NOT NULL,
    pid integer NOT NULL,
    started timestamptz NOT NULL,
    seen timestamptz NOT NULL
  );
  CREATE INDEX sessions_run ON runsheet.sessions (run_id);

  CREATE FUNCTION runsheet.sessions_notify() RETURNS trigger LANGUAGE plpgsql AS $f$
  BEGIN
    PERFORM pg_notify('runsheet_presence', COALESCE(NEW.run_id, OLD.run_id));
    RETURN NULL;
  END
  $f$;
  CREATE TRIGGER sessions_notify AFTER INSERT OR DELETE ON runsheet.sessions FOR EACH ROW EXECUTE FUNCTION runsheet.sessions_notify();

  CREATE TABLE runsheet.claims (
    run_id text NOT NULL REFERENCES runsheet.runs (id),
    item text NOT NULL,
    session_id text NOT NULL,
    name text NOT NULL,
    os_user text NOT NULL,
    host text NOT NULL,
    pid integer NOT NULL,
    started timestamptz NOT NULL,
    claimed timestamptz NOT NULL,
    expires timestamptz NOT NULL,
    PRIMARY KEY (run_id, item)
  );
  `,
];

/** Creates or migrates the schema; idempotent. Returns the version before and after. */
export async function migrate(client: PoolClient, shown: string): Promise<{ from: number; to: number }> {
  await client.query('BEGIN');
  try {
    // Two `store init` at once: the second waits, then finds nothing left to do.
    await client.query("SELECT pg_advisory_xact_lock(hashtext('runsheet.schema'))");
    await client.query('CREATE SCHEMA IF NOT EXISTS runsheet');
    await client.query(
      'CREATE TABLE IF NOT EXISTS runsheet.runsheet_schema (version integer PRIMARY KEY, applied timestamptz NOT NULL DEFAULT now())',
    );
    const from = await currentVersion(client);
    refuseNewer(from, shown);
    for (let v = from + 1; v <= SCHEMA_VERSION; v++) {
      await client.query(MIGRATIONS[v - 1]);
      await client.query('INSERT INTO runsheet.runsheet_schema (version) VALUES ($1)', [v]);
    }
    await client.query('COMMIT');
    return { from, to: Math.max(from, SCHEMA_VERSION) };
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  }
}

async function currentVersion(client: PoolClient): Promise<number> {
  const r = await client.query<{ v: number | null }>('SELECT max(version) AS v FROM runsheet.runsheet_schema');
  return r.rows[0]?.v ?? 0;
}

function refuseNewer(version: number, shown: string): void {
  if (version > SCHEMA_VERSION) {
    throw new UserError(
      `${shown}: the runsheet schema there is version ${version}, newer than this runsheet understands (${SCHEMA_VERSION}): upgrade runsheet`,
    );
  }
}

/** Every command but `store init` needs the current schema: one clear line saying what to do. */
export async function checkSchema(client: PoolClient, shown: string): Promise<void> {
  let version: number;
  try {
    version = await currentVersion(client);
  } catch (e) {
    if ((e as { code?: string }).code === '42P01' || (e as { code?: string }).code === '3F000') {
      throw new UserError(`${shown} has no runsheet schema yet: create it with \`runsheet store init --store URL\``);
    }
    throw e;
  }
  refuseNewer(version, shown);
  if (version < SCHEMA_VERSION)
    throw new UserError(
      `${shown}: the runsheet schema is version ${version}, this runsheet needs ${SCHEMA_VERSION}: run \`runsheet store init --store URL\` to migrate it`,
    );
}

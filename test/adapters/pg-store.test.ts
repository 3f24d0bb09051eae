// The database store against a real PostgreSQL (test/support/postgres.ts): schema init and
// versioning, a headless run kept in the database, its report verified, a local run pushed and
// reported from the database identically, the chain guarded by the database itself, and no secret
// or credential anywhere in the tables or the output.
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/commands/run.js';
import { runsCommand, statusCommand } from '../../src/commands/runs.js';
import { reportCommand } from '../../src/commands/report.js';
import { verifyCommand } from '../../src/commands/verify.js';
import { keygenCommand } from '../../src/commands/keygen.js';
import { pushCommand } from '../../src/commands/push.js';
import { storeInitCommand } from '../../src/commands/store.js';
import { checkChain, makeEvent, type RunEvent } from '../../src/core/events.js';
import { decodeBase64Strict } from '../../src/core/report/dsse.js';
import { isUserError } from '../../src/core/errors.js';
import { SCHEMA_VERSION } from '../../src/adapters/pg-schema.js';
import { appendParams } from '../../src/adapters/pg-run.js';
import { openPgBackend } from '../../src/adapters/pg-store.js';
import { postgresAvailable, startPostgres, type PgServer } from '../support/postgres.js';
import { tempDir, testIo, writeChecklist } from '../support/tmp.js';
import { BUNDLE } from '../e2e/tmux.js';

const SECRET = 'tok-9f8e7d6c5b4a-super-secret';
const DB_PASSWORD = 'pw-hunter2-in-the-url';

const CHECKLIST = `version: 1
title: Team deploy
phases:
  - title: Pre
    items:
      - title: Say hello
        id: hello
        run: echo hello $DEPLOY_TOKEN
        expect: {stdout_contains: hello}
      - title: Check
        id: check
        run: 'true'
  - title: Ship
    items:
      - title: Ship it
        id: ship
        run: echo shipped
`;

const ok = postgresAvailable('test/adapters/pg-store.test.ts');
let server: PgServer;
let t: Awaited<ReturnType<typeof tempDir>>;
let url: string;
let client: pg.Client;

beforeAll(async () => {
  if (!ok) return;
  server = await startPostgres();
  // Trust auth ignores it, so it is sent nowhere — but it must also be shown nowhere.
  url = `postgres://postgres:${DB_PASSWORD}@127.0.0.1:${server.port}/postgres`;
  t = await tempDir('rs-pgstore-');
  client = new pg.Client({ connectionString: server.url });
  await client.connect();
}, 60_000);

afterAll(async () => {
  if (!ok) return;
  await client.end();
  await server.destroy();
  await t.cleanup();
});

function io(env: Record<string, string> = {}) {
  return testIo(t.dir, { DEPLOY_TOKEN: SECRET, RUNSHEET_OPERATOR: 'ann', ...env });
}

async function userError(p: Promise<unknown>): Promise<Error> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(isUserError(e), String(e)).toBe(true);
  return e as Error;
}

async function dbEvents(runId: string): Promise<RunEvent[]> {
  return (await client.query<{ event: string }>('SELECT event FROM runsheet.events WHERE run_id = $1 ORDER BY seq', [runId])).rows.map(
    (r) => JSON.parse(r.event) as RunEvent,
  );
}

function payloadOf(reportText: string): unknown {
  const env = JSON.parse(reportText) as { payload: string };
  return JSON.parse(new TextDecoder().decode(decodeBase64Strict(env.payload)!));
}

describe.skipIf(!ok)('database store (real PostgreSQL)', () => {
  it('store init creates the schema, is idempotent, and a newer schema is refused', async () => {
    const a = io();
    expect(await storeInitCommand({ store: url }, a.io)).toBe(0);
    expect(a.out()).toContain(
      `runsheet schema version ${SCHEMA_VERSION} in postgres://postgres:***@127.0.0.1:${server.port}/postgres: created`,
    );
    const b = io();
    expect(await storeInitCommand({ store: url }, b.io)).toBe(0);
    expect(b.out()).toContain('already current');
    expect((await client.query('SELECT version FROM runsheet.runsheet_schema ORDER BY version')).rows).toEqual(
      Array.from({ length: SCHEMA_VERSION }, (_, i) => ({ version: i + 1 })),
    );

    // Another database: no schema yet, then one from a newer runsheet.
    await client.query('CREATE DATABASE newer');
    const newer = url.replace(/\/postgres$/, '/newer');
    expect((await userError(runsCommand({ store: newer }, io().io))).message).toMatch(
      /has no runsheet schema yet: create it with `runsheet store init/,
    );
    await storeInitCommand({ store: newer }, io().io);
    const c2 = new pg.Client({ connectionString: server.url.replace(/\/postgres$/, '/newer') });
    await c2.connect();
    await c2.query('INSERT INTO runsheet.runsheet_schema (version) VALUES (99)');
    await c2.end();
    expect((await userError(storeInitCommand({ store: newer }, io().io))).message).toContain(
      `schema there is version 99, newer than this runsheet understands (${SCHEMA_VERSION}): upgrade runsheet`,
    );
    expect((await userError(runsCommand({ store: newer }, io().io))).message).toMatch(/version 99/);
  });

  it('a headless run kept in the database: status, runs, report and verify', async () => {
    const file = await writeChecklist(t.dir, 'team.yaml', CHECKLIST);
    const r = io();
    expect(await runCommand({ file, auto: true, store: url }, r.io)).toBe(0);
    const [{ id: runId }] = (await client.query<{ id: string }>("SELECT id FROM runsheet.runs WHERE title = 'Team deploy'")).rows;
    const events = await dbEvents(runId);
    expect(checkChain(events)).toEqual([]);
    expect(events.map((e) => e.type)).toEqual([
      'run.started',
      'item.started',
      'item.passed',
      'item.started',
      'item.passed',
      'item.started',
      'item.passed',
      'run.finished',
    ]);
    expect(events.every((e) => e.operator === 'ann')).toBe(true);
    // Nothing of the run is in the local home but its command-output logs.
    expect(await readFile(join(t.dir, 'home', 'runs', runId, 'logs', 'hello.1.stdout.log'), 'utf8').catch(() => 'none')).not.toContain(
      SECRET,
    );

    const st = io();
    expect(await statusCommand(runId, { store: url, json: true }, st.io)).toBe(0);
    const status = JSON.parse(st.out()) as { status: string; outcome: string; lastSeq: number };
    expect([status.status, status.outcome, status.lastSeq]).toEqual(['finished', 'passed', 8]);

    const ls = io();
    expect(await runsCommand({ store: url, status: 'passed', json: true }, ls.io)).toBe(0);
    expect((JSON.parse(ls.out()) as { id: string }[]).map((x) => x.id)).toEqual([runId]);
    const none = io();
    await runsCommand({ store: url, since: '2999-01-01', json: true }, none.io);
    expect(JSON.parse(none.out())).toEqual([]);

    expect(await keygenCommand({}, io().io)).toBe(0);
    expect(await reportCommand(runId, { store: url, output: 'db.report.json' }, io().io)).toBe(0);
    const v = io();
    expect(await verifyCommand(join(t.dir, 'db.report.json'), { key: [join(t.dir, 'home', 'keys', 'default.pub.pem')] }, v.io)).toBe(0);
    expect(v.out()).toMatch(/^VERIFIED /);
    for (const text of [r.out(), r.err(), st.out(), ls.out(), await readFile(join(t.dir, 'db.report.json'), 'utf8')]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(DB_PASSWORD);
    }
  });

  it('push archives a local run verbatim: the report from the database equals the local one', async () => {
    const file = await writeChecklist(t.dir, 'local.yaml', CHECKLIST.replace('Team deploy', 'Local deploy'));
    const r = io();
    expect(await runCommand({ file, auto: true }, r.io)).toBe(0);
    const runId = (await (await import('node:fs/promises')).readdir(join(t.dir, 'home', 'runs'))).find((d) => d.includes('local-deploy'))!;
    const p = io();
    expect(await pushCommand(runId, { store: url }, p.io)).toBe(0);
    expect(p.out()).toMatch(
      new RegExp(
        `pushed run ${runId} to postgres://postgres:\\*\\*\\*@127\\.0\\.0\\.1:${server.port}/postgres: 8 events, \\d+ log digests`,
      ),
    );
    const again = io();
    expect(await pushCommand(runId, { store: url }, again.io)).toBe(0);
    expect(again.out()).toContain('already in');
    const logs = (await client.query('SELECT name, bytes, sha256 FROM runsheet.logs WHERE run_id = $1', [runId])).rows;
    expect(logs.length).toBeGreaterThan(0);

    const local = (await readFile(join(t.dir, 'home', 'runs', runId, 'events.jsonl'), 'utf8')).trim().split('\n');
    expect(
      (await client.query<{ event: string }>('SELECT event FROM runsheet.events WHERE run_id = $1 ORDER BY seq', [runId])).rows.map(
        (x) => x.event,
      ),
    ).toEqual(local);

    await reportCommand(runId, { output: 'local.report.json', unsigned: true }, io().io);
    await reportCommand(runId, { store: url, output: 'pushed.report.json', unsigned: true }, io().io);
    expect(payloadOf(await readFile(join(t.dir, 'pushed.report.json'), 'utf8'))).toEqual(
      payloadOf(await readFile(join(t.dir, 'local.report.json'), 'utf8')),
    );
    await reportCommand(runId, { store: url, output: 'pushed-signed.report.json' }, io().io);
    const v = io();
    expect(
      await verifyCommand(join(t.dir, 'pushed-signed.report.json'), { key: [join(t.dir, 'home', 'keys', 'default.pub.pem')] }, v.io),
    ).toBe(0);
  });

  it('the database refuses a forged event (wrong prev, wrong hash, a gap) and any update or delete', async () => {
    const [{ id: runId }] = (await client.query<{ id: string }>("SELECT id FROM runsheet.runs WHERE title = 'Team deploy'")).rows;
    const events = await dbEvents(runId);
    const last = events[events.length - 1];
    const meta = { ts: new Date().toISOString(), operator: 'mallory', host: 'evil' };
    const forged = { ...makeEvent(last, { type: 'note', text: 'forged' }, meta), prev: 'f'.repeat(64) };
    const sql = `INSERT INTO runsheet.events (run_id, seq, ts, operator, host, type, prev, hash, event, body) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)`;
    await expect(client.query(sql, appendParams(runId, forged).slice(0, 10))).rejects.toThrow(/does not continue the chain/);
    const params = appendParams(runId, makeEvent(last, { type: 'note', text: 'x' }, meta)).slice(0, 10);
    params[7] = '0'.repeat(64);
    await expect(client.query(sql, params)).rejects.toThrow(/hash is not the sha256/);
    const gap = makeEvent({ ...last, seq: last.seq + 1 }, { type: 'note', text: 'gap' }, meta);
    await expect(client.query(sql, appendParams(runId, gap).slice(0, 10))).rejects.toThrow(/has no event/);
    const dup = makeEvent(events[events.length - 2], { type: 'note', text: 'same seq' }, meta);
    await expect(client.query(sql, appendParams(runId, dup).slice(0, 10))).rejects.toThrow(/duplicate key|does not continue/);
    await expect(client.query("UPDATE runsheet.events SET operator = 'x' WHERE run_id = $1", [runId])).rejects.toThrow(/append-only/);
    await expect(client.query('DELETE FROM runsheet.events WHERE run_id = $1', [runId])).rejects.toThrow(/append-only/);
    await expect(client.query('TRUNCATE runsheet.events CASCADE')).rejects.toThrow(/append-only/);
    expect(await dbEvents(runId)).toEqual(events);
  });

  it('no secret value and no credential in any table', async () => {
    const tables = (
      await client.query<{ t: string }>("SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'runsheet'")
    ).rows.map((r) => r.t);
    expect(tables.sort()).toEqual(['claims', 'events', 'logs', 'runs', 'runsheet_schema', 'sessions']);
    let all = '';
    for (const name of tables)
      all += (await client.query<{ row: string }>(`SELECT x::text AS row FROM runsheet.${name} x`)).rows.map((r) => r.row).join('\n');
    expect(all).toContain('hello ***');
    expect(all).not.toContain(SECRET);
    expect(all).not.toContain(DB_PASSWORD);
  });

  it('the bundle alone: pg is evaluated only when a database store is named, and then works', async () => {
    // The first thing pg's entry module does is read NODE_PG_FORCE_NATIVE: a preload watches for it.
    const probe = join(t.dir, 'probe.cjs');
    await writeFile(
      probe,
      "const real = process.env; process.env = new Proxy(real, { get(t, k) { if (k === 'NODE_PG_FORCE_NATIVE') process.stderr.write('PG-EVALUATED\\n'); return t[k]; } });\n",
    );
    const dir = (await tempDir('rs-pgbundle-')).dir;
    await copyFile(BUNDLE, join(dir, 'runsheet.mjs'));
    await writeFile(join(dir, 'c.yaml'), CHECKLIST.replace('Team deploy', 'Bundle deploy'));
    const env = { PATH: process.env.PATH, RUNSHEET_HOME: join(dir, 'home'), DEPLOY_TOKEN: SECRET };
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, ['-r', probe, 'runsheet.mjs', ...args], { cwd: dir, encoding: 'utf8', env });
    for (const args of [['runs'], ['run', 'c.yaml', '--auto'], ['--help']]) {
      const r = cli(...args);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).not.toContain('PG-EVALUATED');
    }
    const r = cli('run', 'c.yaml', '--auto', '--fresh', '--store', url);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('PG-EVALUATED');
    const ls = cli('runs', '--store', url);
    expect(ls.stdout).toMatch(/finished .* Bundle deploy/);
    expect(ls.stdout + ls.stderr + r.stdout + r.stderr).not.toContain(DB_PASSWORD);
    const down = cli('runs', '--store', `postgres://postgres:${DB_PASSWORD}@127.0.0.1:1/postgres`);
    expect([down.status, down.stderr]).toEqual([
      1,
      'PG-EVALUATED\nrunsheet: store unreachable — connect ECONNREFUSED 127.0.0.1:1 (postgres://postgres:***@127.0.0.1:1/postgres)\n',
    ]);
  });

  it('credentials from ~/.pgpass (PGPASSFILE) and a service file, with password authentication; never shown', async () => {
    const PW = 'pgpass-Secret-42';
    await client.query(`CREATE ROLE teamrole LOGIN PASSWORD '${PW}'`);
    await client.query(
      'GRANT USAGE ON SCHEMA runsheet TO teamrole; GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA runsheet TO teamrole; GRANT UPDATE ON runsheet.runs TO teamrole',
    );
    // pg_hba is first-match: this role must give a password (scram), everyone else stays trusted.
    const hba = join(server.dir, 'data', 'pg_hba.conf');
    await writeFile(hba, `host all teamrole 127.0.0.1/32 scram-sha-256\n${await readFile(hba, 'utf8')}`);
    await client.query('SELECT pg_reload_conf()');
    const dir = (await tempDir('rs-pgcred-')).dir;
    await copyFile(BUNDLE, join(dir, 'runsheet.mjs'));
    const pgpass = join(dir, 'pgpass');
    await writeFile(pgpass, `127.0.0.1:${server.port}:postgres:teamrole:${PW}\n`, { mode: 0o600 });
    await writeFile(join(dir, 'services.conf'), `# team\n[team]\nhost=127.0.0.1\nport=${server.port}\nuser=teamrole\ndbname=postgres\n`);
    const base = { PATH: process.env.PATH, RUNSHEET_HOME: join(dir, 'home'), HOME: dir };
    const cli = (env: Record<string, string>, ...args: string[]) =>
      spawnSync(process.execPath, ['runsheet.mjs', ...args], { cwd: dir, encoding: 'utf8', env: { ...base, ...env } });
    const noPass = cli({}, 'runs', '--store', `postgres://teamrole@127.0.0.1:${server.port}/postgres`);
    expect(noPass.status).toBe(1);
    expect(noPass.stderr).toMatch(
      /^runsheet: postgres:\/\/teamrole@127\.0\.0\.1:\d+\/postgres: cannot connect: the server asks for a password and none was given/,
    );
    const viaPgpass = cli({ PGPASSFILE: pgpass }, 'runs', '--store', `postgres://teamrole@127.0.0.1:${server.port}/postgres`);
    expect([viaPgpass.status, viaPgpass.stderr]).toEqual([0, '']); // and no deprecation warning
    expect(viaPgpass.stdout).toContain('Team deploy');
    const viaService = cli(
      { PGPASSFILE: pgpass, PGSERVICEFILE: join(dir, 'services.conf') },
      'runs',
      '--store',
      'postgres:///?service=team',
    );
    expect([viaService.status, viaService.stderr]).toEqual([0, '']);
    expect(viaService.stdout).toContain('Team deploy');
    const viaEnv = cli(
      { PGHOST: '127.0.0.1', PGPORT: String(server.port), PGUSER: 'teamrole', PGDATABASE: 'postgres', PGPASSWORD: PW },
      'runs',
      '--json',
      '--store',
      'postgres://',
    );
    expect(viaEnv.status, viaEnv.stderr).toBe(0);
    const wrong = cli({}, 'runs', '--store', `postgres://teamrole:wrong-${PW}@127.0.0.1:${server.port}/postgres`);
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toContain('postgres://teamrole:***@');
    for (const r of [noPass, viaPgpass, viaService, viaEnv, wrong]) expect(r.stdout + r.stderr).not.toContain(PW);
  });

  it('an event with characters jsonb cannot hold (NUL) or escapes is stored and read back exactly', async () => {
    const backend = await openPgBackend(url, { home: join(t.dir, 'home'), env: {} });
    try {
      const run = await backend.create('odd-chars', 'version: 1\n', { title: 'odd', path: '/odd.yaml', env: null }, { operator: 'ann' });
      await run.append({
        type: 'run.started',
        runId: 'odd-chars',
        checklist: { path: '/odd.yaml', sha256: '0'.repeat(64), title: 'odd' },
        env: null,
        vars: {},
      });
      const text = 'nul:\u0000 esc:\u001b[31m quote:" backslash:\\u0000 emoji:\u{1F680} lone:\ud800';
      await run.append({ type: 'note', text });
      await run.close();
      const read = await backend.readRun('odd-chars');
      expect(read.events).toEqual(run.events);
      expect((read.events[1] as { text: string }).text).toBe(text.replace('\ud800', '\ufffd'));
      expect(checkChain(read.events)).toEqual([]);
    } finally {
      await backend.close();
    }
  });
});

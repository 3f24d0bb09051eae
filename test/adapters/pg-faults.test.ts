// The database store under real faults: four processes racing to append to one run, and the
// database stopped in the middle of a run and started again (real PostgreSQL, real processes).
import { writeFile } from 'node:fs/promises';
import { existsSync, readdirSync } from 'node:fs';
import { createServer, connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { execa } from 'execa';
import { build } from 'esbuild';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/commands/run.js';
import { openSession } from '../../src/commands/session.js';
import { storeInitCommand } from '../../src/commands/store.js';
import { openPgBackend } from '../../src/adapters/pg-store.js';
import { checkChain } from '../../src/core/events.js';
import { isUserError } from '../../src/core/errors.js';
import { postgresAvailable, startPostgres, type PgServer } from '../support/postgres.js';
import { tempDir, testIo, writeChecklist } from '../support/tmp.js';
import { dbEvents as readDbEvents } from '../support/pg-events.js';

const ok = postgresAvailable('test/adapters/pg-faults.test.ts');
let server: PgServer;
let t: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  if (!ok) return;
  server = await startPostgres();
  t = await tempDir('rs-pgfaults-');
  expect(await storeInitCommand({ store: server.url }, testIo(t.dir).io)).toBe(0);
}, 60_000);

afterAll(async () => {
  if (!ok) return;
  await server.destroy();
  await t.cleanup();
});

const dbEvents = (runId: string) => readDbEvents(server.url, runId);

async function until(what: string, cond: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function newRun(runId: string) {
  const backend = await openPgBackend(server.url, { home: join(t.dir, 'home'), env: {} });
  const run = await backend.create(
    runId,
    'version: 1\ntitle: t\nphases: []\n',
    { title: 't', path: '/x.yaml', env: null },
    { operator: 'setup' },
  );
  await run.append({ type: 'run.started', runId, checklist: { path: '/x.yaml', sha256: '0'.repeat(64), title: 't' }, env: null, vars: {} });
  return { backend, run };
}

describe.skipIf(!ok)('database store faults (real PostgreSQL)', () => {
  it('100 appends from 4 team sessions (processes) racing on one run: each acknowledged once, seq strictly increasing, chain valid, none lost', async () => {
    const { backend, run } = await newRun('race-run');
    await run.close();
    await backend.close();
    const worker = join(t.dir, 'worker.cjs');
    await build({
      entryPoints: [join(__dirname, '../support/pg-append-worker.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      outfile: worker,
      logLevel: 'error',
    });
    const names = ['w1', 'w2', 'w3', 'w4'];
    const results = await Promise.all(
      names.map((n) => execa(process.execPath, [worker, server.url, 'race-run', '25', n], { env: { RUNSHEET_HOME: join(t.dir, 'home') } })),
    );
    const reports = results.map((r) => JSON.parse(r.stdout) as { acked: number[]; retries: number });
    const events = await dbEvents('race-run');
    expect(events.length).toBe(101);
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 101 }, (_, i) => i + 1));
    expect(checkChain(events)).toEqual([]);
    // Every acknowledged append is in the database, as that worker's note; every note exactly once.
    const bySeq = new Map(events.map((e) => [e.seq, e]));
    reports.forEach((r, w) => {
      expect(r.acked).toHaveLength(25);
      r.acked.forEach((seq, i) => expect(bySeq.get(seq)).toMatchObject({ type: 'note', text: `${names[w]} ${i}`, operator: names[w] }));
    });
    const notes = events.filter((e) => e.type === 'note').map((e) => (e as { text: string }).text);
    expect(new Set(notes).size).toBe(100);
    // Every acknowledged seq is one event: no two workers were told the same seq.
    expect(new Set(reports.flatMap((r) => r.acked)).size).toBe(100);
    // They really raced (otherwise this test proves nothing about the guard): appends lost the
    // race for their seq and were re-chained by the store itself, never refused.
    expect(reports.reduce((n, r) => n + r.retries, 0)).toBeGreaterThan(0);
  }, 60_000);

  it('the database stops: the next append is refused as "store unreachable", nothing unconfirmed is shown, and after a restart the run continues', async () => {
    const { backend, run } = await newRun('stop-run');
    await run.append({ type: 'note', text: 'before' });
    const before = [...run.events];
    await server.stop();
    const e = await run.append({ type: 'note', text: 'lost?' }).then(
      () => null,
      (x: unknown) => x,
    );
    expect(isUserError(e)).toBe(true);
    expect((e as Error).message).toMatch(/^store unreachable — .*ECONNREFUSED|^store unreachable — /);
    expect((e as Error).message).toContain('NOT confirmed');
    expect(run.events).toEqual(before);
    expect(run.state.lastSeq).toBe(2);
    await server.start();
    const next = await run.append({ type: 'note', text: 'after' });
    expect(next.seq).toBe(3);
    const stored = await dbEvents('stop-run');
    expect(stored).toEqual(run.events);
    expect(checkChain(stored)).toEqual([]);
    await run.close();
    await backend.close();
  }, 60_000);

  it('a headless run whose database stops mid-item: its result is spooled, not shown as done, and written (once) when the run is resumed after the restart', async () => {
    const go = join(t.dir, 'go');
    const file = await writeChecklist(
      t.dir,
      'slow.yaml',
      `version: 1
title: Slow deploy
phases:
  - title: Main
    items:
      - title: Wait for go
        id: wait
        run: while [ ! -f '${go}' ]; do sleep 0.05; done; echo went
      - title: After
        id: after
        run: echo after
`,
    );
    const r = testIo(t.dir, { RUNSHEET_OPERATOR: 'ann' });
    const running = runCommand({ file, auto: true, store: server.url }, r.io).then(
      (code) => ({ code, error: null as Error | null }),
      (error: unknown) => ({ code: null, error: error as Error }),
    );
    let runId = '';
    await until('the item to start', async () => {
      const c = new pg.Client({ connectionString: server.url });
      await c.connect();
      try {
        const rows = (
          await c.query<{ run_id: string }>("SELECT run_id FROM runsheet.events WHERE type = 'item.started' AND body->>'item' = 'wait'")
        ).rows;
        runId = rows[0]?.run_id ?? '';
        return runId !== '';
      } finally {
        await c.end();
      }
    });
    await server.stop();
    await writeFile(go, '');
    const outcome = await running;
    const said = `${outcome.error?.message ?? ''}${r.out()}${r.err()}`;
    expect(said).toMatch(
      /store unreachable — retrying \(.*\): the item.passed is kept in .*spool(-\d+)?\.jsonl and written when the connection returns/,
    );
    // Nothing after the stop was shown as done.
    expect(r.out()).not.toMatch(/wait.*pass|PASS.*wait|after/i);
    await server.start();
    const atStop = await dbEvents(runId);
    expect(atStop[atStop.length - 1]).toMatchObject({ type: 'item.started', item: 'wait' });

    const again = testIo(t.dir, { RUNSHEET_OPERATOR: 'bob' });
    await runCommand({ resumeId: runId, auto: true, store: server.url }, again.io).catch((x: unknown) => x);
    const after = await dbEvents(runId);
    expect(checkChain(after)).toEqual([]);
    expect(after.slice(0, atStop.length)).toEqual(atStop);
    // The result the command produced while the database was away was kept in the local spool and
    // is written first when the run is opened again, by the session that ran it (ann's).
    const tail = after.slice(atStop.length);
    expect(tail.slice(0, 2).map((e) => e.type)).toEqual(['item.passed', 'run.resumed']);
    expect(tail[0]).toMatchObject({ item: 'wait', operator: 'ann', by: { name: 'ann' } });
    expect((tail[0] as { result: { stdout: { tail: string } } }).result.stdout.tail).toContain('went');
    // Never re-run, never written twice, and nothing left interrupted.
    const forWait = (type: string) => after.filter((e) => e.type === type && (e as { item?: string }).item === 'wait');
    expect(forWait('item.started')).toHaveLength(1);
    expect(forWait('item.passed')).toHaveLength(1);
    expect(forWait('item.interrupted')).toHaveLength(0);
    // A team session's spool is its own (spool-PID.jsonl): none is left once replayed.
    expect(readdirSync(join(t.dir, 'home', 'runs', runId)).filter((f) => f.startsWith('spool'))).toEqual([]);
  }, 60_000);

  it('a team run: a second session of the same run writes too, and each sees what the other did', async () => {
    const file = await writeChecklist(
      t.dir,
      'two.yaml',
      'version: 1\ntitle: Two sessions\nphases:\n  - title: P\n    signoff: [Lead]\n    items:\n      - title: Look\n        id: look\n      - title: Watch\n        id: watch\n',
    );
    const prompts = { resumeOrFresh: () => Promise.resolve('resume' as const), confirmEnvironment: () => Promise.resolve(true) };
    const a = await openSession(testIo(t.dir).io, { file, operator: 'ann', store: server.url, fresh: true }, prompts);
    const b = await openSession(testIo(t.dir).io, { resumeId: a.runId, operator: 'bob', store: server.url }, prompts);
    try {
      expect(a.store.readOnly).toBe(false);
      expect(b.store.readOnly).toBe(false);
      expect([a.team, b.team]).toEqual([true, true]);
      await a.engine.tick('look');
      const seen = await b.store.follow();
      expect(seen.map((e) => [e.type, e.operator])).toEqual([['item.ticked', 'ann']]);
      expect(b.store.state.items.look.status).toBe('ticked');
      await b.engine.tick('watch');
      await a.store.follow();
      expect(a.store.state.items.watch.status).toBe('ticked');
      // A sign-off is given in the signer's own session, under their name only.
      await expect(b.engine.signoff('p', 'ann', 'Lead')).rejects.toThrow(/signer's own session/);
      await b.engine.signoff('p', 'bob', 'Lead');
    } finally {
      await b.close();
      await a.close();
    }
    const events = await dbEvents(a.runId);
    expect(checkChain(events)).toEqual([]);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, n) => n + 1));
  });

  it('the connection breaks after the database committed: refused as unconfirmed, then found and chained on, never duplicated', async () => {
    const proxy = await cuttingProxy();
    const backend = await openPgBackend(proxy.url, { home: join(t.dir, 'home'), env: {} });
    try {
      const run = await backend.create('cut-run', 'version: 1\n', { title: 'cut', path: '/cut.yaml', env: null }, { operator: 'ann' });
      await run.append({
        type: 'run.started',
        runId: 'cut-run',
        checklist: { path: '/cut.yaml', sha256: '0'.repeat(64), title: 'cut' },
        env: null,
        vars: {},
      });
      proxy.cutNextAnswer();
      const e = await run.append({ type: 'note', text: 'committed, never confirmed' }).then(
        () => null,
        (x: unknown) => x,
      );
      expect((e as Error).message).toMatch(/^store unreachable — .*NOT confirmed as recorded/);
      expect(run.events).toHaveLength(1);
      // The database did commit it.
      expect((await dbEvents('cut-run')).map((x) => x.type)).toEqual(['run.started', 'note']);
      // The next append first finds it, then chains on it: no gap, no duplicate seq, chain intact.
      const next = await run.append({ type: 'note', text: 'next' });
      expect(next.seq).toBe(3);
      expect(run.events.map((x) => (x as { text?: string }).text ?? x.type)).toEqual(['run.started', 'committed, never confirmed', 'next']);
      const stored = await dbEvents('cut-run');
      expect(stored).toEqual(run.events);
      expect(checkChain(stored)).toEqual([]);
      await run.close();
    } finally {
      await backend.close();
      await proxy.close();
    }
  });

  it('a command result whose commit was never confirmed is spooled, and found stored when the spool is replayed: written once', async () => {
    const proxy = await cuttingProxy();
    const home = join(t.dir, 'home');
    const backend = await openPgBackend(proxy.url, { home, env: {} });
    try {
      const run = await backend.create('cut-spool', 'version: 1\n', { title: 'cut', path: '/cut.yaml', env: null }, { operator: 'ann' });
      await run.append({
        type: 'run.started',
        runId: 'cut-spool',
        checklist: { path: '/cut.yaml', sha256: '0'.repeat(64), title: 'cut' },
        env: null,
        vars: {},
      });
      await run.append({ type: 'item.started', item: 'mig', attempt: 1, command: 'migrate' });
      proxy.cutNextAnswer();
      const result = { ok: true, summary: 'exit 0', durationMs: 1234, exitCode: 0 };
      const e = await run.append({ type: 'item.passed', item: 'mig', result }).then(
        () => null,
        (x: unknown) => x as Error,
      );
      expect(e?.message).toMatch(/^store unreachable — retrying \(.+\): the item\.passed is kept in .*spool\.jsonl/);
      expect(run.storeStatus().spooled).toBe(1);
      expect((await dbEvents('cut-spool')).map((x) => x.type)).toEqual(['run.started', 'item.started', 'item.passed']);
      // The next append replays the spool first: the copy that did commit is found, not written again.
      await run.append({ type: 'note', text: 'after' });
      expect(run.storeStatus()).toEqual({ reachable: true, spooled: 0 });
      expect(existsSync(join(home, 'runs', 'cut-spool', 'spool.jsonl'))).toBe(false);
      const stored = await dbEvents('cut-spool');
      expect(stored.map((x) => x.type)).toEqual(['run.started', 'item.started', 'item.passed', 'note']);
      expect(stored).toEqual(run.events);
      expect(checkChain(stored)).toEqual([]);
      await run.close();
    } finally {
      await backend.close();
      await proxy.close();
    }
  });
});

/** A loopback proxy to the server that can cut a connection right when the server's answer comes back. */
async function cuttingProxy(): Promise<{ url: string; cutNextAnswer: () => void; close: () => Promise<void> }> {
  let cut = false;
  const sockets = new Set<Socket>();
  const proxy = createServer((down) => {
    const up = connect(server.port, '127.0.0.1');
    sockets.add(down).add(up);
    down.on('data', (d: Buffer) => up.write(d));
    up.on('data', (d: Buffer) => {
      if (cut) {
        cut = false;
        down.destroy();
        up.destroy();
      } else down.write(d);
    });
    const end = () => (down.destroy(), up.destroy());
    down.on('close', end).on('error', end);
    up.on('close', end).on('error', end);
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  const port = (proxy.address() as { port: number }).port;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    cutNextAnswer: () => (cut = true),
    close: async () => {
      for (const sk of sockets) sk.destroy();
      await new Promise((r) => proxy.close(r));
    },
  };
}

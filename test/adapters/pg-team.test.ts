// Several operators in one run on the database store, with real PostgreSQL and real processes:
// live events (LISTEN/NOTIFY), presence with a heartbeat, item claims with leases (a holder killed
// with kill -9 while its command runs, two survivors racing to record it), and the database stopped
// while a command runs (its result spooled locally and written once it is back).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeInitCommand } from '../../src/commands/store.js';
import { openPgBackend } from '../../src/adapters/pg-store.js';
import { checkChain, type RunEvent } from '../../src/core/events.js';
import type { Session, StoreStatus } from '../../src/adapters/store-types.js';
import { postgresAvailable, startPostgres, type PgServer } from '../support/postgres.js';
import { tempDir, testIo } from '../support/tmp.js';
import { teamChecklist, teamSession } from '../support/pg-team.js';
import { dbEvents as readDbEvents } from '../support/pg-events.js';

const ok = postgresAvailable('test/adapters/pg-team.test.ts');
let server: PgServer;
let t: Awaited<ReturnType<typeof tempDir>>;
let worker: string;
let home: string;
const children: ResultPromise[] = [];

beforeAll(async () => {
  if (!ok) return;
  server = await startPostgres();
  t = await tempDir('rs-pgteam-');
  home = join(t.dir, 'home');
  expect(await storeInitCommand({ store: server.url }, testIo(t.dir).io)).toBe(0);
  worker = join(t.dir, 'team-worker.cjs');
  await build({
    entryPoints: [join(__dirname, '../support/pg-team-worker.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: worker,
    logLevel: 'error',
  });
}, 60_000);

afterAll(async () => {
  if (!ok) return;
  for (const c of children) if (c.exitCode === null && !c.killed) c.kill('SIGKILL');
  await server.destroy();
  await t.cleanup();
});

const dbEvents = (runId: string) => readDbEvents(server.url, runId);

async function until(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A run with its checklist; the item `slow` runs until `stop` exists. */
async function newRun(runId: string): Promise<{ text: string; file: string; stop: string }> {
  const stop = join(t.dir, `${runId}.stop`);
  const text = teamChecklist(stop);
  const file = join(t.dir, `${runId}.yaml`);
  await writeFile(file, text);
  const backend = await openPgBackend(server.url, { home, env: {} });
  const run = await backend.create(runId, text, { title: 'Team', path: file, env: null }, { operator: 'setup' });
  await run.append({ type: 'run.started', runId, checklist: { path: file, sha256: '0'.repeat(64), title: 'Team' }, env: null, vars: {} });
  await run.close();
  await backend.close();
  return { text, file, stop };
}

function spawnWorker(...args: string[]): ResultPromise & { out: () => string } {
  const child = execa(process.execPath, [worker, ...args], { reject: false, buffer: true });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  children.push(child);
  return Object.assign(child, { out: () => out });
}

const names = (s: Session[]) => s.map((x) => x.name).sort();

describe.skipIf(!ok)('team runs on the database store (real PostgreSQL, real processes)', () => {
  it("live: another session's append reaches this one's subscriber, with who did it, and is folded in", async () => {
    const { text } = await newRun('live-run');
    const ann = await teamSession(server.url, home, 'live-run', 'ann', text);
    const bob = await teamSession(server.url, home, 'live-run', 'bob', text);
    try {
      const heard: RunEvent[][] = [];
      const off = ann.run.subscribe((events) => heard.push(events));
      await ann.engine.note('from ann');
      await bob.engine.emit({ type: 'item.ticked', item: 'look' });
      await until('ann to hear bob', () => heard.flat().some((e) => e.type === 'item.ticked'));
      const got = heard.flat();
      // Only what others did: ann's own append is hers already.
      expect(got.map((e) => e.type)).toEqual(['item.ticked']);
      expect(got[0].by).toMatchObject({ name: 'bob' });
      expect(ann.run.state.items.look.status).toBe('ticked');
      expect(checkChain(ann.run.events)).toEqual([]);
      off();
    } finally {
      await bob.run.close();
      await bob.backend.close();
      await ann.run.close();
      await ann.backend.close();
    }
  });

  it('presence: sessions joining and leaving are announced; one killed with -9 drops out after the timeout', async () => {
    const { text, file } = await newRun('presence-run');
    const ann = await teamSession(server.url, home, 'presence-run', 'ann', text);
    let latest: Session[] = [];
    ann.run.onPresence((s) => (latest = s));
    expect(names(await ann.run.presence())).toEqual(['ann']);
    const bob = await teamSession(server.url, home, 'presence-run', 'bob', text);
    await until('bob to be seen', () => names(latest).join() === 'ann,bob');
    expect(latest.find((s) => s.name === 'bob')).toMatchObject({ pid: process.pid, user: expect.any(String), host: expect.any(String) });
    // A process of its own, killed without a chance to leave.
    const carl = spawnWorker('sweep', server.url, 'presence-run', home, 'carl', file, join(t.dir, 'never'));
    await until('carl to be seen', () => names(latest).includes('carl'));
    expect(latest.find((s) => s.name === 'carl')?.pid).toBe(carl.pid);
    carl.kill('SIGKILL');
    await until('carl to drop out', () => !names(latest).includes('carl'));
    await bob.run.close();
    await bob.backend.close();
    await until('bob to leave', () => names(latest).join() === 'ann');
    await ann.run.close();
    await ann.backend.close();
  });

  it('claims: the holder runs it, others are refused naming who and where; killed with -9, the lapsed claim is recorded interrupted exactly once by two racing survivors', async () => {
    const { text, file, stop } = await newRun('claim-run');
    try {
      const dba = spawnWorker('run', server.url, 'claim-run', home, 'dba', file, 'slow');
      const ann = await teamSession(server.url, home, 'claim-run', 'ann', text);
      try {
        await until('dba to start slow', async () => {
          await ann.run.follow();
          return (
            (ann.run.state.items.slow as { status: string } | undefined)?.status === 'running' &&
            (await ann.run.claims()).some((c) => c.item === 'slow')
          );
        });
        const [held] = await ann.run.claims();
        expect(held.holder).toMatchObject({ name: 'dba', pid: dba.pid });
        const refused = await ann.run.claim('slow');
        expect(refused).toMatchObject({ ok: false, holder: { name: 'dba', pid: dba.pid } });
        await expect(ann.engine.runItem('slow', { confirmed: true })).rejects.toThrow(
          new RegExp(`"Slow" is taken by dba \\(.+@.+, pid ${dba.pid}\\): it runs in their session, not here`),
        );
        // The holder renews its lease while the command runs.
        await until('the lease to be renewed', async () => (await ann.run.claims())[0]?.expires > held.expires);
        expect(await ann.run.expiredClaims()).toEqual([]);

        dba.kill('SIGKILL');
        await dba;
        const go = join(t.dir, 'claim-go');
        const eve = spawnWorker('sweep', server.url, 'claim-run', home, 'eve', file, go);
        const fay = spawnWorker('sweep', server.url, 'claim-run', home, 'fay', file, go);
        await until('both survivors to see the lapsed claim', () => eve.out().includes('READY') && fay.out().includes('READY'));
        // Lapsed but still running in the log: not free to run again before it is resolved.
        expect((await ann.run.claim('slow')).ok).toBe(false);
        await writeFile(go, '');
        const [e, f] = await Promise.all([eve, fay]);
        expect([e.exitCode, f.exitCode], `${String(e.stderr)}${String(f.stderr)}`).toEqual([0, 0]);
        const recorded = [eve.out(), fay.out()].map((o) => (JSON.parse(o.split('\n')[1]) as { recorded: number }).recorded);
        expect(recorded.sort()).toEqual([0, 1]);

        const events = await dbEvents('claim-run');
        expect(checkChain(events)).toEqual([]);
        const interrupted = events.filter((x) => x.type === 'item.interrupted');
        expect(interrupted).toHaveLength(1);
        expect(interrupted[0]).toMatchObject({ item: 'slow', left: 'running' });
        expect((interrupted[0] as { result: { summary: string } }).result.summary).toMatch(
          new RegExp(
            `^the session of dba \\(.+@.+, pid ${dba.pid}\\) that ran it stopped answering: its claim lapsed at .+; the outcome is unknown$`,
          ),
        );
        expect(events.filter((x) => x.type === 'item.started')).toHaveLength(1);
        // Never re-run automatically: the operator answers the interrupted item's question.
        await ann.run.follow();
        expect(ann.run.state.items.slow.status).toBe('interrupted');
        await ann.engine.resolve('slow', 'failed', 'dba vanished mid-run');
        expect(await ann.run.claim('slow')).toEqual({ ok: true });
        await ann.run.release('slow');
        expect(await ann.run.claims()).toEqual([]);
      } finally {
        await ann.run.close();
        await ann.backend.close();
      }
    } finally {
      await writeFile(stop, '');
    }
  }, 60_000);

  it('two operators start the same item at the same moment: exactly one runs it, the other is told who has it', async () => {
    for (const round of [1, 2, 3]) {
      const runId = `race-item-${round}`;
      const { file, stop } = await newRun(runId);
      const go = join(t.dir, `${runId}.go`);
      const a = spawnWorker('run', server.url, runId, home, 'ann', file, 'slow', go);
      const b = spawnWorker('run', server.url, runId, home, 'bob', file, 'slow', go);
      await until('both to be ready', () => a.out().includes('READY') && b.out().includes('READY'));
      await writeFile(go, '');
      // The loser is refused at once; then the winner's command is let go.
      await until('one to be refused', () => /refused/.test(a.out() + b.out()));
      await writeFile(stop, '');
      await Promise.all([a, b]);
      const results = [a, b].map((w) => JSON.parse(w.out().split('\n')[1]) as { ok: boolean; refused?: string });
      const winner = results.findIndex((r) => r.ok);
      expect(winner, JSON.stringify(results)).toBeGreaterThanOrEqual(0);
      const loser = results[1 - winner];
      expect(loser.refused).toMatch(
        new RegExp(`^"Slow" is taken by ${winner === 0 ? 'ann' : 'bob'} \\(.+@.+, pid \\d+\\): it runs in their session, not here$`),
      );
      const events = await dbEvents(runId);
      expect(checkChain(events)).toEqual([]);
      expect(events.filter((e) => e.type === 'item.started')).toHaveLength(1);
      expect(events.filter((e) => e.type === 'item.passed')).toHaveLength(1);
    }
  }, 60_000);

  it('the database stops while a command runs: actions are refused, the result is spooled and written once when it is back; nothing lost, nothing twice', async () => {
    const { text, stop } = await newRun('spool-run');
    const ann = await teamSession(server.url, home, 'spool-run', 'ann', text);
    const bob = await teamSession(server.url, home, 'spool-run', 'bob', text);
    const statuses: StoreStatus[] = [];
    ann.run.onStoreStatus((s) => statuses.push(s));
    const heardByBob: RunEvent[] = [];
    bob.run.subscribe((events) => heardByBob.push(...events));
    try {
      const running = ann.engine.runItem('slow', { confirmed: true }).then(
        () => null,
        (e: unknown) => e as Error,
      );
      await until('slow to start', async () => (await dbEvents('spool-run')).some((e) => e.type === 'item.started'));
      await server.stop();
      await writeFile(stop, '');
      const err = await running;
      expect(err?.message).toMatch(
        /^store unreachable — retrying \(.+\): the item\.passed is kept in .*spool-run\/spool-\d+\.jsonl and written when the connection returns$/,
      );
      expect(ann.run.storeStatus()).toMatchObject({
        reachable: false,
        spooled: 1,
        cause: expect.stringMatching(/ECONNREFUSED|terminat|connect/),
      });
      // A team session's own spool (several may share a home).
      const spoolFile = join(home, 'runs', 'spool-run', `spool-${process.pid}.jsonl`);
      expect(readFileSync(spoolFile, 'utf8')).toContain('"item.passed"');
      // An operator's action is never acknowledged unless committed.
      await expect(ann.engine.tick('look')).rejects.toThrow(
        /^store unreachable — retrying \(.+\): the action was NOT confirmed as recorded$/,
      );
      expect(ann.run.state.items.slow.status).toBe('running');

      await server.start();
      await until('the spool to be written', () => ann.run.storeStatus().reachable && ann.run.storeStatus().spooled === 0);
      expect(existsSync(spoolFile)).toBe(false);
      expect(ann.run.state.items.slow.status).toBe('passed');
      const events = await dbEvents('spool-run');
      expect(checkChain(events)).toEqual([]);
      expect(events.map((e) => e.type)).toEqual(['run.started', 'item.started', 'item.passed']);
      expect(events[2]).toMatchObject({ item: 'slow', operator: 'ann', by: { name: 'ann' } });
      expect(statuses.map((s) => s.reachable)).toContain(false);
      expect(statuses.at(-1)).toEqual({ reachable: true, spooled: 0 });
      // bob's listener came back with the database and caught up.
      await until('bob to hear the spooled result', () => heardByBob.some((e) => e.type === 'item.passed'));
      expect(bob.run.state.items.slow.status).toBe('passed');
      // The run goes on.
      await ann.engine.tick('look');
      expect((await dbEvents('spool-run')).map((e) => e.type).at(-1)).toBe('item.ticked');
    } finally {
      await writeFile(stop, '');
      await bob.run.close();
      await bob.backend.close();
      await ann.run.close();
      await ann.backend.close();
    }
  }, 60_000);

  it('a team session killed while its result waits in the spool: the next session to open the run writes it, once', async () => {
    const { text, file, stop } = await newRun('adopt-run');
    const dba = spawnWorker('run', server.url, 'adopt-run', home, 'dba', file, 'slow');
    await until('slow to start', async () => (await dbEvents('adopt-run')).some((e) => e.type === 'item.started'));
    await server.stop();
    try {
      await writeFile(stop, '');
      const spool = join(home, 'runs', 'adopt-run', `spool-${dba.pid}.jsonl`);
      await until('the result to be spooled', () => existsSync(spool) && readFileSync(spool, 'utf8').includes('"item.passed"'));
      dba.kill('SIGKILL');
      await dba;
    } finally {
      await server.start();
    }
    const ann = await teamSession(server.url, home, 'adopt-run', 'ann', text);
    try {
      await until('the adopted spool to be written', () => ann.run.storeStatus().spooled === 0);
      const events = await dbEvents('adopt-run');
      expect(checkChain(events)).toEqual([]);
      expect(events.map((e) => e.type)).toEqual(['run.started', 'item.started', 'item.passed']);
      expect(events[2]).toMatchObject({ item: 'slow', operator: 'dba', by: { name: 'dba' } });
      expect(readdirSync(join(home, 'runs', 'adopt-run')).filter((n) => n.startsWith('spool'))).toEqual([]);
    } finally {
      await ann.run.close();
      await ann.backend.close();
    }
  }, 60_000);
});

// One writer per run, under real races: pairs of real processes open one run at the same moment
// (random start offsets of a few hundred microseconds), half of them with a lock left behind by a
// process that has really exited. Every time exactly one of the two may write, the other is told
// which process holds the run, and the log's seq is strictly increasing with its chain intact.
// Most pairs use two long-lived worker processes that call the store API (RunStore.open, as
// runsheet does); some pairs are two real `runsheet resume ID --auto` started back to back.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { beforeAll, describe, expect, it } from 'vitest';
import { readEventLog } from '../../src/adapters/event-log.js';
import { RunStore } from '../../src/adapters/run-store.js';
import { buildBundle } from '../../scripts/build.mjs';
import { tempDir } from '../support/tmp.js';
import { startRunsheet, waitFor } from './harness.js';

const PAIRS = Number(process.env.LOCK_RACE_PAIRS ?? 200);
const CLI_PAIRS = Number(process.env.LOCK_RACE_CLI_PAIRS ?? 10);

let t: Awaited<ReturnType<typeof tempDir>>;
// vitest runs the returned function after the file's tests, and only if the directory was made.
beforeAll(async () => {
  t = await tempDir('rs-lockrace-');
  return () => t.cleanup();
});

/** A PID that was real a moment ago and whose process has exited (and been reaped). */
function deadPid(): number {
  const r = spawnSync('true');
  if (r.status !== 0) throw new Error('cannot start `true`');
  return r.pid;
}

function plantDeadLock(runDir: string): number {
  const pid = deadPid();
  writeFileSync(join(runDir, 'lock'), JSON.stringify({ pid, host: hostname(), since: '2026-11-23T01:00:00.000Z' }));
  return pid;
}

/** The log reads back whole: seq 1..n strictly increasing, every prev hash right. */
async function chainOf(runDir: string) {
  const log = await readEventLog(join(runDir, 'events.jsonl')); // throws on a broken chain
  const seqs = log.events.map((e) => e.seq);
  expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  expect(log.warnings).toEqual([]);
  return log.events;
}

/** One line from lock-worker.ts. */
interface Reply {
  pid: number;
  ready?: boolean;
  writer?: boolean;
  holder?: unknown;
  warnings?: string[];
  closed?: boolean;
  error?: string;
}

interface Worker {
  proc: ChildProcess;
  pid: number;
  next: () => Promise<Reply>;
  send: (o: object) => void;
}

async function startWorker(bundle: string): Promise<Worker> {
  const proc = spawn(process.execPath, [bundle], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines: string[] = [];
  const waiters: ((l: string) => void)[] = [];
  createInterface({ input: proc.stdout }).on('line', (l) => {
    const w = waiters.shift();
    if (w) w(l);
    else lines.push(l);
  });
  const next = () =>
    new Promise<Reply>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`worker ${proc.pid} did not answer`)), 15_000);
      const take = (l: string) => {
        clearTimeout(timer);
        resolve(JSON.parse(l) as Reply);
      };
      const l = lines.shift();
      if (l !== undefined) take(l);
      else waiters.push(take);
    });
  const ready = await next();
  expect(ready.ready).toBe(true);
  return { proc, pid: proc.pid!, next, send: (o) => proc.stdin.write(`${JSON.stringify(o)}\n`) };
}

describe('lock race', () => {
  it(`${PAIRS} pairs of processes open one run at once: exactly one writer each time`, { timeout: 120_000 }, async () => {
    const bundle = join(t.dir, 'lock-worker.mjs');
    await buildBundle({ minify: false, outfile: bundle, entry: join(process.cwd(), 'test/faults/lock-worker.ts') });
    const home = join(t.dir, 'home');
    const a = await startWorker(bundle);
    const b = await startWorker(bundle);
    let planted = 0;
    let tookOver = 0;
    try {
      for (let round = 0; round < PAIRS; round++) {
        const runId = `race-${round}`;
        const s = await RunStore.create(home, runId, 'version: 1\n', { operator: 'setup' });
        await s.append({ type: 'run.started', runId, checklist: { path: '/x', sha256: 'ab', title: 'T' }, env: null, vars: {} });
        await s.close();
        const dir = join(home, 'runs', runId);
        const dead = round % 2 === 1 ? plantDeadLock(dir) : undefined;
        if (dead) planted++;
        // Both start within ~0.4 ms of each other, in either order.
        a.send({ cmd: 'open', home, runId, delayUs: Math.random() * 400 });
        b.send({ cmd: 'open', home, runId, delayUs: Math.random() * 400 });
        const [ra, rb] = await Promise.all([a.next(), b.next()]);
        const what = `round ${round}${dead ? ` (dead lock of ${dead} planted)` : ''}: ${JSON.stringify([ra, rb])}`;
        expect(ra.error, what).toBeUndefined();
        expect(rb.error, what).toBeUndefined();
        expect([ra.writer, rb.writer].filter(Boolean), what).toHaveLength(1);
        const [winner, loser] = ra.writer ? [ra, rb] : [rb, ra];
        // The other is told who holds the run: the winner, never the dead process.
        expect(loser.holder, what).toMatchObject({ pid: winner.pid, host: hostname() });
        expect((loser.warnings ?? []).join('\n'), what).toContain(`run is open in process ${winner.pid}`);
        if (dead && (winner.warnings ?? []).some((w) => w.includes(`took over a stale lock left by process ${dead}`))) tookOver++;
        a.send({ cmd: 'close' });
        b.send({ cmd: 'close' });
        const closed = await Promise.all([a.next(), b.next()]);
        expect(
          closed.map((c) => c.error),
          what,
        ).toEqual([undefined, undefined]);
        const events = await chainOf(dir);
        expect(
          events.map((e) => (e.type === 'note' ? e.text : e.type)),
          what,
        ).toEqual(['run.started', `${winner.pid}:0`, `${winner.pid}:1`, `${winner.pid}:2`]);
        expect(existsSync(join(dir, 'lock')), `${what}: the writer released the lock`).toBe(false);
      }
    } finally {
      a.proc.stdin!.end();
      b.proc.stdin!.end();
    }
    // Every planted lock was taken over by the winner (and said so), never left in place.
    expect(tookOver).toBe(planted);
  });

  it(
    `${CLI_PAIRS} pairs of \`runsheet resume ID --auto\` started back to back: one runs the run, the other says who holds it`,
    { timeout: 120_000 },
    async () => {
      const cwd = join(t.dir, 'cli');
      const home = join(cwd, 'home');
      // The first item holds the run until the test has seen both processes decide: every writer
      // leaves a marker, so two writers would show as two markers (not as a timing accident).
      const checklist = `version: 1
title: Lock race
phases:
  - title: Work
    items:
      - {title: Hold, run: "touch started.$$; while [ ! -e release ]; do sleep 0.02; done"}
      - {title: After, run: "true"}
`;
      spawnSync('mkdir', ['-p', cwd]);
      const file = join(cwd, 'race.yaml');
      writeFileSync(file, checklist);
      const sha = createHash('sha256').update(checklist).digest('hex');
      for (let pair = 0; pair < CLI_PAIRS; pair++) {
        for (const f of readdirSync(cwd)) if (f.startsWith('started.') || f === 'release') spawnSync('rm', ['-f', join(cwd, f)]);
        const runId = `cli-race-${pair}`;
        const s = await RunStore.create(home, runId, checklist, { operator: 'setup' });
        await s.append({ type: 'run.started', runId, checklist: { path: file, sha256: sha, title: 'Lock race' }, env: null, vars: {} });
        await s.close();
        const dir = join(home, 'runs', runId);
        const dead = pair % 2 === 1 ? plantDeadLock(dir) : undefined;
        const what = `pair ${pair}${dead ? ` (dead lock of ${dead} planted)` : ''}`;
        const p1 = startRunsheet(['resume', runId, '--auto'], { cwd, home });
        await new Promise((r) => setTimeout(r, Math.random() * 30)); // random start offset, not a wait
        const p2 = startRunsheet(['resume', runId, '--auto'], { cwd, home });
        const codes: (number | null)[] = [null, null];
        void p1.exited.then((r) => (codes[0] = r.code));
        void p2.exited.then((r) => (codes[1] = r.code));
        const markers = () => readdirSync(cwd).filter((f) => f.startsWith('started.')).length;
        // Decided: a writer is in the holding item and the other has exited, or (the bug) both hold it.
        await waitFor(
          () => (markers() >= 1 && codes.some((c) => c !== null)) || markers() >= 2,
          `${what}: both processes to decide`,
          60_000,
        );
        expect(markers(), `${what}: processes running the first item`).toBe(1);
        writeFileSync(join(cwd, 'release'), '');
        const [r1, r2] = await Promise.all([p1.exited, p2.exited]);
        const out = [
          { ...r1, pid: p1.pid, stderr: p1.stderr() },
          { ...r2, pid: p2.pid, stderr: p2.stderr() },
        ];
        const detail = `${what}: ${JSON.stringify(out)}`;
        const winners = out.filter((o) => o.code === 0);
        expect(winners, detail).toHaveLength(1);
        const loser = out.find((o) => o.code !== 0)!;
        expect(loser.stderr, detail).toContain(`run is open in process ${winners[0].pid} on ${hostname()}`);
        expect(loser.stderr, detail).not.toMatch(/\n\s+at /); // one line, no stack trace
        if (dead) expect(winners[0].stderr, detail).toContain(`took over a stale lock left by process ${dead}`);
        const events = await chainOf(dir);
        // Only the winner wrote: one resume, each item started once.
        expect(
          events.filter((e) => e.type === 'run.resumed'),
          detail,
        ).toHaveLength(1);
        expect(events.filter((e) => e.type === 'item.started').length, detail).toBe(2);
        expect(existsSync(join(dir, 'lock')), `${detail}: the writer released the lock`).toBe(false);
      }
    },
  );
});

// Issue 7.2: terminal loss and termination. SIGHUP/SIGTERM/SIGINT save state, record the
// interruption with the running command's partial output, and exit 129/143/130; a `stop` command's
// whole process group is gone afterwards, a `keep` one is still running (and still logging).
// On resume an interrupted check runs again by itself; an interrupted action never does.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkChain, type RunEvent } from '../../src/core/events.js';
import { tempDir } from '../support/tmp.js';
import { crashSigns, groupAlive, killGroup, onlyRun, readEvents, runRunsheet, startRunsheet, waitFor } from './harness.js';

const TOKEN = 'follow-tok-81d3';
let t: Awaited<ReturnType<typeof tempDir>>;
const groups: number[] = [];
beforeAll(async () => {
  t = await tempDir('rs-fault-sig-');
  // $$ is the item's shell, which leads the item's own process group.
  await writeFile(
    join(t.dir, 'stop.yaml'),
    `version: 1
title: Stop on disconnect
phases:
  - title: Work
    items:
      - id: migrate
        title: Migrate
        run: 'test -f "$WORK/fast" && { echo migrated quickly; exit 0; }; echo $$ > "$WORK/migrate.pgid"; echo step-1 done; sleep 300 & wait'
      - {id: after, title: After, run: 'echo after'}
`,
  );
  await writeFile(
    join(t.dir, 'keep.yaml'),
    `version: 1
title: Keep on disconnect
phases:
  - title: Work
    items:
      - id: follow
        title: Follow
        on_disconnect: keep
        run: 'echo $$ > "$WORK/follow.pgid"; i=0; while [ $i -lt 2000 ]; do i=$((i+1)); printf "tick %s %s" $i "\${FOLLOW_TOKEN:0:5}"; printf "%s\\n" "\${FOLLOW_TOKEN:5}"; sleep 0.02; done'
`,
  );
  await writeFile(
    join(t.dir, 'checks.yaml'),
    `version: 1
title: Queued checks
phases:
  - title: Work
    items:
${[1, 2, 3].map((i) => `      - {id: c${i}, title: C${i}, check: true, run: 'echo $$ > "$WORK/c${i}.pgid"; echo probing ${i}; sleep 300 & wait'}`).join('\n')}
`,
  );
  await writeFile(
    join(t.dir, 'check.yaml'),
    `version: 1
title: Interrupted check
phases:
  - title: Work
    items:
      - id: probe
        title: Probe
        check: true
        run: 'test -f "$WORK/fast" && exit 0; echo $$ > "$WORK/probe.pgid"; echo probing; sleep 300 & wait'
`,
  );
});
afterEach(() => {
  for (const g of groups.splice(0)) killGroup(g);
});
afterAll(async () => t.cleanup());

let n = 0;
async function scenario() {
  const work = join(t.dir, `w${n++}`);
  const home = join(work, 'home');
  await mkdir(work);
  const o = { cwd: t.dir, home, env: { WORK: work, FOLLOW_TOKEN: TOKEN } };
  return { work, home, o };
}

/** Starts a headless run; waits until `item` wrote its group id and `logged` is in its log on disk. */
async function startAndWait(file: string, s: Awaited<ReturnType<typeof scenario>>, item: string, logged: string) {
  const p = startRunsheet(['run', file, '--auto', '--json'], s.o);
  const pgidFile = join(s.work, `${item}.pgid`);
  const pgid = await waitFor(
    async () => (existsSync(pgidFile) ? Number((await readFile(pgidFile, 'utf8')).trim()) || 0 : 0),
    `${item}.pgid`,
  );
  groups.push(pgid);
  const runId = await waitFor(async () => (p.stdout().includes('"item.started"') ? onlyRun(s.home) : ''), 'item.started');
  const log = join(s.home, 'runs', runId, 'logs', `${item}.1.stdout.log`);
  await waitFor(async () => (await readFile(log, 'utf8').catch(() => '')).includes(logged), `"${logged}" in ${log}`);
  return { p, pgid, runId };
}

const byType = (events: RunEvent[], type: RunEvent['type']) => events.filter((e) => e.type === type);

describe('signals while a command runs', () => {
  it.each([
    ['SIGHUP', 129, 'terminal lost (SIGHUP)'],
    ['SIGTERM', 143, 'SIGTERM received'],
    ['SIGINT', 130, 'SIGINT received'],
  ] as const)("%s: exit %d, partial output recorded, the stop item's process group is gone", async (sig, code, reason) => {
    const s = await scenario();
    const { p, pgid, runId } = await startAndWait('stop.yaml', s, 'migrate', 'step-1 done');
    p.child.kill(sig);
    const exit = await p.exited;
    expect(exit.code, p.stderr()).toBe(code);
    expect(crashSigns(p.stderr())).toEqual([]);
    await waitFor(() => !groupAlive(pgid), `process group ${pgid} to be gone`, 3000);

    const events = await readEvents(s.home, runId);
    expect(checkChain(events)).toEqual([]);
    const [interrupted] = byType(events, 'item.interrupted');
    expect(interrupted).toMatchObject({
      item: 'migrate',
      left: 'stopped',
      result: { ok: false, summary: `stopped when runsheet stopped (${reason})` },
    });
    expect(interrupted.type === 'item.interrupted' && interrupted.result.stdout?.tail).toContain('step-1 done');
    expect(events.at(-1)).toMatchObject({ type: 'run.interrupted', reason, running: ['migrate'] });
    // The printed (acknowledged) events are exactly the durable ones.
    expect(
      p
        .stdout()
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).seq),
    ).toEqual(events.map((e) => e.seq));
    const state = JSON.parse(await readFile(join(s.home, 'runs', runId, 'state.json'), 'utf8'));
    expect(state).toMatchObject({ status: 'interrupted', lastSeq: events.length, items: { migrate: { status: 'interrupted' } } });
  });

  it('keep: the command outlives runsheet and goes on writing its (redacted) log', async () => {
    const s = await scenario();
    const { p, pgid, runId } = await startAndWait('keep.yaml', s, 'follow', 'tick 3');
    p.child.kill('SIGHUP');
    expect((await p.exited).code).toBe(129);
    const events = await readEvents(s.home, runId);
    expect(byType(events, 'item.interrupted')[0]).toMatchObject({ item: 'follow', left: 'running' });
    expect(groupAlive(pgid)).toBe(true);
    // Still alive *and writing*: a command whose pipe closed would die of SIGPIPE on its next echo.
    const log = join(s.home, 'runs', runId, 'logs', 'follow.1.stdout.log');
    const size0 = (await stat(log)).size;
    await waitFor(async () => (await stat(log)).size > size0 + 200, 'the kept command to keep logging', 5000);
    expect(groupAlive(pgid)).toBe(true);
    const text = await readFile(log, 'utf8');
    const lines = text.trim().split('\n');
    // Nothing lost, doubled or unredacted at the hand-over to the relay.
    expect(lines).toEqual(lines.map((_, i) => `tick ${i + 1} ***`));
    expect(text).not.toContain(TOKEN.slice(5));
  });

  it('nothing new starts once a signal arrived: queued checks stay queued', async () => {
    const s = await scenario();
    const p = startRunsheet(['run', 'checks.yaml', '--auto', '--json', '--jobs', '1'], s.o);
    const pgidFile = join(s.work, 'c1.pgid');
    groups.push(await waitFor(async () => (existsSync(pgidFile) ? Number((await readFile(pgidFile, 'utf8')).trim()) || 0 : 0), 'c1.pgid'));
    p.child.kill('SIGTERM');
    expect((await p.exited).code, p.stderr()).toBe(143);
    expect(crashSigns(p.stderr())).toEqual([]);
    const events = await readEvents(s.home, await onlyRun(s.home));
    expect(events.map((e) => `${e.type}${'item' in e && e.item ? ` ${e.item}` : ''}`)).toEqual([
      'run.started',
      'item.started c1',
      'item.interrupted c1',
      'run.interrupted',
    ]);
    expect(existsSync(join(s.work, 'c2.pgid'))).toBe(false);
  });
});

describe('resume after an interruption', () => {
  it('an interrupted action is never re-run by itself: exit 3 naming it; {resolve: finished} is recorded and it stays un-run', async () => {
    const s = await scenario();
    const { p, runId } = await startAndWait('stop.yaml', s, 'migrate', 'step-1 done');
    p.child.kill('SIGHUP');
    await p.exited;
    await writeFile(join(s.work, 'fast'), '');

    const again = await runRunsheet(['resume', runId, '--auto'], s.o);
    expect(again.code, again.stderr).toBe(3);
    expect(again.stderr).toMatch(
      /migrate: interrupted action \(outcome unknown; never re-run automatically\): answer "migrate: \{resolve: finished\|failed\|rerun\}" in --answers/,
    );
    let events = await readEvents(s.home, runId);
    expect(byType(events, 'item.started')).toHaveLength(1);

    await writeFile(join(s.work, 'a.yaml'), 'migrate: {resolve: finished}\n');
    const done = await runRunsheet(['resume', runId, '--auto', '--answers', join(s.work, 'a.yaml')], s.o);
    expect(done.code, done.stderr).toBe(0);
    events = await readEvents(s.home, runId);
    expect(byType(events, 'item.resolved')).toMatchObject([{ item: 'migrate', outcome: 'passed', reason: 'answered in --answers' }]);
    expect(byType(events, 'item.started').map((e) => e.type === 'item.started' && e.item)).toEqual(['migrate', 'after']);
    expect(events.at(-1)).toMatchObject({ type: 'run.finished', status: 'passed' });
  });

  it('{resolve: rerun} records the answer, then runs the action again (attempt 2)', async () => {
    const s = await scenario();
    const { p, runId } = await startAndWait('stop.yaml', s, 'migrate', 'step-1 done');
    p.child.kill('SIGTERM');
    await p.exited;
    await writeFile(join(s.work, 'fast'), '');
    await writeFile(join(s.work, 'a.yaml'), 'migrate: {resolve: rerun}\n');
    const done = await runRunsheet(['resume', runId, '--auto', '--answers', join(s.work, 'a.yaml')], s.o);
    expect(done.code, done.stderr).toBe(0);
    const events = await readEvents(s.home, runId);
    const resolved = events.findIndex((e) => e.type === 'item.resolved' && e.outcome === 'rerun');
    const rerun = events.findIndex((e) => e.type === 'item.started' && e.item === 'migrate' && e.attempt === 2);
    expect(resolved).toBeGreaterThan(0);
    expect(rerun).toBeGreaterThan(resolved);
    expect(events.find((e) => e.type === 'item.passed' && e.item === 'migrate')).toMatchObject({
      result: { stdout: { tail: 'migrated quickly\n' } },
    });
  });

  it('an interrupted check is simply run again on resume', async () => {
    const s = await scenario();
    const { p, runId } = await startAndWait('check.yaml', s, 'probe', 'probing');
    p.child.kill('SIGTERM');
    expect((await p.exited).code).toBe(143);
    await writeFile(join(s.work, 'fast'), '');
    const again = await runRunsheet(['resume', runId, '--auto'], s.o);
    expect(again.code, again.stderr).toBe(0);
    const events = await readEvents(s.home, runId);
    expect(byType(events, 'item.resolved')).toEqual([]);
    expect(events.filter((e) => e.type === 'item.started').map((e) => e.attempt)).toEqual([1, 2]);
    expect(events.at(-1)).toMatchObject({ type: 'run.finished', status: 'passed' });
  });
});

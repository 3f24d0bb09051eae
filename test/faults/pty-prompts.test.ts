// Issue 13.1, the other screens: the pty master closed while the start-up "resume or fresh?"
// question is open (nothing is open yet: exit 129, nothing written, no lock left), while the
// question about an interrupted action is open after a resume, and while the output pager is
// open over a running command. Never a native assertion; always 129.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkChain } from '../../src/core/events.js';
import { readRun } from '../../src/adapters/run-reader.js';
import { tempDir } from '../support/tmp.js';
import { crashSigns, killGroup, onlyRun } from './harness.js';
import { pythonAvailable, runOnPty, type PtyStep } from './pty.js';

const CHECKLIST = `version: 1
title: Prompt drop
phases:
  - title: Work
    items:
      - {id: migrate, title: Migrate, run: 'echo $$ > "$WORK/migrate.pgid"; while :; do echo migrating; sleep 0.05; done'}
      - {id: m1, title: Manual one}
`;

let t: Awaited<ReturnType<typeof tempDir>>;
const groups: number[] = [];
beforeAll(async () => {
  t = await tempDir('rs-pty-prompt-');
  await writeFile(join(t.dir, 'prompt.yaml'), CHECKLIST);
});
afterAll(async () => {
  for (const g of groups) killGroup(g);
  await t.cleanup();
});

let n = 0;
async function scenario() {
  const work = join(t.dir, `w${n++}`);
  const home = join(work, 'home');
  await mkdir(work);
  const drive = async (args: string[], steps: PtyStep[]) => {
    const errFile = join(work, `stderr${n++}.txt`);
    const r = await runOnPty({
      args,
      cwd: t.dir,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: work, RUNSHEET_HOME: home, RUNSHEET_OPERATOR: 'pty-test', WORK: work },
      stderr: errFile,
      steps,
    });
    const pg = join(work, 'migrate.pgid');
    if (existsSync(pg)) groups.push(Number(readFileSync(pg, 'utf8').trim()));
    const stderr = readFileSync(errFile, 'utf8');
    expect(r.failed, r.screen).toBeUndefined();
    expect(stderr).not.toMatch(/Assertion failed|ResetStdio/);
    expect(crashSigns(stderr)).toEqual([]);
    return { ...r, stderr };
  };
  const events = join(home, 'runs', '*', 'events.jsonl');
  /** A run with `migrate` interrupted by a first drop. */
  const interruptedRun = async () => {
    const r = await drive(
      ['run', 'prompt.yaml'],
      [
        { wait: 'Manual one' },
        { raw: true },
        { send: '\r' },
        { waitFile: events, contains: '"item.started"' },
        { waitFile: join(home, 'runs', '*', 'logs', 'migrate.1.stdout.log'), contains: 'migrating' },
        { close: true },
      ],
    );
    expect(r.code).toBe(129);
    return onlyRun(home);
  };
  return { work, home, drive, events, interruptedRun };
}

describe.skipIf(!pythonAvailable('test/faults/pty-prompts.test.ts'))('the pty master closed on the other screens', () => {
  it('at the start-up "resume or fresh?" question: exit 129, the run untouched, no lock left', async () => {
    const s = await scenario();
    const runId = await s.interruptedRun();
    const before = readFileSync(join(s.home, 'runs', runId, 'events.jsonl'), 'utf8');
    const r = await s.drive(
      ['run', 'prompt.yaml'],
      [{ wait: 'An unfinished run of this checklist exists' }, { raw: true }, { close: true }],
    );
    expect(r.code).toBe(129);
    expect(readFileSync(join(s.home, 'runs', runId, 'events.jsonl'), 'utf8')).toBe(before);
    expect(existsSync(join(s.home, 'runs', runId, 'lock'))).toBe(false);
    expect(await onlyRun(s.home)).toBe(runId); // no fresh run either
  });

  it('at the question about an interrupted action after a resume: exit 129, run.interrupted after run.resumed', async () => {
    const s = await scenario();
    const runId = await s.interruptedRun();
    const r = await s.drive(
      ['resume', runId],
      [{ wait: 'Manual one' }, { raw: true }, { send: '\r' }, { wait: 'was interrupted while running' }, { close: true }],
    );
    expect(r.code).toBe(129);
    const run = await readRun(s.home, runId);
    expect(checkChain(run.events)).toEqual([]);
    expect(run.events.slice(-2).map((e) => e.type)).toEqual(['run.resumed', 'run.interrupted']);
    expect(run.events.at(-1)).toMatchObject({ type: 'run.interrupted', running: [] });
    expect(existsSync(join(run.dir, 'lock'))).toBe(false);
  });

  it('headless (--auto) with its output on the terminal: the same 129 and records, not an EIO crash', async () => {
    const s = await scenario();
    const r = await s.drive(
      ['run', 'prompt.yaml', '--auto'],
      [{ waitFile: join(s.home, 'runs', '*', 'logs', 'migrate.1.stdout.log'), contains: 'migrating' }, { close: true }],
    );
    expect(r.code).toBe(129);
    const run = await readRun(s.home, await onlyRun(s.home));
    expect(checkChain(run.events)).toEqual([]);
    expect(run.events.slice(-2)).toMatchObject([
      { type: 'item.interrupted', item: 'migrate', left: 'stopped' },
      { type: 'run.interrupted', running: ['migrate'] },
    ]);
  });

  it('in the output pager over a running command: exit 129, the command interrupted once', async () => {
    const s = await scenario();
    const r = await s.drive(
      ['run', 'prompt.yaml'],
      [
        { wait: 'Manual one' },
        { raw: true },
        { send: '\r' },
        { waitFile: s.events, contains: '"item.started"' },
        { waitFile: join(s.home, 'runs', '*', 'logs', 'migrate.1.stdout.log'), contains: 'migrating' },
        { send: 'o' },
        { wait: 'q/Esc' },
        { sleep: Math.random() * 0.2 },
        { close: true },
      ],
    );
    expect(r.code).toBe(129);
    const run = await readRun(s.home, await onlyRun(s.home));
    expect(checkChain(run.events)).toEqual([]);
    expect(run.events.filter((e) => e.type === 'item.interrupted')).toMatchObject([{ item: 'migrate', left: 'stopped' }]);
    expect(run.events.at(-1)).toMatchObject({ type: 'run.interrupted', running: ['migrate'] });
    expect((run.events.at(-1) as { reason: string }).reason).toMatch(/^terminal lost/);
  });
});

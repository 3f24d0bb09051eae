// Issue 13.6: a command kept across a disconnect (on_disconnect: keep) is visible on resume. A
// real process is left running across a real pty drop (the master closed under runsheet); a
// resume in a new terminal says it is still running (its PID, its live log) and does not offer
// to run it again, and headless `{resolve: rerun}` is refused while it runs. Once it has ended,
// the resume shows its real exit status and offers the matching answer first.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkChain } from '../../src/core/events.js';
import { readRun } from '../../src/adapters/run-reader.js';
import { tempDir } from '../support/tmp.js';
import { alive } from '../e2e/tmux.js';
import { crashSigns, killGroup, onlyRun, runRunsheet, waitFor } from './harness.js';
import { pythonAvailable, runOnPty, type PtyStep } from './pty.js';

const CHECKLIST = `version: 1
title: Kept resume
phases:
  - title: Work
    items:
      - id: migrate
        title: Migrate
        on_disconnect: keep
        run: 'echo $$ > "$WORK/migrate.pgid"; while [ ! -s "$WORK/finish" ]; do echo migrating; sleep 0.05; done; exit $(cat "$WORK/finish")'
      - {id: after, title: After, run: 'echo after'}
`;

let t: Awaited<ReturnType<typeof tempDir>>;
let pgid = 0;
beforeAll(async () => {
  t = await tempDir('rs-kept-');
  await writeFile(join(t.dir, 'kept.yaml'), CHECKLIST);
});
afterAll(async () => {
  if (pgid) killGroup(pgid);
  await t.cleanup();
});

describe.skipIf(!pythonAvailable('test/faults/kept-resume.test.ts'))('a command kept across a pty drop, then resumed', () => {
  it('while it runs: PID and live log shown, "run again" refused; once ended: its exit status', { timeout: 120_000 }, async () => {
    const work = join(t.dir, 'w');
    const home = join(work, 'home');
    await mkdir(work);
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: work, RUNSHEET_HOME: home, RUNSHEET_OPERATOR: 'kept-test', WORK: work };
    let k = 0;
    const onPty = async (args: string[], steps: PtyStep[]) => {
      const errFile = join(work, `stderr.${k++}`);
      const r = await runOnPty({ args, cwd: t.dir, env, stderr: errFile, steps });
      expect(r.failed, r.screen).toBeUndefined();
      expect(crashSigns(readFileSync(errFile, 'utf8'))).toEqual([]);
      return r;
    };

    // 1. Started, then the terminal is lost under it: it is left running.
    const events = join(home, 'runs', '*', 'events.jsonl');
    const first = await onPty(
      ['run', 'kept.yaml'],
      [
        { wait: 'After' },
        { raw: true },
        { send: '\r' },
        { waitFile: events, contains: '"item.started"' },
        { waitFile: join(home, 'runs', '*', 'logs', 'migrate.1.stdout.log'), contains: 'migrating' },
        { close: true },
      ],
    );
    expect(first.code).toBe(129);
    pgid = Number(readFileSync(join(work, 'migrate.pgid'), 'utf8'));
    const runId = await onlyRun(home);
    let run = await readRun(home, runId);
    const interrupted = run.events.find((e) => e.type === 'item.interrupted');
    expect(interrupted).toMatchObject({ item: 'migrate', left: 'running', result: { kept: { pid: pgid, statusFile: 'migrate.1.exit' } } });
    expect(alive(pgid)).toBe(true);

    // 2. Resumed in a new terminal while it runs: the question says so, and offers no re-run.
    const running = await onPty(
      ['resume', runId],
      [
        { wait: 'After' },
        { raw: true },
        { send: '\r' },
        { wait: 'It cannot run again while it runs' },
        { mark: true },
        { send: 'w' },
        { wait: 'asked again next time' },
        { send: 'q' },
      ],
    );
    expect(running.code).toBe(0);
    // The question as it is drawn: the live process, its age and where its output goes.
    const screen2 = await onPty(
      ['resume', runId],
      [{ wait: 'After' }, { raw: true }, { send: '\r' }, { wait: 'It cannot run again while it runs' }, { close: true }],
    );
    expect(screen2.screen).toContain(`still running (PID ${pgid}`);
    expect(screen2.screen.replace(/\s+/g, '')).toContain(`${runId}/logs/migrate.1.stdout.log`); // (wrapped on screen)
    expect(screen2.screen).not.toContain('Run it again');

    // The start-up question of `run FILE` says so too.
    const asked = await onPty(['run', 'kept.yaml'], [{ wait: 'An unfinished run of this checklist exists' }, { close: true }]);
    expect(asked.screen.replace(/\s+/g, ' ')).toContain(`Left running and still running: migrate (PID ${pgid}).`);

    // 3. Headless: {resolve: rerun} is refused while it runs; nothing starts a second copy.
    await writeFile(join(work, 'rerun.yaml'), 'migrate: {resolve: rerun}\n');
    const refused = await runRunsheet(['resume', runId, '--auto', '--answers', join(work, 'rerun.yaml')], {
      cwd: t.dir,
      home,
      env: { WORK: work },
    });
    expect(refused.code, refused.stderr).toBe(3);
    expect(refused.stderr.replace(/\s+/g, ' ')).toContain(`left running when runsheet stopped: still running (PID ${pgid}`);
    expect(refused.stderr.replace(/\s+/g, ' ')).toContain(
      'It cannot run again while it runs. The answer "rerun" in --answers is not one of those offered now.',
    );
    run = await readRun(home, runId);
    expect(run.events.filter((e) => e.type === 'item.started')).toHaveLength(1);
    expect(run.events.filter((e) => e.type === 'item.resolved')).toEqual([]);

    // 4. It ends (exit 4, its own choice); the next resume knows how.
    await writeFile(join(work, 'finish'), '4');
    await waitFor(() => !alive(pgid), 'the kept command to end', 15_000, 25);
    const headless = await runRunsheet(['resume', runId, '--auto'], { cwd: t.dir, home, env: { WORK: work } });
    expect(headless.code).toBe(3);
    expect(headless.stderr).toContain('migrate: interrupted action left running, it has ended (exit 4)');
    const ended = await onPty(
      ['resume', runId],
      [
        { wait: 'After' },
        { raw: true },
        { send: '\r' },
        { wait: 'It failed (exit 4)' },
        { send: '\r' },
        { wait: 'How do you know?' },
        { send: 'exit 4 in the log\r' },
        { wait: 'recorded as failed' },
        { send: 'q' },
      ],
    );
    expect(ended.code).toBe(0);
    expect(ended.screen).toContain('it has ended (exit 4)');
    run = await readRun(home, runId);
    expect(checkChain(run.events)).toEqual([]);
    expect(run.events.filter((e) => e.type === 'item.resolved')).toMatchObject([
      { item: 'migrate', outcome: 'failed', reason: 'exit 4 in the log' },
    ]);
    expect(existsSync(join(run.dir, 'logs', 'migrate.1.exit'))).toBe(true);
  });
});

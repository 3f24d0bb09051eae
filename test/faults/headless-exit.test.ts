// Issue 7.1: headless runs as a CI job sees them — a real process with no terminal. Exit codes
// 0 passed · 1 failed · 3 needs an operator (listed) · 2 usage/input error, and every prompt that
// cannot be answered headless names the flag (or --answers entry) that answers it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkChain } from '../../src/core/events.js';
import { tempDir } from '../support/tmp.js';
import { startServer } from '../support/http-server.js';
import { crashSigns, onlyRun, readEvents, runIds, runRunsheet, startRunsheet, waitFor } from './harness.js';

const CHECKLIST = `version: 1
title: Exit codes
environments:
  prod: {confirm: true}
  dev: {}
phases:
  - title: Pre
    id: pre
    signoff: [Lead]
    items:
      - {id: hello, title: Hello, run: 'echo hello'}
      - {id: chk, title: Check, run: 'test "$CHECK_OK" = yes', check: true}
      - {id: review, title: Reviewed}
      - {id: notify, title: Notify, run: 'echo notify'}
      - {id: p95, title: p95, record: number}
      - {id: risky, title: Risky, run: 'echo risky', confirm: true}
  - title: Ship
    id: ship
    items:
      - {id: deploy, title: Deploy, run: 'echo deployed'}
`;
const ANSWERS = `review: tick
p95: {record: 12}
pre: {signoff: [{name: Ann, role: Lead}]}
reveiw: tick
`;

let t: Awaited<ReturnType<typeof tempDir>>;
let n = 0;
beforeAll(async () => {
  t = await tempDir('rs-fault-exit-');
  await writeFile(join(t.dir, 'c.yaml'), CHECKLIST);
  await writeFile(join(t.dir, 'answers.yaml'), ANSWERS);
});
afterAll(async () => t.cleanup());

/** A fresh $RUNSHEET_HOME per scenario. */
const home = () => join(t.dir, `home-${n++}`);
const run = (args: string[], h: string, env: Record<string, string> = {}) => runRunsheet(args, { cwd: t.dir, home: h, env });

describe('headless exit codes (no terminal: stdin ignored, stdout a pipe)', () => {
  it('3 lists every item only a person can answer, each naming its answer; resuming with them finishes with 0', async () => {
    const h = home();
    // No --auto: with no terminal runsheet is headless on its own.
    const first = await run(['run', 'c.yaml'], h, { CHECK_OK: 'yes' });
    expect(crashSigns(first.stderr)).toEqual([]);
    expect(first.code, first.stderr).toBe(3);
    expect(first.stderr).toMatch(/review: manual item: answer "tick" or "skip: reason" in --answers/);
    expect(first.stderr).toMatch(/p95: record item: answer "record: VALUE" in --answers/);
    expect(first.stderr).toMatch(/risky: asks for confirmation: pass --yes/);
    expect(first.stderr).toMatch(/pre: sign-off needed from Lead \(answer under "pre: \{signoff: \[\{name, role\}\]\}" in --answers\)/);
    const runId = await onlyRun(h);
    // Nothing runs past the first item waiting for a person; the rest of the phase is only listed.
    const started = (await readEvents(h, runId)).flatMap((e) => (e.type === 'item.started' ? [e.item] : []));
    expect(started).toEqual(['hello', 'chk']);

    const second = await run(['run', 'c.yaml', '--auto', '--answers', 'answers.yaml', '--yes'], h, { CHECK_OK: 'yes' });
    expect(second.code, second.stderr).toBe(0);
    // A typo'd answer key is pointed out rather than silently ignored.
    expect(second.stderr).toMatch(
      /warning: --answers: "reveiw" is not an item, phase or metric of this checklist \(did you mean "review"\?\)/,
    );
    expect(await runIds(h)).toEqual([runId]);
    const events = await readEvents(h, runId);
    expect(checkChain(events)).toEqual([]);
    expect(events.flatMap((e) => (e.type === 'item.started' ? [e.item] : []))).toEqual(['hello', 'chk', 'notify', 'risky', 'deploy']);
    expect(events.some((e) => e.type === 'run.resumed')).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: 'run.finished', status: 'passed' });
  });

  it('CI set: headless as well', async () => {
    const r = await run(['run', 'c.yaml', '--answers', 'answers.yaml'], home(), { CHECK_OK: 'yes', CI: 'true' });
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/risky: asks for confirmation: pass --yes/);
  });

  it('1 when a check fails: later actions never start; --json keeps stdout pure JSON and says why on stderr', async () => {
    const h = home();
    const r = await run(['run', 'c.yaml', '--auto', '--json', '--answers', 'answers.yaml', '--yes'], h, { CHECK_OK: 'no' });
    expect(r.code, r.stderr).toBe(1);
    const lines = r.stdout.trim().split('\n');
    for (const l of lines) expect(() => JSON.parse(l), l).not.toThrow();
    expect(lines.map((l) => JSON.parse(l).type)).toContain('item.failed');
    expect(r.stderr).toMatch(/failed at: chk/);
    const events = await readEvents(h, await onlyRun(h));
    expect(events.some((e) => e.type === 'item.started' && (e.item === 'risky' || e.item === 'deploy'))).toBe(false);
  });

  it('2 for an environment that needs confirmation, naming --confirm-env; nothing is created or run', async () => {
    const h = home();
    const r = await run(['run', 'c.yaml', '--auto', '--env', 'prod'], h, { CHECK_OK: 'yes' });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('runsheet: environment "prod" must be confirmed: pass --confirm-env prod to run it headless\n');
    expect(await runIds(h)).toEqual([]);
    const ok = await run(['run', 'c.yaml', '--auto', '--env', 'prod', '--confirm-env', 'prod', '--answers', 'answers.yaml', '--yes'], h, {
      CHECK_OK: 'yes',
    });
    expect(ok.code, ok.stderr).toBe(0);
  });

  it.each([
    [['--jobs', '0'], /--jobs must be a whole number from 1 to 64 \(got "0"\)/],
    [['--jobs', '1e9'], /--jobs must be a whole number from 1 to 64 \(got "1e9"\)/],
    [['--jobs', 'lots'], /--jobs must be a whole number/],
    [['--answers', 'missing.yaml'], /missing\.yaml: no such answers file/],
    [['--answers', 'c.yaml'], /answer for "version" must be tick/],
    [['--answers', 'bad-answers.yaml'], /bad-answers\.yaml: not valid YAML/],
    [['--env', 'staging'], /environment "staging" is not defined in this checklist \(known: prod, dev\)/],
    [['--set', '1X=2'], /--set "1X=2": expected KEY=VALUE/],
    [['--bogus'], /unknown option '--bogus'/],
  ])('2 with one line for %j', async (extra, message) => {
    await writeFile(join(t.dir, 'bad-answers.yaml'), 'review: [tick\n');
    const h = home();
    const r = await run(['run', 'c.yaml', '--auto', ...extra], h);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(crashSigns(r.stderr)).toEqual([]);
    expect(r.stderr.split('\n').filter((l) => l && !l.startsWith('(run with --help'))).toHaveLength(1);
    // Refused before anything was recorded.
    expect(await runIds(h)).toEqual([]);
  });
});

describe('a run another process holds', () => {
  it('2 naming the holder and --fresh; with --fresh a separate run starts', async () => {
    const h = home();
    await writeFile(
      join(t.dir, 'slow.yaml'),
      `version: 1\ntitle: Slow\nphases:\n  - title: P\n    items:\n      - {id: slow, title: Slow, run: 'echo started; sleep 30'}\n`,
    );
    const first = startRunsheet(['run', 'slow.yaml', '--auto'], { cwd: t.dir, home: h });
    try {
      await waitFor(() => first.stdout().includes('started (attempt 1)'), 'the first run to start');
      const second = await run(['run', 'slow.yaml', '--auto'], h);
      expect(second.code).toBe(2);
      expect(second.stderr).toMatch(
        new RegExp(
          `^runsheet: ${await onlyRun(h)}: run is open in process ${first.pid} on .+ since .+; wait for it to end, or pass --fresh to start a separate run\n$`,
        ),
      );
      const firstId = await onlyRun(h);
      const fresh = startRunsheet(['run', 'slow.yaml', '--auto', '--fresh'], { cwd: t.dir, home: h });
      await waitFor(async () => (await runIds(h)).length === 2, 'a second run');
      // Its directory exists, so it is still starting up: the signal is held, then recorded. On a
      // loaded machine the signal can instead land as the first item's start is being written:
      // then that item ends interrupted before run.interrupted. Never a start without an end.
      fresh.child.kill('SIGTERM');
      expect((await fresh.exited).code, fresh.stderr()).toBe(143);
      const freshId = (await runIds(h)).find((id) => id !== firstId)!;
      const types = (await readEvents(h, freshId)).map((e) => e.type);
      expect([
        ['run.started', 'run.interrupted'],
        ['run.started', 'item.started', 'item.interrupted', 'run.interrupted'],
      ]).toContainEqual(types);
    } finally {
      first.child.kill('SIGTERM');
      await first.exited;
    }
  });
});

describe('a reader that goes away', () => {
  it('stdout closed mid-run (`| head`): no EPIPE crash, the run goes on to its end', async () => {
    const h = home();
    const items = Array.from({ length: 100 }, (_, i) => `      - {id: c${i}, title: C${i}, check: true, run: 'echo ${i}'}`).join('\n');
    await writeFile(join(t.dir, 'many.yaml'), `version: 1\ntitle: Many\nphases:\n  - title: P\n    items:\n${items}\n`);
    const p = startRunsheet(['run', 'many.yaml', '--auto'], { cwd: t.dir, home: h });
    await waitFor(() => p.stdout().includes('started'), 'the first line');
    p.child.stdout!.destroy();
    const exit = await p.exited;
    expect(crashSigns(p.stderr())).toEqual([]);
    expect(exit.code, p.stderr()).toBe(0);
    const events = await readEvents(h, await onlyRun(h));
    expect(events.at(-1)).toMatchObject({ type: 'run.finished', status: 'passed' });
    expect(events.filter((e) => e.type === 'item.passed')).toHaveLength(100);
  });
});

describe('a warning comparison headless', () => {
  it('3 naming the --answers entry that acknowledges it; with {accept: reason} the run finishes and records the override', async () => {
    let p95 = 100;
    const server = await startServer({
      '/stats': () => ({ status: 200, body: JSON.stringify({ p95 }) }),
      '/deploy': (u) => {
        p95 = Number(u.searchParams.get('p95'));
        return { status: 200, body: 'ok' };
      },
    });
    try {
      await writeFile(
        join(t.dir, 'm.yaml'),
        `version: 1
title: Metrics
samples: 1
metrics:
  - {id: lat, title: latency, unit: ms, http: {url: '${server.url}/stats', json: p95}, better: lower, tolerance: 5%, warn: '+10%', fail: '+50%'}
phases:
  - title: Change
    items:
      - {id: base, title: Baseline, snapshot: {label: base}}
      - {id: deploy, title: Deploy, http: {url: '${server.url}/deploy?p95=120', method: POST}}
      - {id: cmp, title: Compare, compare: {baseline: base}}
`,
      );
      const h = home();
      const snaps = ['--snapshots', join(t.dir, 'snaps')];
      const first = await run(['run', 'm.yaml', '--auto', ...snaps], h);
      expect(first.code, first.stderr).toBe(3);
      expect(first.stderr).toMatch(/cmp: comparison warned: acknowledge it with "cmp: \{accept: reason\}" in --answers/);
      await writeFile(join(t.dir, 'accept.yaml'), 'cmp: {accept: "known slower cold cache, INC-7"}\n');
      const second = await run(['run', 'm.yaml', '--auto', '--answers', 'accept.yaml', ...snaps], h);
      expect(second.code, second.stderr).toBe(0);
      const events = await readEvents(h, await onlyRun(h));
      expect(events.find((e) => e.type === 'override')).toMatchObject({
        kind: 'warn-acknowledged',
        item: 'cmp',
        reason: 'known slower cold cache, INC-7',
      });
      expect(events.at(-1)).toMatchObject({ type: 'run.finished', status: 'passed' });
      expect(await readdir(join(t.dir, 'snaps'))).not.toHaveLength(0);
    } finally {
      await server.close();
    }
  });
});

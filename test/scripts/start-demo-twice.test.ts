// `npm start`, stop it after the release shipped, `npm start` again: the resumed run must verify
// the release it shipped (1.5.0), not a demo service that came back up on 1.4.2. Drives the real
// launcher (scripts/start-demo.mjs → demo service + dist/runsheet.mjs) headless, stopping the
// first launch with a real SIGTERM the moment the ship step is recorded.
import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../support/tmp.js';

const root = join(import.meta.dirname, '..', '..');
const launcher = join(root, 'scripts', 'start-demo.mjs');

interface Ev {
  type: string;
  item?: string;
  rows?: { id: string; baseline: number | null; after: number | null }[];
  result?: { summary: string };
}

/** Runs the launcher until `stopWhen` sees an event (then SIGTERM) or it exits by itself. */
function launch(home: string, args: string[], stopWhen: (e: Ev) => boolean): Promise<{ events: Ev[]; code: number | null; err: string }> {
  const child = spawn(process.execPath, [launcher, '--auto', '--yes', '--json', ...args], {
    cwd: root,
    env: { ...process.env, RUNSHEET_HOME: home, CI: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const events: Ev[] = [];
  let buf = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  child.stdout.on('data', (d: Buffer) => {
    buf += d.toString();
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      if (!line.startsWith('{')) continue;
      const e = JSON.parse(line) as Ev;
      events.push(e);
      if (stopWhen(e)) child.kill('SIGTERM');
    }
  });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ events, code, err })));
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

describe('npm start twice', () => {
  it('the resumed demo run verifies the release it shipped before the restart', { timeout: 90_000 }, async () => {
    const t = await tempDir('rs-demo-twice-');
    cleanups.push(t.cleanup);
    const home = join(t.dir, 'home');
    const answers = join(t.dir, 'answers.yaml');
    await writeFile(
      answers,
      [
        'release-notes-read: tick',
        'rollback-plan-known: tick',
        "window-start: {record: '07:40'}",
        'p95-dashboard-before: {record: 182}',
        'open_tickets: {record: 4}',
        'prepare: {signoff: [{name: Ann, role: Release Owner}]}',
        '',
      ].join('\n'),
    );
    const args = ['--operator', 'ann', '--answers', answers, '--snapshots', join(t.dir, 'snapshots')];

    const first = await launch(home, args, (e) => e.type === 'item.passed' && e.item === 'ship-release');
    expect(
      first.events.some((e) => e.type === 'item.passed' && e.item === 'ship-release'),
      first.err,
    ).toBe(true);
    expect(
      first.events.some((e) => e.type === 'comparison'),
      'stopped before Verify',
    ).toBe(false);
    expect(JSON.parse(await readFile(join(home, 'demo', 'service.json'), 'utf8'))).toEqual({ release: '1.5.0' });

    const second = await launch(home, args, (e) => e.type === 'comparison' && e.item === 'compare-after');
    const failed = second.events.filter((e) => e.type === 'item.failed').map((e) => `${e.item}: ${e.result?.summary}`);
    expect(failed, second.err).toEqual([]);
    expect(second.events[0]?.type === 'run.started' || second.events.some((e) => e.type === 'run.resumed')).toBe(true);
    const cmp = second.events.find((e) => e.type === 'comparison' && e.item === 'compare-after');
    expect(cmp, `no comparison in the resumed run: ${second.err}`).toBeDefined();
    // 1.5.0 serves p95 ≈ 150 ms against 1.4.2's ≈ 180 ms baseline: the comparison sees the release.
    const p95 = cmp!.rows!.find((r) => r.id === 'latency_p95_ms')!;
    expect(p95.after!).toBeLessThan(p95.baseline! * 0.92);
  });

  it('a new demo run (none unfinished) starts the service over at the previous release', { timeout: 30_000 }, async () => {
    const t = await tempDir('rs-demo-fresh-');
    cleanups.push(t.cleanup);
    const home = join(t.dir, 'home');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(home, 'demo'), { recursive: true });
    await writeFile(join(home, 'demo', 'service.json'), '{"release":"1.5.0"}\n');
    // No answers: headless stops at the first manual item, after the checks of "Before the change".
    const r = await launch(home, ['--snapshots', join(t.dir, 'snapshots')], () => false);
    expect(r.code).toBe(3);
    expect(JSON.parse(await readFile(join(home, 'demo', 'service.json'), 'utf8'))).toEqual({ release: '1.4.2' });
  });

  it('a run started fresh at the prompt (a new run directory appears) resets the service; work inside a run does not', async () => {
    const t = await tempDir('rs-demo-watch-');
    cleanups.push(t.cleanup);
    const home = join(t.dir, 'home');
    await mkdir(join(home, 'runs', 'old-run'), { recursive: true });
    const { watchNewRun } = (await import(pathToFileURL(launcher).href)) as {
      watchNewRun: (home: string, onNew: () => void) => () => void;
    };
    let calls = 0;
    let fired!: () => void;
    const firedP = new Promise<void>((r) => (fired = r));
    const stop = watchNewRun(home, () => {
      calls++;
      fired();
    });
    await writeFile(join(home, 'runs', 'old-run', 'events.jsonl'), '{}\n');
    await mkdir(join(home, 'runs', 'new-run'));
    await firedP;
    await mkdir(join(home, 'runs', 'third-run'));
    stop();
    expect(calls).toBe(1);
  });
});

// The same run counted the same way wherever it is shown: the TUI header and phase tabs, `runs`,
// `status` (text and JSON) and the resume question, all through the built CLI. The run (written
// with the real file store) has every status the count tells apart and is on its rollback track:
// the resume question once counted 6/15 where the header said 6/12 (both tracks, and n/a not
// done), and the header counted a warning and an interruption as failures.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunStore, newRunId } from '../../src/adapters/run-store.js';
import { Tmux, tmuxAvailable } from './tmux.js';
import { listShown, setupE2e, type E2e } from './harness.js';
import { PROGRESS_CHECKLIST, PROGRESS_EVENTS, PROGRESS_LINE } from '../support/progress-run.js';

const MAIN = '6/12 done, 1 failed, 1 warned, 1 interrupted';
const ROLLBACK = '1/3 done, 1 failed';
const oneLine = (s: string) => s.replace(/\s+/g, ' ');

describe.skipIf(!tmuxAvailable('test/e2e/progress-agrees.test.ts'))('the same progress everywhere (tmux)', () => {
  let e: E2e;
  let wide: Tmux | undefined;
  beforeEach(async () => {
    e = await setupE2e();
  });
  afterEach(async () => {
    await wide?.kill();
    await e.cleanup();
  });

  it('header, phase tabs, runs, status and the resume question give the same numbers', async () => {
    expect(PROGRESS_LINE).toBe(`${MAIN} · rollback ${ROLLBACK}`);
    const file = await e.checklist('p.yaml', PROGRESS_CHECKLIST);
    const runId = newRunId('Progress', new Date());
    const store = await RunStore.create(e.home, runId, PROGRESS_CHECKLIST, { operator: 'e2e' });
    const sha256 = createHash('sha256').update(PROGRESS_CHECKLIST).digest('hex');
    await store.append({ type: 'run.started', runId, checklist: { path: file, sha256, title: 'Progress' }, env: null, vars: {} });
    for (const ev of PROGRESS_EVENTS) await store.append(ev);
    await store.close();

    // `runs`: the table and the JSON.
    const runs = e.cli('runs');
    expect(runs.status, runs.stderr).toBe(0);
    // The table keeps one word per column: done/total of the main track, as everywhere.
    expect(runs.stdout).toMatch(new RegExp(`^${runId}\\s+active\\s+rollback\\s+6/12\\s`, 'm'));
    const listed = (JSON.parse(e.cli('runs', '--json').stdout) as Record<string, unknown>[])[0];
    expect(listed).toMatchObject({ id: runId, track: 'rollback', progress: '6/12', progressLine: PROGRESS_LINE });
    expect(listed.counts).toMatchObject({ total: 12, done: 6, failed: 1, warned: 1, interrupted: 1, na: 1, waiting: 1, pending: 2 });
    expect(listed.rollback).toMatchObject({ total: 3, done: 1, failed: 1 });

    // `status`: the text, per phase, and the JSON.
    const status = e.cli('status', runId);
    expect(status.status, status.stderr).toBe(0);
    expect(status.stdout).toContain(`progress ${PROGRESS_LINE}\n`);
    expect(status.stdout).toContain('PHASE Prepare  4/6 done\n');
    expect(status.stdout).toContain('PHASE Deploy  2/6 done, 1 failed, 1 warned, 1 interrupted\n');
    expect(status.stdout).toContain(`ROLLBACK Roll back  ${ROLLBACK}\n`);
    const raw = e.status(runId).raw;
    expect(raw.progress).toMatchObject({ total: 12, done: 6, failed: 1, warned: 1, interrupted: 1 });
    expect(raw.rollbackProgress).toMatchObject({ total: 3, done: 1, failed: 1 });

    // The resume question, then the header and tabs of the resumed run (wide enough for words).
    wide = new Tmux(join(e.dir, 'wide.sock'), e.tmux.env, 140, 30);
    const pane = wide.launch(['run', 'p.yaml'], e.dir);
    const q = await pane.waitFor((s) => s.includes('An unfinished run of this checklist exists'), 'the resume question');
    expect(oneLine(q)).toContain(`by e2e, ${PROGRESS_LINE}).`);
    expect(q).toMatch(/> 1\. Resume it/);
    pane.key('Enter');
    const screen = await listShown(pane, 3, 'the resumed run (on its rollback track)');
    const [header, tabs] = screen.split('\n');
    expect(header).toMatch(
      new RegExp(`^\\[ROLLBACK\\] Progress .* \\d\\d:\\d\\d {2}${PROGRESS_LINE.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`),
    );
    expect(tabs).toContain('1 Prepare 4/6');
    expect(tabs).toContain('2 Deploy 2/6 ✗1 w1 ?1');
    expect(tabs).toContain('↺ Roll back 1/3 ✗1');
    pane.key('q');
    expect(await pane.exitCode()).toBe(0);
  });

  it('an 80-column header keeps the same numbers, in the marks of the item list', async () => {
    const file = await e.checklist('p.yaml', PROGRESS_CHECKLIST);
    const runId = newRunId('Progress', new Date());
    const store = await RunStore.create(e.home, runId, PROGRESS_CHECKLIST, { operator: 'e2e' });
    const sha256 = createHash('sha256').update(PROGRESS_CHECKLIST).digest('hex');
    await store.append({ type: 'run.started', runId, checklist: { path: file, sha256, title: 'Progress' }, env: null, vars: {} });
    for (const ev of PROGRESS_EVENTS) await store.append(ev);
    await store.close();
    const pane = e.tmux.launch(['resume', runId], e.dir);
    const screen = await listShown(pane, 3, 'the resumed run (on its rollback track)');
    const header = screen.split('\n')[0];
    expect(header).toMatch(/ \d\d:\d\d {2}6\/12 ✗1 w1 \?1 done · ↺ 1\/3 ✗1$/);
    // Every character of this line is one UTF-16 unit (· ✗ ↺ are in the BMP): length is columns.
    expect(header.length).toBeLessThanOrEqual(80);
    pane.key('q');
    expect(await pane.exitCode()).toBe(0);
  });
});

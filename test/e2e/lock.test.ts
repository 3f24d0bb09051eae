// One writer per run: a second runsheet on an open run says who holds it and shows a read-only
// view whose keys change nothing on disk; a lock left by a kill -9 is taken over.
import { readFileSync, existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { alive, tmuxAvailable, type Pane } from './tmux.js';
import { complaints, cursorOn, itemOnScreen, listShown, moveTo, screenItems, setupE2e, statusOnScreen, type E2e } from './harness.js';

const CHECKLIST = `version: 1
title: Lock test
phases:
  - title: Work
    items:
      - {title: Alpha}
      - {title: Bravo}
      - {title: Charlie, run: touch charlie.marker}
`;

/** The screen's text with wrapped lines joined, for sentences the UI may wrap. */
const flat = (s: string) =>
  s
    .split('\n')
    .map((l) => l.trim())
    .join(' ')
    .replace(/\s+/g, ' ');

/** The `?` overlay lists every warning in full (the status line may have to cut it short). */
async function helpText(pane: Pane): Promise<string> {
  await pane.press('?', (s) => s.includes('runsheet help'), 'the help overlay');
  const end = await pane.press('G', (s) => /(\d+)-(\d+) of \2\b/.test(s), 'the end of the help');
  await pane.press('?', (s) => !s.includes('runsheet help') && screenItems(s).length === 3, 'the help overlay to close');
  return flat(end);
}

describe.skipIf(!tmuxAvailable('test/e2e/lock.test.ts'))('two processes on one run (tmux)', () => {
  let e: E2e;
  beforeEach(async () => {
    e = await setupE2e();
    await e.checklist('lock.yaml', CHECKLIST);
  });
  afterEach(async () => e.cleanup());

  it('the second is read-only and says who holds the run; a dead holder’s lock is taken over', async () => {
    // Window A: the writer.
    const a = e.tmux.launch(['run', 'lock.yaml'], e.dir);
    await listShown(a, 3, 'window A');
    await moveTo(a, 'Alpha');
    await a.press('Space', statusOnScreen('Alpha', 'ticked'), 'A to tick Alpha');
    const runId = e.onlyRunId();
    const events = e.eventsPath(runId);
    const lockPath = join(e.home, 'runs', runId, 'lock');
    const aPid = a.pid();
    const lock = JSON.parse(readFileSync(lockPath, 'utf8')) as { pid: number; host: string; since: string };
    expect(lock).toMatchObject({ pid: aPid, host: hostname() });

    // Window B: `run FILE` offers to resume the open run (the default), and gets a read-only view.
    const b = e.tmux.launch(['run', 'lock.yaml'], e.dir);
    await b.waitFor((s) => s.includes(`An unfinished run of this checklist exists: ${runId}`), 'the resume question in B');
    b.key('Enter');
    const bScreen = await listShown(b, 3, 'B to open the run');
    expect(bScreen).toContain('READ-ONLY');
    expect(flat(bScreen)).toContain(`run is open in process ${aPid} on ${hostname()}`);
    expect(await helpText(b)).toContain(`run is open in process ${aPid} on ${hostname()} since ${lock.since}`);
    expect(itemOnScreen(bScreen, 'Alpha')?.status).toBe('ticked');

    // Keys that would write do nothing in B: the log is byte-for-byte unchanged.
    const before = readFileSync(events);
    await moveTo(b, 'Bravo');
    for (const key of ['Space', 'Enter', 's', 'n', 'g']) {
      await b.press(key, (s) => s.includes('read-only view'), `B to refuse ${key}`);
      expect(itemOnScreen(b.screen(), 'Bravo')?.status).toBe('pending');
    }
    await moveTo(b, 'Charlie');
    await b.press('Enter', (s) => s.includes('read-only view'), 'B to refuse running Charlie');
    // Keys are handled in order: once this move shows, every key above has been handled.
    await b.press('k', cursorOn('Bravo'), 'B cursor back to Bravo');
    expect(readFileSync(events).equals(before)).toBe(true);
    expect(existsSync(join(e.dir, 'charlie.marker'))).toBe(false);

    // Quitting B leaves A's lock alone, and A still writes.
    b.key('q');
    expect(await b.exitCode()).toBe(0);
    expect(JSON.parse(readFileSync(lockPath, 'utf8')).pid).toBe(aPid);
    await moveTo(a, 'Bravo');
    await a.press('Space', statusOnScreen('Bravo', 'ticked'), 'A to tick Bravo');
    expect(readFileSync(events).length).toBeGreaterThan(before.length);

    // kill -9 A: its lock stays behind, naming a dead process; the next runsheet takes it over.
    process.kill(aPid, 'SIGKILL');
    const deadline = Date.now() + 10_000;
    while (alive(aPid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(alive(aPid)).toBe(false);
    expect(JSON.parse(readFileSync(lockPath, 'utf8')).pid).toBe(aPid);

    const c = e.tmux.launch(['resume', runId], e.dir);
    const cScreen = await listShown(c, 3, 'C to open the run');
    expect(cScreen).not.toContain('READ-ONLY');
    expect(flat(cScreen)).toContain(`took over a stale lock left by process ${aPid}`);
    expect(JSON.parse(readFileSync(lockPath, 'utf8')).pid).toBe(c.pid());
    expect(itemOnScreen(cScreen, 'Bravo')?.status).toBe('ticked');
    // C writes: untick Alpha and it is on disk.
    await moveTo(c, 'Alpha');
    await c.press('Space', statusOnScreen('Alpha', 'pending'), 'C to untick Alpha');
    const st = e.status(runId);
    expect(st.items.map((i) => [i.title, i.status])).toEqual([
      ['Alpha', 'pending'],
      ['Bravo', 'ticked'],
      ['Charlie', 'pending'],
    ]);
    expect(complaints(st.warnings)).toEqual([]);
    c.key('q');
    expect(await c.exitCode()).toBe(0);
    // A clean quit releases the lock.
    expect(existsSync(lockPath)).toBe(false);
  });

  it('the read-only view follows what the writer does, within seconds', async () => {
    const a = e.tmux.launch(['run', 'lock.yaml'], e.dir);
    await listShown(a, 3, 'window A');
    await moveTo(a, 'Alpha');
    await a.press('Space', statusOnScreen('Alpha', 'ticked'), 'A to tick Alpha');
    const runId = e.onlyRunId();
    const b = e.tmux.launch(['resume', runId], e.dir);
    const bScreen = await listShown(b, 3, 'B to open the run read-only');
    expect(bScreen).toContain('READ-ONLY');
    expect(itemOnScreen(bScreen, 'Bravo')?.status).toBe('pending');

    // A ticks Bravo and runs Charlie; B, touching nothing, shows both.
    await moveTo(a, 'Bravo');
    await a.press('Space', statusOnScreen('Bravo', 'ticked'), 'A to tick Bravo');
    await moveTo(a, 'Charlie');
    await a.press('Enter', statusOnScreen('Charlie', 'passed'), 'A to run Charlie');
    await b.waitFor(statusOnScreen('Bravo', 'ticked'), 'B to show Bravo ticked', 10_000);
    await b.waitFor(statusOnScreen('Charlie', 'passed'), 'B to show Charlie passed', 10_000);
    expect(b.screen()).toContain('READ-ONLY');
    b.key('q');
    expect(await b.exitCode()).toBe(0);
    a.key('q');
  });
});

// kill -9 loses no acknowledged tick: over several rounds, tick items (waiting until each shows
// on screen — the acknowledgement), start a long command, kill -9 runsheet at a different moment
// each round, and reopen (`resume RUN_ID`, or `run FILE` whose default is to resume). Every tick
// shown before the kill is there on screen and in `status --json`, a command cut off shows as
// interrupted, and the event log still verifies.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { alive, descendants, tmuxAvailable, type Pane } from './tmux.js';
import { complaints, itemOnScreen, listShown, moveTo, screenItems, setupE2e, statusOnScreen, type E2e } from './harness.js';

const TITLES = ['Step 1', 'Step 2', 'Step 3', 'Step 4', 'Step 5', 'Long one', 'Long two', 'Long three'];
const CHECKLIST = `version: 1
title: Kill nine
phases:
  - title: Deploy
    items:
      - {title: Step 1}
      - {title: Step 2}
      - {title: Step 3}
      - {title: Step 4}
      - {title: Step 5}
      - {title: Long one, run: sleep 30}
      - {title: Long two, run: echo long two started; sleep 30}
      - {title: Long three, run: sleep 30}
`;

type Want = Record<string, string[]>; // title → statuses allowed (one, unless the kill raced a key)

describe.skipIf(!tmuxAvailable('test/e2e/kill-resume.test.ts'))('kill -9 mid-run, then resume (tmux)', () => {
  let e: E2e;
  beforeEach(async () => {
    e = await setupE2e();
    await e.checklist('kill.yaml', CHECKLIST);
  });
  afterEach(async () => e.cleanup());

  /** Opens the run: fresh, by `resume RUN_ID`, or by `run FILE` answering the resume question with its default. */
  async function open(how: 'fresh' | 'resume' | 'run-file', runId?: string): Promise<Pane> {
    const pane = e.tmux.launch(how === 'resume' ? ['resume', runId!] : ['run', 'kill.yaml'], e.dir);
    if (how === 'run-file') {
      const q = await pane.waitFor((s) => s.includes('An unfinished run of this checklist exists'), 'the resume question');
      expect(q).toContain(runId!);
      expect(q).toMatch(/> 1\. Resume it/); // the default
      pane.key('Enter');
    }
    await listShown(pane, TITLES.length);
    return pane;
  }

  /** Screen and `status --json` both show exactly what was acknowledged, and agree with each other. */
  function verify(pane: Pane, runId: string, want: Want): void {
    const screen = pane.screen();
    const onScreen = Object.fromEntries(screenItems(screen).map((i) => [i.title, i.status]));
    const st = e.status(runId); // throws unless `runsheet status` exits 0 (a broken chain exits 2)
    const onDisk = Object.fromEntries(st.items.map((i) => [i.title, i.status]));
    expect(onScreen, `screen:\n${screen}`).toEqual(onDisk);
    for (const t of TITLES) expect(want[t] ?? ['pending'], `${t} on disk`).toContain(onDisk[t]);
    expect(complaints(st.warnings)).toEqual([]);
    for (const i of st.items.filter((x) => x.status === 'interrupted')) expect(i.result).toMatch(/stopped while this was running/);
  }

  /** Space on a manual item, waiting until the screen shows it (acknowledged: it is on disk). */
  async function toggle(pane: Pane, title: string, to: 'ticked' | 'pending', want: Want): Promise<void> {
    await moveTo(pane, title);
    await pane.press('Space', statusOnScreen(title, to), `${title} ${to}`);
    want[title] = [to];
  }

  async function start(pane: Pane, title: string, want: Want, shows?: string): Promise<void> {
    await moveTo(pane, title);
    await pane.press('Enter', (s) => statusOnScreen(title, 'running')(s) && (!shows || s.includes(shows)), `${title} running`);
    want[title] = ['interrupted'];
  }

  async function kill9(pane: Pane): Promise<void> {
    const pid = pane.pid();
    e.strays.push(...descendants(pid)); // a kill -9 orphans the running command
    process.kill(pid, 'SIGKILL');
    expect(await pane.exitCode()).toBe(137);
    expect(alive(pid)).toBe(false);
  }

  it('keeps every tick shown before each kill, and marks cut-off commands interrupted', async () => {
    const want: Want = {};

    // Round 1: a tick, then killed while `sleep 30` runs.
    let pane = await open('fresh');
    const runId = e.onlyRunId();
    await toggle(pane, 'Step 1', 'ticked', want);
    await start(pane, 'Long one', want);
    await kill9(pane);

    // Round 2: `resume RUN_ID`; two more ticks, killed while idle.
    pane = await open('resume', runId);
    verify(pane, runId, want);
    expect(itemOnScreen(pane.screen(), 'Long one')?.status).toBe('interrupted');
    await toggle(pane, 'Step 2', 'ticked', want);
    await toggle(pane, 'Step 3', 'ticked', want);
    await kill9(pane);

    // Round 3: `run FILE` (resume is the default); an untick and a tick, then killed while a
    // command is printing.
    pane = await open('run-file', runId);
    verify(pane, runId, want);
    await toggle(pane, 'Step 2', 'pending', want);
    await toggle(pane, 'Step 4', 'ticked', want);
    await start(pane, 'Long two', want, 'long two started');
    await kill9(pane);

    // Round 4: one more tick, then killed the instant Enter is sent (the start may or may not
    // have been recorded: either way it is not lost half-way).
    pane = await open('resume', runId);
    verify(pane, runId, want);
    await toggle(pane, 'Step 5', 'ticked', want);
    await moveTo(pane, 'Long three');
    pane.key('Enter');
    want['Long three'] = ['pending', 'interrupted'];
    await kill9(pane);

    // Round 5: reopen once more and check everything, then quit normally.
    pane = await open('run-file', runId);
    verify(pane, runId, want);
    expect(want).toMatchObject({
      'Step 1': ['ticked'],
      'Step 2': ['pending'],
      'Step 3': ['ticked'],
      'Step 4': ['ticked'],
      'Step 5': ['ticked'],
      'Long one': ['interrupted'],
      'Long two': ['interrupted'],
    });
    pane.key('q');
    expect(await pane.exitCode()).toBe(0);

    // After a clean quit the plain-text status has no complaint either.
    const text = e.cli('status', runId);
    expect(text.status).toBe(0);
    expect(text.stdout).not.toMatch(/warning:/);
  });
});

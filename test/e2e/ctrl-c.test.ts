// Ctrl-C in the TUI stops the running command (its whole process group) and never quits the app.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { alive, argv, descendants, tmuxAvailable } from './tmux.js';
import { cursorOn, itemOnScreen, setupE2e, statusOnScreen, type E2e } from './harness.js';

const CHECKLIST = `version: 1
title: Stop test
phases:
  - title: Work
    items:
      - {title: Long wait, run: sleep 30}
      - {title: Next step}
`;

describe.skipIf(!tmuxAvailable('test/e2e/ctrl-c.test.ts'))('Ctrl-C while a command runs (tmux)', () => {
  let e: E2e;
  beforeEach(async () => {
    e = await setupE2e();
  });
  afterEach(async () => e.cleanup());

  it('stops `sleep 30` (item failed, stopped by the operator) and the app keeps running', async () => {
    await e.checklist('stop.yaml', CHECKLIST);
    const pane = e.tmux.launch(['run', 'stop.yaml'], e.dir);
    await pane.waitFor(cursorOn('Long wait'), 'the TUI');
    const pid = pane.pid();
    await pane.press('Enter', statusOnScreen('Long wait', 'running'), 'the command to run');
    // The screen shows "running" once item.started is on disk, which is just before the spawn.
    const until = Date.now() + 10_000;
    while (!descendants(pid).some((p) => argv(p)[0] === 'sleep') && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    const children = descendants(pid);
    expect(children.map((p) => argv(p)[0])).toContain('sleep');
    e.strays.push(...children);

    const screen = await pane.press('C-c', statusOnScreen('Long wait', 'failed'), 'the command to be stopped');
    expect(screen).toMatch(/stopped by the operator/);
    // The app is still there and still takes keys.
    expect(alive(pid)).toBe(true);
    await pane.press('j', cursorOn('Next step'), 'the cursor to move after Ctrl-C');
    expect(itemOnScreen(pane.screen(), 'Long wait')?.status).toBe('failed');
    // The command's process group is gone, not just the shell.
    const deadline = Date.now() + 10_000;
    while (children.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(children.filter(alive)).toEqual([]);

    const st = e.status(e.onlyRunId());
    expect(st.items.find((i) => i.title === 'Long wait')).toMatchObject({
      status: 'failed',
      result: expect.stringMatching(/stopped by the operator/),
    });
    expect(st.raw.status).toBe('active');

    pane.key('q');
    expect(await pane.exitCode()).toBe(0);
  });
});

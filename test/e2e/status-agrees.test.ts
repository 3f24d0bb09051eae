// What the screen shows and what `runsheet status RUN_ID --json` says agree item by item, after a
// mix of ticks, a passing command, a failing command and a skip with a reason.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tmuxAvailable } from './tmux.js';
import { complaints, cursorOn, screenItems, setupE2e, statusOnScreen, type E2e } from './harness.js';

const CHECKLIST = `version: 1
title: Agree
phases:
  - title: Checks
    items:
      - {title: Tick one}
      - {title: Passing cmd, run: echo all good}
      - {title: Failing cmd, run: exit 3}
      - {title: Skipped one}
      - {title: Tick two}
      - {title: Left pending}
`;

const EXPECTED: Record<string, string> = {
  'Tick one': 'ticked',
  'Passing cmd': 'passed',
  'Failing cmd': 'failed',
  'Skipped one': 'skipped',
  'Tick two': 'ticked',
  'Left pending': 'pending',
};

describe.skipIf(!tmuxAvailable('test/e2e/status-agrees.test.ts'))('status --json agrees with the screen (tmux)', () => {
  let e: E2e;
  beforeEach(async () => {
    e = await setupE2e();
  });
  afterEach(async () => e.cleanup());

  it('marks on screen and statuses on disk match item by item', async () => {
    await e.checklist('agree.yaml', CHECKLIST);
    const pane = e.tmux.launch(['run', 'agree.yaml'], e.dir);
    await pane.waitFor(cursorOn('Tick one'), 'the TUI');

    await pane.press('Space', statusOnScreen('Tick one', 'ticked'), 'the tick');
    await pane.press('j', cursorOn('Passing cmd'), 'the cursor');
    await pane.press('Enter', statusOnScreen('Passing cmd', 'passed'), 'the command to pass');
    await pane.press('j', cursorOn('Failing cmd'), 'the cursor');
    await pane.press('Enter', statusOnScreen('Failing cmd', 'failed'), 'the command to fail');
    await pane.press('j', cursorOn('Skipped one'), 'the cursor');
    await pane.press('s', (s) => /why\?/.test(s), 'the skip reason prompt');
    pane.text('not needed tonight');
    await pane.waitFor((s) => s.includes('not needed tonight'), 'the typed reason');
    await pane.press('Enter', statusOnScreen('Skipped one', 'skipped'), 'the skip');
    await pane.press('j', cursorOn('Tick two'), 'the cursor');
    await pane.press('Enter', statusOnScreen('Tick two', 'ticked'), 'Enter to tick a manual item');

    const screen = pane.screen();
    const onScreen = Object.fromEntries(screenItems(screen).map((i) => [i.title, i.status]));
    const st = e.status(e.onlyRunId());
    const onDisk = Object.fromEntries(st.items.map((i) => [i.title, i.status]));
    // Every item, both ways: the same set of items and the same status for each.
    expect(onScreen).toEqual(onDisk);
    // And both are what was done (so the two cannot agree on something wrong).
    expect(onDisk).toEqual(EXPECTED);
    expect(st.items.find((i) => i.title === 'Skipped one')?.reason).toBe('not needed tonight');
    expect(st.items.find((i) => i.title === 'Failing cmd')?.result).toMatch(/exit 3/);
    expect(complaints(st.warnings)).toEqual([]);
    // The overall count in the header agrees too.
    const progress = st.raw.progress as { done: number; total: number };
    expect(screen).toContain(`${progress.done}/${progress.total}`);

    pane.key('q');
    expect(await pane.exitCode()).toBe(0);
  });
});

// The built TUI in a real terminal (tmux): what ink-testing-library cannot see, because it
// renders whole frames, while a terminal gets Ink's incremental line-by-line redraws.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setupE2e, listShown, cursorOn, statusOnScreen, type E2e } from '../e2e/harness.js';
import { tmuxAvailable } from '../e2e/tmux.js';

const YAML = `version: 1
title: Redraw
phases:
  - title: First
    items:
      - {title: Alpha, id: alpha}
      - {title: Beta, id: beta}
      - {title: Gamma, id: gamma, run: 'echo gamma', check: true}
  - title: Second
    items:
      - {title: Delta, id: delta}
`;

describe.runIf(tmuxAvailable('the TUI terminal tests'))('the TUI in a real terminal (tmux, 80×24)', () => {
  let e: E2e;
  beforeEach(async () => {
    e = await setupE2e();
  });
  afterEach(async () => e.cleanup());

  /** Every screen line in its place: header once on top, the phase tabs right under it. */
  function expectWholeFrame(screen: string) {
    const lines = screen.split('\n');
    expect(lines[0]).toMatch(/^Redraw · env - · e2e(?: · \S+)? +\d\d:\d\d {2}\d+\/4 done/);
    expect(lines[1]).toMatch(/^ \[1 First \d\/3\]|^ {2}1 First/);
    expect(lines.filter((l) => l.startsWith('Redraw · env -'))).toHaveLength(1);
    expect(lines.filter((l) => /\[1 First|1 First \d/.test(l))).toHaveLength(1);
  }

  it('redraws in place: the clock, cursor moves and results never shift the frame or draw a line twice', async () => {
    await e.checklist('c.yaml', YAML);
    const pane = e.tmux.launch(['run', 'c.yaml'], e.dir);
    await listShown(pane, 3);
    // The elapsed-time tick is the first redraw that changes only the top line.
    await pane.waitFor((s) => /00:0[2-9] /.test(s.split('\n')[0]), 'the clock to tick twice');
    expectWholeFrame(pane.screen());
    await pane.press('j', cursorOn('Beta'), 'the cursor on Beta');
    await pane.press('Space', statusOnScreen('Beta', 'ticked'), 'Beta ticked');
    await pane.press('j', cursorOn('Gamma'), 'the cursor on Gamma');
    await pane.press('Enter', statusOnScreen('Gamma', 'passed'), 'Gamma passed');
    await pane.waitFor((s) => s.includes('Gamma: passed'), 'the result in the status line');
    expectWholeFrame(pane.screen());
    await pane.press('l', (s) => s.includes('[2 Second 0/1]'), 'phase Second');
    await pane.press('h', (s) => s.includes('[1 First 2/3]'), 'back on First');
    expectWholeFrame(pane.screen());
    // Nothing is drawn into the last column (the terminal's pending-wrap state would eat it).
    for (const l of pane.screen().split('\n')) expect([...l].length).toBeLessThan(80);
    await pane.press('q', (s) => s.includes('resume with: runsheet resume'), 'quit');
    expect(await pane.exitCode()).toBe(0);
  });

  it('follows a resize: a narrower, shorter window still shows the whole frame', async () => {
    await e.checklist('c.yaml', YAML);
    const pane = e.tmux.launch(['run', 'c.yaml'], e.dir);
    await listShown(pane, 3);
    e.tmux.tmux('resize-window', '-t', pane.target, '-x', '60', '-y', '15');
    await pane.waitFor((s) => s.split('\n').some((l) => /^── 1\/3 ─+$/.test(l) && [...l].length === 59), 'the frame redrawn 59 wide');
    expectWholeFrame(pane.screen());
    await pane.press('j', cursorOn('Beta'), 'keys still work');
  });
});

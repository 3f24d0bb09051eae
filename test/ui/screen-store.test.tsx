// The screen learns of change one way, through its store (src/ui/screen-store.ts): what the
// engine appends, the live output of a running command, a question a flow opens and a failed
// save all reach the frame with no key pressed. Each part of the screen subscribes to what it
// draws (the list, header and detail pane are memoised), so a part that stopped subscribing
// would stay stale here.
import { afterEach, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KEY, mount, openRun, rowOf, type RunFixture, type Screen } from './harness.js';

let runs: RunFixture[] = [];
let ui: Screen | undefined;
afterEach(async () => {
  ui?.unmount();
  ui = undefined;
  for (const r of runs.reverse()) await r.cleanup();
  runs = [];
});

async function open(yaml: string) {
  const run = await openRun(yaml);
  runs.push(run);
  return run;
}

const TWO = `version: 1
title: Store
phases:
  - title: First
    items:
      - {title: Alpha, id: alpha}
      - {title: Bravo, id: bravo}
  - title: Second
    items:
      - {title: Charlie, id: charlie}
`;

describe('the screen redraws from its store, with no key pressed', () => {
  it('an event the engine appends shows in the list, the header, the phase tab and the detail pane', async () => {
    const run = await open(TWO);
    ui = await mount(run);
    const before = ui.frame();
    expect(rowOf(before, 'Alpha')).toContain('[ ]');
    expect(before).toContain('0/3 done');
    expect(before).toContain('1 First 0/2');
    // Not through a key: straight to the engine, as a flow or another front end would.
    await run.session.engine.tick('alpha');
    const f = await ui.waitFor((x) => rowOf(x, 'Alpha').includes('[x]'), 'the tick in the list');
    expect(f).toContain('1/3 done');
    expect(f).toContain('1 First 1/2');
    expect(f).toMatch(/Alpha · manual · ticked/);
  });

  it('a running command’s output reaches the detail pane as it comes', async () => {
    const run = await open(`version: 1
title: Live
phases:
  - title: P
    items:
      - {title: Talk, id: talk, run: 'echo first-line; while [ ! -f go ]; do sleep 0.02; done; echo second-line'}
      - {title: Quiet, id: quiet}
`);
    ui = await mount(run);
    // The first line is printed after item.started is recorded: only the live output brings it.
    await ui.press(KEY.enter, (f) => /running 00:\d\d · Ctrl-C stops\nfirst-line/.test(f), 'the live output');
    // (Commands run in the checklist's directory.)
    await writeFile(join(run.dir, 'go'), '');
    await ui.waitFor((f) => rowOf(f, 'Talk').includes('[✓]') && f.includes('second-line'), 'the end, with its output');
  });

  it('a question a flow opens shows at once, and its answer goes back to the flow', async () => {
    const run = await open(`version: 1
title: Ask
phases:
  - title: P
    items:
      - {title: Alpha, id: alpha}
`);
    ui = await mount(run);
    // The engine asks for a manual metric's value mid-run; the screen answers with a dialog.
    const asked = run.session.engine.askNumber?.('How many rows were copied?', 'rows');
    expect(asked).toBeDefined();
    await ui.waitFor((f) => f.includes('How many rows were copied? (rows)'), 'the question');
    await ui.press('1,250');
    await ui.press(KEY.enter, (f) => !f.includes('How many rows'), 'the question to close');
    expect(await asked).toBe(1250);
  });

  it('a save that fails is on the status line at once', async () => {
    const run = await open(TWO);
    ui = await mount(run);
    run.session.engine.view.setState({ error: 'ENOSPC: no space left on device' });
    await ui.waitFor((f) => f.includes('save failed: ENOSPC: no space left on device'), 'the failed save');
  });

  it('keys change the store one by one: a cursor move, a phase change and a filter each redraw', async () => {
    const run = await open(TWO);
    ui = await mount(run);
    await ui.press('j', (f) => rowOf(f, 'Bravo').startsWith('>'), 'the cursor on Bravo');
    await ui.press('l', (f) => rowOf(f, 'Charlie').startsWith('>'), 'the second phase');
    await ui.press('h', (f) => rowOf(f, 'Bravo').startsWith('>'), 'back, the cursor where it was');
    await ui.press('/');
    await ui.press('alp');
    await ui.press(KEY.enter, (f) => f.includes('/alp') && !rowOf(f, 'Bravo'), 'the filter');
  });
});

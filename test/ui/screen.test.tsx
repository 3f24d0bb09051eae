// The screen as a whole: fits the terminal, reads without colour, scrolls long lists drawing only
// what is visible, stays live under an output flood, and handles resume and read-only runs.
import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { KEY, mount, openRun, plain, rowOf, types, type RunFixture, type Screen } from './harness.js';
import { LEGEND, statusMark } from '../../src/ui/theme.js';

const YAML = `version: 1
title: A checklist title long enough to need shortening on a narrow terminal
phases:
  - title: Preflight checks before the change
    signoff: [Release Owner]
    sections:
      - title: A section with a rather long title for its heading line
        items:
          - {title: Echo with a long title that will not fit on one line of a narrow screen, id: echo, run: 'echo hello; echo a-much-longer-line-of-output-that-goes-past-the-edge-of-any-narrow-terminal-window', check: true, notes: 'Notes that are long enough to wrap onto a second line in the detail pane, and then some more words.'}
          - {title: Exit three, id: exit3, run: 'exit 3', check: true, critical: true}
          - {title: Tick me, id: tickme}
          - {title: Skip me, id: skipme}
          - {title: Record me, id: recordme, record: number, unit: ms}
          - {title: Accept me, id: acceptme, run: 'exit 1', check: true}
          - {title: Long, id: long, run: 'sleep 30'}
  - title: Release
    items:
      - {title: Later, id: later}
  - title: Verify with a long phase title
    items:
      - {title: Even later, id: evenlater}
rollback:
  items:
    - {title: Undo, id: undo, run: 'echo undo'}
`;

let runs: RunFixture[] = [];
let ui: Screen | undefined;
afterEach(async () => {
  ui?.unmount();
  for (const r of runs.reverse()) await r.cleanup();
  runs = [];
});

async function open(yaml = YAML, env?: Record<string, string>) {
  const run = await openRun(yaml, { env });
  runs.push(run);
  return run;
}

/** Puts items into most statuses through the keys. */
async function exercise(s: Screen) {
  await s.press(KEY.enter, (f) => rowOf(f, 'Echo').includes('[✓]'), 'passed');
  await s.press('j');
  await s.press(KEY.enter, (f) => rowOf(f, 'Exit three').includes('[✗]'), 'failed');
  await s.press('j');
  await s.press(' ', (f) => rowOf(f, 'Tick me').includes('[x]'), 'ticked');
  await s.press('j');
  await s.press('s', (f) => f.includes('why?'), 'skip');
  await s.press('no time');
  await s.press(KEY.enter, (f) => rowOf(f, 'Skip me').includes('[-]'), 'skipped');
  await s.press('j');
  await s.press(KEY.enter, (f) => f.includes('a number in ms'), 'record');
  await s.press('1,250');
  await s.press(KEY.enter, (f) => rowOf(f, 'Record me').includes('[=]'), 'recorded');
  await s.press('j');
  await s.press(KEY.enter, (f) => rowOf(f, 'Accept me').includes('[✗]'), 'failed');
  await s.press('A', (f) => f.includes('why?'), 'accept');
  await s.press('known');
  await s.press(KEY.enter, (f) => rowOf(f, 'Accept me').includes('[!]'), 'overridden');
}

function expectFits(frame: string, columns: number, rows: number, what: string) {
  const lines = frame.split('\n');
  // One row is left free and the last column unused, so the terminal never scrolls or wraps.
  expect(lines.length, `${what}: ${lines.length} lines`).toBeLessThanOrEqual(rows - 1);
  for (const l of lines) expect([...l].length, `${what}: "${l}"`).toBeLessThanOrEqual(columns - 1);
}

describe('layout', () => {
  for (const [columns, rows] of [
    [80, 24],
    [60, 15],
  ]) {
    it(`at ${columns}×${rows} every frame fits: no line wider than the terminal, no more lines than rows`, async () => {
      const run = await open();
      ui = await mount(run, { columns, rows });
      const check = (what: string) => expectFits(ui!.frame(), columns, rows, what);
      check('start');
      expect(ui.lines()[0]).toMatch(/^A checklist title.*0\/9 done$/);
      expect(ui.lines()[1]).toContain('[1 Preflight');
      await exercise(ui);
      check('after work');
      await ui.press('j');
      await ui.press(KEY.enter, (f) => f.includes('running 00:0'), 'running');
      check('running');
      await ui.press('q', (f) => f.includes('Quit and…'), 'quit question');
      check('choice dialog');
      await ui.press(KEY.esc, (f) => f.includes('still here'), 'stayed');
      await ui.press(KEY.ctrlC, (f) => rowOf(f, 'Long').includes('[✗]'), 'stopped');
      await ui.press('g', (f) => f.includes('Why sign off'), 'reason dialog');
      check('text dialog');
      await ui.press(KEY.esc, (f) => f.includes('cancelled'), 'cancelled');
      await ui.press('?', (f) => f.includes('runsheet help'), 'help');
      check('help');
      await ui.press('q', (f) => !f.includes('runsheet help'), 'closed');
      await ui.press('l', (f) => f.includes('Why move on?'), 'move question');
      await ui.press('x');
      await ui.press(KEY.enter, (f) => f.includes('[2 Release'), 'phase 2');
      check('phase 2');
    });
  }

  it('the header keeps elapsed time and progress and shortens the title and run id first', async () => {
    const run = await open();
    ui = await mount(run, { columns: 60, rows: 15 });
    const head = ui.lines()[0];
    expect(head).toMatch(/^A checklist title long [a-z ]+… · env - · ann +00:0\d {2}0\/9 done$/);
    ui.unmount();
    ui = await mount(run, { columns: 110, rows: 24 });
    const id = run.session.runId;
    expect(ui.lines()[0]).toContain(`· ann · ${id.slice(0, 16)}`);
    expect(ui.lines()[0]).toMatch(new RegExp(`…${id.slice(-5)} +00:0\\d {2}0/9 done$`));
    ui.unmount();
    ui = await mount(run, { columns: 200, rows: 24 });
    expect(ui.lines()[0]).toMatch(
      new RegExp(`^A checklist title long enough to need shortening on a narrow terminal · env - · ann · ${id} +00:0\\d {2}0/9 done$`),
    );
  });
});

describe('colour', () => {
  it('NO_COLOR: no colour codes in any frame, and every status still has its own mark', async () => {
    const run = await open();
    ui = await mount(run, { color: false });
    await exercise(ui);
    await ui.press('?', (f) => f.includes('runsheet help'), 'help');
    // eslint-disable-next-line no-control-regex -- ESC is what NO_COLOR must keep out
    for (const frame of ui.stdout.frames) expect(frame).not.toMatch(/\x1b\[/);
    await ui.press(KEY.esc, (f) => !f.includes('runsheet help'), 'closed');
    const marks = ['Echo', 'Exit three', 'Tick me', 'Skip me', 'Record me', 'Accept me', 'Long'].map(
      (t) => rowOf(ui!.frame(), t).match(/\[.\]/)![0],
    );
    expect(new Set(marks).size).toBe(marks.length);
    expect(new Set(LEGEND.map(([st]) => statusMark(st).mark)).size).toBe(LEGEND.length);
  });

  it('with colour on, statuses are coloured (so the NO_COLOR test above can fail)', async () => {
    const run = await open();
    ui = await mount(run, { color: true });
    await ui.press(KEY.enter, (f) => rowOf(f, 'Echo').includes('[✓]'), 'passed');
    // eslint-disable-next-line no-control-regex -- the colour code itself
    expect(ui.raw()).toMatch(/\x1b\[32m/); // green
  });
});

describe('long lists', () => {
  const many = (n: number) =>
    `version: 1\ntitle: Many\nphases:\n  - title: Lots\n    items:\n${Array.from({ length: n }, (_, i) => `      - {title: Item ${i + 1}, id: item-${i + 1}}\n`).join('')}`;

  it('a 500-item phase draws only the rows that fit and keeps the cursor visible after 300 j', async () => {
    const run = await open(many(500));
    ui = await mount(run, { columns: 80, rows: 24 });
    const itemRows = () => ui!.lines().filter((l) => /\[.\] Item \d+/.test(l));
    expect(itemRows().length).toBeLessThanOrEqual(11);
    expect(ui.lines().length).toBeLessThanOrEqual(23);
    for (let i = 0; i < 150; i++) await ui.press('j');
    // …and 150 more arriving in one read.
    await ui.press('j'.repeat(150), (f) => f.includes('── 301/500'), 'cursor on 301');
    expect(rowOf(ui.frame(), 'Item 301')).toMatch(/^> \[ \] Item 301 /);
    expect(itemRows().length).toBeLessThanOrEqual(11);
    expect(ui.frame()).not.toContain('Item 1 ');
    expect(ui.lines().length).toBeLessThanOrEqual(23);
    await ui.press(' ', (f) => rowOf(f, 'Item 301').includes('[x]'), 'ticked 301');
    expect(run.events().at(-1)).toMatchObject({ type: 'item.ticked', item: 'item-301' });
  });
});

describe('live output', () => {
  it('stays responsive while a command floods output, showing the tail as it comes', async () => {
    const run = await open(
      `version: 1\ntitle: Flood\nphases:\n  - title: P\n    items:\n      - {title: Flood, id: flood, run: 'while :; do echo flood-line-with-some-text; done'}\n      - {title: Other, id: other}\n`,
    );
    ui = await mount(run);
    // The command line itself shows the text too: wait for the output lines under "running".
    await ui.press(KEY.enter, (f) => /running 00:\d\d · Ctrl-C stops\nflood-line-with-some-text/.test(f), 'live tail');
    await ui.press('j', (f) => rowOf(f, 'Other').startsWith('>'), 'cursor moved during the flood');
    await ui.press(
      'k',
      (f) => rowOf(f, 'Flood').startsWith('>') && /running 00:\d\d · Ctrl-C stops\nflood-line/.test(f),
      'back on the flood',
    );
    await ui.press(KEY.ctrlC, (f) => rowOf(f, 'Flood').includes('[✗]'), 'stopped');
    expect(run.events().at(-1)).toMatchObject({ type: 'item.failed', item: 'flood' });
  });

  it('masks secrets in the command shown and in its output', async () => {
    const run = await open(
      `version: 1\ntitle: Secret\nsecrets: [API_TOKEN]\nphases:\n  - title: P\n    items:\n      - {title: Use token, id: use, run: 'echo token is \${API_TOKEN}', check: true}\n`,
      { API_TOKEN: 's3cr3t-value-42' },
    );
    ui = await mount(run);
    // The command holds a reference to the secret, never its value (the shell expands it).
    expect(ui.frame()).toContain('$ echo token is "${API_TOKEN}"');
    await ui.press(KEY.enter, (f) => rowOf(f, 'Use token').includes('[✓]'), 'passed');
    await ui.press('o', (f) => f.includes('output of Use token'), 'pager');
    for (const frame of ui.stdout.frames) expect(plain(frame)).not.toContain('s3cr3t-value-42');
  });
});

describe('resume and read-only', () => {
  const yaml = `version: 1\ntitle: Resume\nphases:\n  - title: P\n    items:\n      - {title: Migrate, id: migrate, run: 'echo migrated'}\n      - {title: Probe, id: probe, run: 'echo probed', check: true}\n`;

  async function crashedRun() {
    const first = await open(yaml);
    // What a crash (kill -9) leaves behind: items started, never finished.
    await first.session.store.append({ type: 'item.started', item: 'migrate', attempt: 1, command: 'echo migrated' });
    await first.session.store.append({ type: 'item.started', item: 'probe', attempt: 1, command: 'echo probed' });
    await first.session.close();
    const again = await openRun(yaml, { resumeId: first.session.runId, dir: first.dir });
    runs.push(again);
    return again;
  }

  it('an interrupted action is never re-run on its own: Enter asks finished / failed / run again, and records the answer', async () => {
    const run = await crashedRun();
    ui = await mount(run);
    expect(rowOf(ui.frame(), 'Migrate')).toContain('[?]');
    await ui.press(
      KEY.enter,
      (f) => /"Migrate" was interrupted while running. Did it finish, fail, or should it run\s+again\?/.test(f),
      'question',
    );
    expect(ui.frame()).toMatch(/It finished successfully \(f\)[\s\S]*It failed \(x\)[\s\S]*Run it again \(r\)/);
    await ui.press('f', (f) => f.includes('How do you know?'), 'why');
    await ui.press('migration table has the new column');
    await ui.press(KEY.enter, (f) => rowOf(f, 'Migrate').includes('[✓]'), 'resolved as passed');
    expect(run.events().at(-1)).toMatchObject({
      type: 'item.resolved',
      item: 'migrate',
      outcome: 'passed',
      reason: 'migration table has the new column',
    });
    expect(types(run).filter((t) => t === 'item.started')).toHaveLength(2); // nothing ran
    expect(ui.frame()).toContain('the operator answered: passed');
  });

  it('"run it again" re-runs the interrupted action after the answer; an interrupted check simply re-runs', async () => {
    const run = await crashedRun();
    ui = await mount(run);
    await ui.press(KEY.enter, (f) => f.includes('was interrupted'), 'question');
    await ui.press('r', (f) => f.includes('How do you know?'), 'why');
    await ui.press('no trace of it in the logs');
    await ui.press(KEY.enter, (f) => rowOf(f, 'Migrate').includes('[✓]'), 'ran again');
    await ui.press('j');
    expect(rowOf(ui.frame(), 'Probe')).toContain('[?]');
    await ui.press(KEY.enter, (f) => rowOf(f, 'Probe').includes('[✓]'), 'check re-ran');
    expect(
      run
        .events()
        .filter((e) => e.type === 'item.started')
        .map((e) => (e as { item: string }).item),
    ).toEqual(['migrate', 'probe', 'migrate', 'probe']);
  });

  it('a run open in another process is shown read-only: the warning is on screen and nothing is written', async () => {
    const writer = await open(yaml);
    await writer.session.close();
    // Another live process holds the run's lock.
    const holder = spawn('sleep', ['60'], { stdio: 'ignore' });
    try {
      await writeFile(
        join(writer.session.store.dir, 'lock'),
        JSON.stringify({ pid: holder.pid, host: hostname(), since: '2026-11-23T10:00:00.000Z' }),
      );
      const reader = await openRun(yaml, { resumeId: writer.session.runId, dir: writer.dir });
      runs.push(reader);
      expect(reader.session.store.readOnly).toBe(true);
      ui = await mount(reader);
      expect(ui.frame()).toContain('[READ-ONLY]');
      expect(ui.frame()).toContain(`READ-ONLY: run is open in process ${holder.pid} on ${hostname()}`);
      const before = reader.events().length;
      await ui.press(KEY.enter, (f) => f.includes('read-only view: this run is open in another process'), 'refused');
      await ui.press('j');
      await ui.press(' ', () => true);
      await ui.press('q', () => ui!.exits.length > 0, 'quit');
      expect(reader.events()).toHaveLength(before);
      expect(ui.frame()).not.toMatch(/Enter run|Space tick/);
    } finally {
      holder.kill();
    }
  });
});

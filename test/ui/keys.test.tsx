// Every key of the run screen, end to end through a real engine: the key, the engine call, the
// event durably in events.jsonl, and the frame showing it.
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { KEY, mount, openRun, rowOf, types, type RunFixture, type Screen } from './harness.js';

const YAML = `version: 1
title: Keys
phases:
  - title: One
    signoff: [Lead, Ops]
    sections:
      - title: Checks
        items:
          - {title: Echo, id: echo, run: 'echo hello-from-echo', check: true}
          - {title: Exit three, id: exit3, run: "sh -c 'echo broken >&2; exit 3'", check: true, critical: true}
          - {title: Numbers, id: numbers, run: 'seq 1 500', check: true}
      - title: Work
        items:
          - {title: Tick me, id: tickme}
          - {title: Deploy, id: deploy, run: 'echo deployed', confirm: true}
          - {title: Window start, id: window, record: time}
          - {title: Long, id: long, run: 'sleep 30'}
  - title: Two
    items:
      - {title: Later, id: later}
rollback:
  items:
    - {title: Undo, id: undo, run: 'echo undo'}
`;

let run: RunFixture;
let ui: Screen;
afterEach(async () => {
  ui?.unmount();
  await run?.cleanup();
});

async function open(yaml = YAML, o: Parameters<typeof mount>[1] = {}) {
  run = await openRun(yaml);
  ui = await mount(run, o);
  return ui;
}

/** Moves the cursor down to the item titled `title` (in the current phase). */
async function goTo(title: string) {
  for (let i = 0; i < 50 && !rowOf(ui.frame(), title).startsWith('>'); i++) await ui.press('j');
  expect(rowOf(ui.frame(), title)).toMatch(/^>/);
}

describe('moving around', () => {
  it('j/k and ↓/↑ move the cursor; l, →, Tab go to the next phase and h, ←, Shift-Tab back', async () => {
    await open();
    expect(rowOf(ui.frame(), 'Echo')).toMatch(/^> \[ \] Echo/);
    await ui.press('j');
    expect(rowOf(ui.frame(), 'Exit three')).toMatch(/^>/);
    await ui.press(KEY.down);
    expect(rowOf(ui.frame(), 'Numbers')).toMatch(/^>/);
    await ui.press('k');
    await ui.press(KEY.up);
    expect(rowOf(ui.frame(), 'Echo')).toMatch(/^>/);
    for (const [next, back] of [
      ['l', 'h'],
      [KEY.right, KEY.left],
      [KEY.tab, KEY.shiftTab],
    ]) {
      await ui.press(next, (f) => f.includes('[2 Two 0/1]'), 'phase Two');
      expect(ui.frame()).toContain('> [ ] Later');
      await ui.press(back, (f) => f.includes('[1 One 0/7]'), 'phase One');
    }
  });

  it('applies keys that arrive together one by one: "jjj" moves three rows, "j⏎" runs the item it moved to', async () => {
    await open();
    await ui.press('jjj', (f) => rowOf(f, 'Tick me').startsWith('>'), 'three rows down');
    await ui.press('kkk', (f) => rowOf(f, 'Echo').startsWith('>'), 'back up');
    await ui.press('j\r', (f) => rowOf(f, 'Exit three').includes('[✗]'), 'Exit three failed');
    expect(run.session.engine.state.items.echo).toBeUndefined();
  });

  it('phase moves typed ahead apply in order: "lll" and "\\t\\t" move as many phases as keys, then "hh" back', async () => {
    const phases = Array.from({ length: 6 }, (_, i) => `  - title: P${i + 1}\n    items:\n      - {title: Item ${i + 1}}`).join('\n');
    await open(`version: 1\ntitle: Phases\nphases:\n${phases}\n`);
    const tab = (f: string) => /\[(\d) P/.exec(f.split('\n')[1])?.[1];
    await ui.press('lll', (f) => tab(f) === '4' && rowOf(f, 'Item 4').startsWith('>'), 'phase 4');
    await ui.press('\t\t', (f) => tab(f) === '6', 'phase 6');
    await ui.press('hh', (f) => tab(f) === '4', 'back to phase 4');
  });

  it('a question and its typed-ahead answer in one read: "s", the reason and Enter skip the item', async () => {
    await open();
    await ui.press('snot needed\r', (f) => rowOf(f, 'Echo').includes('[-]'), 'skipped');
    expect(run.events().at(-1)).toMatchObject({ type: 'item.skipped', item: 'echo', reason: 'not needed' });
  });

  it('a text field edits like a shell line: ←/→, Home/End, Backspace and Ctrl-W work at the cursor', async () => {
    await open();
    await ui.press('n', (f) => f.includes('Note on "Echo":'), 'note prompt');
    await ui.press('helo', (f) => f.includes('> helo▏'), 'typed');
    await ui.press(KEY.left, (f) => f.includes('> hel▏o'), 'cursor left');
    await ui.press('l', (f) => f.includes('> hell▏o'), 'inserted at the cursor');
    await ui.press('\x1b[H', (f) => f.includes('> ▏hello'), 'Home');
    await ui.press('x', (f) => f.includes('> x▏hello'), 'inserted at the start');
    await ui.press('\x1b[F', (f) => f.includes('> xhello▏'), 'End');
    await ui.press(' world', (f) => f.includes('> xhello world▏'), 'typed at the end');
    await ui.press('\x17', (f) => f.includes('> xhello ▏'), 'Ctrl-W deleted the word before the cursor');
    await ui.press(KEY.left, (f) => f.includes('> xhello▏ '), 'left');
    await ui.press(KEY.backspace, (f) => f.includes('> xhell▏ '), 'Backspace deleted before the cursor');
    await ui.press(KEY.right, (f) => f.includes('> xhell ▏'), 'right');
    await ui.press(KEY.enter, (f) => f.includes('note added'), 'note added');
    expect(run.events().at(-1)).toMatchObject({ type: 'note', text: 'xhell' }); // notes are trimmed
  });

  it('a pasted block with line breaks goes into the field whole (breaks as spaces); none of it runs as commands', async () => {
    await open();
    await ui.press('n', (f) => f.includes('Note on "Echo":'), 'note prompt');
    await ui.press('first line\rq\r\rjjj', (f) => f.includes('first line q jjj'), 'the pasted lines in the field');
    expect(run.events().at(-1)?.type).not.toBe('note');
    await ui.press('\r', (f) => f.includes('note added'), 'note added');
    expect(run.events().at(-1)).toMatchObject({ type: 'note', text: 'first line q jjj' });
    // A paste that ends in a line break answers with all of it.
    await ui.press('n', (f) => f.includes('Note on "Echo":'), 'note prompt');
    await ui.press('two\rlines\r', () => run.events().filter((e) => e.type === 'note').length === 2, 'second note added');
    expect(run.events().at(-1)).toMatchObject({ type: 'note', text: 'two lines' });
    expect(ui.exits).toEqual([]);
    expect(rowOf(ui.frame(), 'Echo')).toMatch(/^>/);
  });
});

describe('acting on items', () => {
  it('Enter runs a command and shows its result, output and exit code', async () => {
    await open();
    await ui.press(KEY.enter, (f) => rowOf(f, 'Echo').includes('[✓]'), 'Echo passed');
    expect(types(run)).toEqual(['run.started', 'item.started', 'item.passed']);
    const f = ui.frame();
    expect(f).toContain('$ echo hello-from-echo');
    expect(f).toContain('hello-from-echo');
    expect(f).toMatch(/last: passed · exit 0 · \d+ms/);
    await ui.press('j');
    await ui.press(KEY.enter, (fr) => rowOf(fr, 'Exit three').includes('[✗]'), 'Exit three failed');
    expect(run.events().at(-1)).toMatchObject({ type: 'item.failed', item: 'exit3', result: { exitCode: 3 } });
    expect(ui.frame()).toMatch(/last: failed · exit 3 \(expected 0\)/);
    expect(ui.frame()).toContain('broken');
  });

  it('Space ticks a manual item: item.ticked is on disk before any frame shows it ticked; Space again unticks', async () => {
    await open();
    await goTo('Tick me');
    const onDiskWhenShown: boolean[] = [];
    const write = ui.stdout.write;
    ui.stdout.write = (frame: string) => {
      if (/\[x\] Tick me/.test(frame)) onDiskWhenShown.push(readFileSync(run.eventsPath, 'utf8').includes('"item.ticked"'));
      write(frame);
    };
    await ui.press(' ', (f) => rowOf(f, 'Tick me').includes('[x]'), 'ticked');
    expect(onDiskWhenShown.length).toBeGreaterThan(0);
    expect(onDiskWhenShown.every(Boolean)).toBe(true);
    await ui.press(' ', (f) => rowOf(f, 'Tick me').includes('[ ]'), 'unticked');
    expect(types(run).slice(-2)).toEqual(['item.ticked', 'item.unticked']);
  });

  it('Enter on a manual item ticks it; on a record item it asks for the value and validates it', async () => {
    await open();
    await goTo('Tick me');
    await ui.press(KEY.enter, (f) => rowOf(f, 'Tick me').includes('[x]'), 'ticked');
    await goTo('Window start');
    await ui.press(KEY.enter, (f) => f.includes('Window start (Enter for now, HH:MM or an ISO time):'), 'record prompt');
    await ui.press('25:99');
    await ui.press(KEY.enter, (f) => f.includes('is not a time'), 'validation error');
    await ui.press(KEY.ctrlU);
    await ui.press('09:58');
    await ui.press(KEY.enter, (f) => rowOf(f, 'Window start').includes('[=]'), 'recorded');
    expect(run.events().at(-1)).toMatchObject({ type: 'item.recorded', item: 'window', value: '09:58' });
    expect(ui.frame()).toContain('value: 09:58');
  });

  it('a confirm: true item asks first: n runs nothing, y runs it', async () => {
    await open();
    await goTo('Deploy');
    await ui.press(KEY.enter, (f) => f.includes('Run "Deploy"?'), 'confirmation');
    await ui.press('n', (f) => f.includes('cancelled: nothing ran'), 'cancelled');
    expect(types(run)).not.toContain('item.started');
    await ui.press(KEY.enter, (f) => f.includes('Run "Deploy"?'), 'confirmation');
    await ui.press('y', (f) => rowOf(f, 'Deploy').includes('[✓]'), 'Deploy passed');
    expect(
      run
        .events()
        .filter((e) => e.type === 'item.started')
        .map((e) => (e as { item: string }).item),
    ).toEqual(['deploy']);
  });

  it('s skips with a reason (an empty reason is refused)', async () => {
    await open();
    await ui.press('s', (f) => f.includes('Skip "Echo": why?'), 'skip prompt');
    await ui.press(KEY.enter, (f) => f.includes('the reason cannot be empty'), 'empty refused');
    await ui.press('not on this host');
    await ui.press(KEY.enter, (f) => rowOf(f, 'Echo').includes('[-]'), 'skipped');
    expect(run.events().at(-1)).toMatchObject({ type: 'item.skipped', item: 'echo', reason: 'not on this host' });
    expect(ui.frame()).toContain('reason: not on this host');
  });

  it('n adds a note to the selected item', async () => {
    await open();
    await ui.press('n', (f) => f.includes('Note on "Echo":'), 'note prompt');
    await ui.press('paged the DBA');
    await ui.press(KEY.enter, (f) => f.includes('note: paged the DBA'), 'note shown');
    expect(run.events().at(-1)).toMatchObject({ type: 'note', item: 'echo', text: 'paged the DBA' });
  });

  it('r re-runs a check at once, and asks before re-running an action', async () => {
    await open();
    await ui.press(KEY.enter, (f) => rowOf(f, 'Echo').includes('[✓]'), 'Echo passed');
    await ui.press('r', (f) => f.includes('attempt 2'), 'second attempt');
    await ui.waitFor(() => run.events().filter((e) => e.type === 'item.passed').length === 2, 'second pass');
    await goTo('Deploy');
    await ui.press(KEY.enter, (f) => f.includes('Run "Deploy"?'), 'confirmation');
    await ui.press('y', (f) => rowOf(f, 'Deploy').includes('[✓]'), 'Deploy passed');
    await ui.press('r', (f) => f.includes('"Deploy" is an action that already ran (passed). Run it again?'), 're-run question');
    await ui.press('y', (f) => f.includes('attempt 2'), 'Deploy again');
    expect(
      run
        .events()
        .filter((e) => e.type === 'item.started' && e.item === 'deploy')
        .map((e) => (e as { attempt: number }).attempt),
    ).toEqual([1, 2]);
  });

  it('a runs every check of the section in parallel and never an action', async () => {
    await open();
    await ui.press(
      'a',
      (f) => ['Echo', 'Numbers'].every((t) => rowOf(f, t).includes('[✓]')) && rowOf(f, 'Exit three').includes('[✗]'),
      'all three checks done',
    );
    expect(ui.frame()).toContain('3 check(s): 2 passed, 1 failed');
    await goTo('Deploy');
    await ui.press('a', (f) => f.includes('no checks to run in this section'), 'refused');
    const started = run.events().flatMap((e) => (e.type === 'item.started' ? [e.item] : []));
    expect(started.sort()).toEqual(['echo', 'exit3', 'numbers']);
  });

  it('a leaves out a check that asks for confirmation and says so; Enter runs it after asking', async () => {
    await open(`version: 1
title: Confirm check
phases:
  - title: One
    items:
      - {title: Plain, id: plain, run: 'echo plain', check: true}
      - {title: Guarded, id: guarded, run: 'echo guarded', check: true, confirm: true}
`);
    await ui.press('a', (f) => f.includes('1 check(s): 1 passed, 0 failed · 1 left out: they ask for confirmation'), 'bulk run done');
    expect(run.events().flatMap((e) => (e.type === 'item.started' ? [e.item] : []))).toEqual(['plain']);
    await goTo('Guarded');
    await ui.press(KEY.enter, (f) => f.includes('Run "Guarded"?'), 'asks');
    await ui.press('y', (f) => rowOf(f, 'Guarded').includes('[✓]'), 'Guarded passed');
  });

  it('A accepts a failed item with a reason, recorded as an override', async () => {
    await open();
    await ui.press('A', (f) => f.includes('only a failed or warning item can be accepted'), 'refused on pending');
    await ui.press('j');
    await ui.press(KEY.enter, (f) => rowOf(f, 'Exit three').includes('[✗]'), 'failed');
    await ui.press('A', (f) => f.includes('Accept the failure of "Exit three"'), 'accept prompt');
    await ui.press('known flaky, INC-42');
    await ui.press(KEY.enter, (f) => rowOf(f, 'Exit three').includes('[!]'), 'overridden');
    expect(run.events().at(-1)).toMatchObject({ type: 'override', kind: 'failed-accepted', item: 'exit3', reason: 'known flaky, INC-42' });
  });

  it('o opens the full output in a pager that scrolls (g/G, PgDn) and closes with q', async () => {
    await open();
    await goTo('Numbers');
    await ui.press(KEY.enter, (f) => rowOf(f, 'Numbers').includes('[✓]'), 'Numbers passed');
    await ui.press('o', (f) => f.includes('output of Numbers'), 'pager');
    expect(ui.frame()).toMatch(/output of Numbers · \d+-500 of 500/);
    expect(ui.lines()).toContain('500');
    await ui.press('g', (f) => f.includes('· 1-'), 'top');
    expect(ui.lines()).toContain('1');
    await ui.press(KEY.pageDown, (f) => !f.includes('· 1-'), 'next page');
    await ui.press('q', (f) => !f.includes('output of Numbers'), 'closed');
    expect(rowOf(ui.frame(), 'Numbers')).toMatch(/^>/);
  });
});

describe('phases, sign-off and rollback', () => {
  it('g signs off the phase: why first (incomplete or failed), then the name, then a role from the phase', async () => {
    await open();
    await ui.press(KEY.enter, (f) => rowOf(f, 'Echo').includes('[✓]'), 'Echo passed');
    await ui.press('g', (f) => f.includes('item(s) of "One" are not done. Why sign off now?'), 'reason');
    await ui.press('ops is done with its part');
    await ui.press(KEY.enter, (f) => f.includes('Sign off "One": your name?'), 'name');
    expect(ui.frame()).toContain('> ann');
    await ui.press(KEY.ctrlU);
    await ui.press('Ann Lee');
    await ui.press(KEY.enter, (f) => f.includes('as which role?') && f.includes('1. Lead') && f.includes('2. Ops'), 'roles');
    await ui.press('2', (f) => f.includes('"One" signed off by Ann Lee (Ops)'), 'signed');
    expect(run.events().slice(-2)).toMatchObject([
      { type: 'override', kind: 'signoff-incomplete', phase: 'one', reason: 'ops is done with its part' },
      { type: 'signoff', phase: 'one', name: 'Ann Lee', role: 'Ops' },
    ]);
    // A failed critical item: the question names it.
    await ui.press('j');
    await ui.press(KEY.enter, (f) => rowOf(f, 'Exit three').includes('[✗]'), 'failed');
    await ui.press('g', (f) => f.includes('1 critical item(s) failed (Exit three). Why sign off anyway?'), 'failures reason');
    await ui.press('fixed forward');
    // Esc on a later question keeps what was typed: the reason comes back as it was.
    await ui.press(KEY.enter, (f) => f.includes('your name?'), 'name');
    await ui.press(KEY.esc, (f) => f.includes('cancelled: not signed off'), 'cancelled');
    await ui.press('g', (f) => f.includes('Why sign off anyway?') && f.includes('> fixed forward'), 'reason kept');
    await ui.press(KEY.enter, (f) => f.includes('your name?'), 'name');
    await ui.press(KEY.enter, (f) => f.includes('1. Lead') && !f.includes('Ops'), 'only the missing role');
    await ui.press(KEY.enter, (f) => f.includes('signed off by ann (Lead)'), 'signed');
    expect(run.events().at(-2)).toMatchObject({ type: 'override', kind: 'signoff-with-failures', reason: 'fixed forward' });
  });

  it('moving on past a failed critical item asks why (Esc stays) and records an override', async () => {
    await open();
    await ui.press('j');
    await ui.press(KEY.enter, (f) => rowOf(f, 'Exit three').includes('[✗]'), 'failed');
    await ui.press('l', (f) => f.includes('1 critical item(s) failed before "Two": "Exit three". Why move on?'), 'question');
    await ui.press(KEY.esc, (f) => f.includes('cancelled: stayed on this phase'), 'cancelled');
    expect(ui.frame()).toContain('[1 One');
    await ui.press('l', (f) => f.includes('Why move on?'), 'question');
    await ui.press('hotfix window is closing');
    await ui.press(KEY.enter, (f) => f.includes('[2 Two'), 'on Two');
    expect(run.events().at(-1)).toMatchObject({ type: 'override', kind: 'out-of-order', phase: 'two', reason: 'hotfix window is closing' });
    // The override covers working there: ticking asks nothing more.
    await ui.press(' ', (f) => rowOf(f, 'Later').includes('[x]'), 'ticked');
  });

  it('working out of order asks why once per phase and records it', async () => {
    await open();
    await ui.press(KEY.tab, (f) => f.includes('[2 Two'), 'on Two');
    await ui.press(' ', (f) => f.includes('"One" is not complete yet. Why work on "Two" now?'), 'question');
    await ui.press('db team waiting');
    await ui.press(KEY.enter, (f) => rowOf(f, 'Later').includes('[x]'), 'ticked');
    expect(types(run).slice(-2)).toEqual(['override', 'item.ticked']);
    expect(run.events().at(-2)).toMatchObject({ kind: 'out-of-order', phase: 'two' });
  });

  it('R switches to the rollback track with a reason', async () => {
    await open();
    await ui.press('R', (f) => f.includes('Switch to the ROLLBACK track: why?'), 'question');
    await ui.press('error rate doubled');
    await ui.press(KEY.enter, (f) => f.includes('[ROLLBACK]') && f.includes('[↺ Rollback 0/1]'), 'rollback tab');
    expect(ui.frame()).toContain('> [ ] Undo');
    expect(run.events().at(-1)).toMatchObject({ type: 'rollback.started', reason: 'error rate doubled' });
  });

  it('/ filters the items by text; an empty filter clears it', async () => {
    await open();
    await ui.press('/', (f) => f.includes('Filter items by text'), 'prompt');
    await ui.press('tick');
    await ui.press(KEY.enter, (f) => f.includes('/tick'), 'filtered');
    expect(rowOf(ui.frame(), 'Tick me')).toMatch(/^>/);
    expect(ui.frame()).not.toContain('Echo');
    await ui.press('/', (f) => f.includes('Filter items by text'), 'prompt');
    await ui.press(KEY.ctrlU);
    await ui.press(KEY.enter, (f) => f.includes('Echo'), 'cleared');
  });

  it('? lists every key binding and the marks; ? or q closes it', async () => {
    const { COMMANDS, bindingName } = await import('../../src/ui/keys.js');
    await open(undefined, { rows: 60 });
    await ui.press('?', (f) => f.includes('runsheet help'), 'help');
    const f = ui.frame();
    // Each binding with its explanation (wrapped under itself when long).
    const flat = f.replace(/\n {19}/g, ' ');
    for (const c of COMMANDS) expect(flat).toContain(`${c.keys.map(bindingName).join(' / ').padEnd(16)} ${c.help}`);
    for (const m of [
      '[ ] pending',
      '[✓] passed',
      '[✗] failed',
      '[x] ticked',
      '[-] skipped',
      '[=] recorded',
      '[!] overridden',
      '[?] interrupted',
      '[w] warning',
    ])
      expect(f).toContain(m);
    expect(f).toContain(`runsheet resume ${run.session.runId}`);
    await ui.press('?', (fr) => !fr.includes('runsheet help'), 'closed');
  });
});

describe('running commands, stopping and quitting', () => {
  it('Ctrl-C stops the running command and never quits the app', async () => {
    await open();
    await goTo('Long');
    await ui.press(KEY.enter, (f) => f.includes('running 00:0'), 'running');
    await ui.press(KEY.ctrlC, (f) => rowOf(f, 'Long').includes('[✗]'), 'stopped');
    expect(run.events().at(-1)).toMatchObject({ type: 'item.failed', item: 'long', result: { summary: 'stopped by the operator' } });
    expect(ui.exits).toEqual([]);
    await ui.press('k', (f) => rowOf(f, 'Window start').startsWith('>'), 'still answering keys');
    await ui.press(KEY.ctrlC, (f) => f.includes('nothing is running (q quits)'), 'nothing to stop');
  });

  it('Ctrl-C typed right behind Enter stops the run before anything starts', async () => {
    await open();
    await goTo('Long');
    await ui.press(KEY.enter + KEY.ctrlC, (f) => f.includes('"Long" was stopped before it started: nothing ran'), 'not started');
    expect(types(run)).not.toContain('item.started');
    expect(run.session.engine.running()).toEqual([]);
  });

  it('Ctrl-C while the engine is still recording the start stops the process as soon as it exists', async () => {
    await open();
    const { engine } = run.session;
    const result = engine.runItem('long', { confirmed: true });
    expect(engine.pending()).toEqual(['long']);
    await ui.press(KEY.ctrlC, (f) => f.includes('stopping "Long"'), 'stopping');
    expect((await result).summary).toBe('stopped by the operator');
    expect(run.events().at(-1)).toMatchObject({ type: 'item.failed', item: 'long' });
  });

  it('q quits at once when nothing runs (state is already saved)', async () => {
    await open();
    await ui.press('q', () => ui.exits.length > 0, 'exit');
    expect(ui.exits).toEqual(['quit']);
    expect(ui.frame()).toContain(`resume with: runsheet resume ${run.session.runId}`);
  });

  it('q with a command running asks: cancel stays, kill stops it and quits', async () => {
    await open();
    await goTo('Long');
    await ui.press(KEY.enter, (f) => f.includes('running 00:0'), 'running');
    await ui.press(
      'q',
      (f) => f.includes('"Long" is still running. Quit and…') && f.includes('leave it running') && f.includes('kill it, then quit'),
      'question',
    );
    await ui.press('c', (f) => f.includes('still here'), 'stayed');
    expect(run.session.engine.running()).toEqual(['long']);
    await ui.press('q', (f) => f.includes('Quit and…'), 'question');
    await ui.press('x', () => ui.exits.length > 0, 'exit');
    expect(run.session.engine.running()).toEqual([]);
    expect(run.events().at(-1)).toMatchObject({ type: 'item.failed', item: 'long', result: { summary: 'stopped by the operator' } });
  });

  it('q → leave it running records the item interrupted with its process left running', async () => {
    const pidFile = 'long.pid';
    await open(YAML.replace("run: 'sleep 30'", `run: 'sleep 30 & echo $! > ${pidFile}; wait'`));
    await goTo('Long');
    await ui.press(KEY.enter, (f) => f.includes('running 00:0'), 'running');
    await ui.press('q', (f) => f.includes('Quit and…'), 'question');
    await ui.press('k', () => ui.exits.length > 0, 'exit');
    const pid = Number(readFileSync(`${run.dir}/${pidFile}`, 'utf8'));
    try {
      expect(() => process.kill(pid, 0)).not.toThrow(); // still running
      expect(types(run).slice(-2)).toEqual(['item.interrupted', 'run.interrupted']);
      expect(run.events().at(-2)).toMatchObject({ item: 'long', left: 'running' });
    } finally {
      process.kill(pid, 'SIGKILL');
    }
  });
});

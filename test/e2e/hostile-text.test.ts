// Untrusted text (a checklist, an answers file, a recorded answer, a note) full of terminal control
// sequences must never drive the terminal: an OSC 52 in a title would write the operator's
// clipboard, an OSC 0 retitle the window, an OSC 8 make `docs:` a disguised link, CSI 2J clear the
// screen. Driven in a real tmux (with set-clipboard on, so an OSC 52 that got through WOULD leave
// a paste buffer), and through every text command: no ESC, C1 or bidi override in their output.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tmuxAvailable } from './tmux.js';
import { cursorOn, listShown, moveTo, setupE2e, type E2e } from './harness.js';
import { hostile, yq } from '../support/hostile.js';

const CHECKLIST = `version: 1
title: ${yq(hostile('CLTITLE'))}
description: ${yq(hostile('DESC'))}
vars: {EVIL: ${yq(hostile('VAR'))}}
phases:
  - title: ${yq(hostile('PHASE'))}
    id: p1
    signoff: [${yq(hostile('ROLE'))}]
    sections:
      - title: ${yq(hostile('SECTION'))}
        items:
          - title: ${yq(hostile('ITEM'))}
            id: tickme
            notes: ${yq(hostile('NOTES') + '\nsecond line ' + hostile('NOTES2'))}
          - title: Echo the var
            id: echo
            run: 'printf "%s\\n" "\${EVIL}"'
            check: true
          - title: Pick one
            id: pick
            record: choice
            options: [${yq(hostile('OPT'))}, plain]
          - title: Say something
            id: say
            record: text
          - title: Skip me
            id: skipme
            docs: ${yq('https://docs.example/\x1b]8;;https://evil.example/\x1b\\page\x1b]8;;\x1b\\')}
`;

const ANSWERS = `tickme: tick
pick: {record: plain}
say: {record: ${yq(hostile('ANSWER'))}}
skipme: {skip: ${yq(hostile('REASON'))}}
p1: {signoff: [{name: ${yq(hostile('SIGNER'))}, role: ${yq(hostile('ROLE'))}}]}
`;

// ESC, any C0 but tab/newline/CR, DEL, C1, bidi embeddings/overrides/isolates.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

function noControls(what: string, text: string): void {
  const m = CONTROL.exec(text);
  if (m)
    throw new Error(
      `${what}: control character U+${m[0].codePointAt(0)!.toString(16).padStart(4, '0')} at ${m.index}: ${JSON.stringify(text.slice(Math.max(0, m.index - 40), m.index + 40))}`,
    );
}

describe.skipIf(!tmuxAvailable('test/e2e/hostile-text.test.ts'))('hostile text never drives the terminal (tmux)', () => {
  let e: E2e;
  beforeEach(async () => {
    e = await setupE2e();
    // With set-clipboard on, tmux turns an OSC 52 from the application into a paste buffer: the
    // test can see a clipboard write that got through.
    e.tmux.tmux('set-option', '-g', 'set-clipboard', 'on');
    e.tmux.tmux('set-option', '-g', 'allow-rename', 'on');
  });
  afterEach(async () => e.cleanup());

  const paneTitle = (target: string) => e.tmux.tmux('display-message', '-p', '-t', target, '#{pane_title}').trim();
  const buffers = () => e.tmux.tmux('list-buffers').trim();

  it('the TUI shows the text escaped: no title change, no clipboard write, no cleared screen', async () => {
    await e.checklist('h.yaml', CHECKLIST);
    const pane = e.tmux.launch(['run', 'h.yaml'], e.dir);
    // Every pane starts with the same default title (the host name): the idle window's is the
    // one this pane must still have.
    const before = paneTitle(`${e.tmux.session}:idle`);
    await listShown(pane, 5);
    let s = await pane.waitFor((x) => /q quit/.test(x), 'the whole first frame (footer)');
    const check = (screen: string, what: string) => {
      // The frame is whole: header on the first line, footer on the last (a CSI 2J or a cursor
      // move in the text would have wiped or displaced them).
      expect(paneTitle(pane.target), `${what}: pane title (an OSC 0/2 got through)`).toBe(before);
      expect(buffers(), `${what}: tmux paste buffers (an OSC 52 got through)`).toBe('');
      const lines = screen.split('\n');
      expect(lines[0], `${what}: header`).toMatch(/^CLTITLE/);
      expect(screen, what).toMatch(/q quit|Esc/);
      noControls(`${what}: screen`, screen);
    };
    check(s, 'first item');
    // The first item's title and notes are there, as visible escapes.
    expect(s).toContain('> [ ] ITEM\\x1b]0;PWN-TITLE');
    expect(s).toContain('NOTES\\x1b]0;PWN-TITLE');
    expect(s).toContain('\\u202e');
    // `docs:` is plain text: the OSC 8 that would make it a disguised link shows escaped.
    await moveTo(pane, 'Skip me');
    s = await pane.waitFor((x) => x.includes('docs: https://docs.example/\\x1b]8;;https://evil.example/'), 'the escaped docs link');
    check(s, 'docs');
    // The command (after substitution of the hostile var) and its output once run.
    await moveTo(pane, 'Echo the var');
    s = await pane.press('Enter', (x) => /\[✓\] Echo the var/.test(x) && x.includes('VAR-end'), 'the check to pass');
    check(s, 'after the command ran');
    // The choice dialog lists the options.
    await moveTo(pane, 'Pick one');
    s = await pane.press('Enter', (x) => x.includes('OPT') && x.includes('plain'), 'the choice dialog');
    check(s, 'choice dialog');
    await pane.press('Escape', cursorOn('Pick one'), 'the dialog closed');
    // A note pasted with C1 and bidi characters (the dialog drops C0 itself).
    await moveTo(pane, 'Say something');
    await pane.press('n', (x) => /note/i.test(x) && x.includes('Esc'), 'the note dialog');
    pane.text('pasted\u009b2J\u202eNOTE-C1-end');
    pane.key('Enter');
    s = await pane.waitFor((x) => x.includes('note: pasted\\x9b2J\\u202eNOTE-C1-end'), 'the escaped note');
    check(s, 'note');
    // Help shows the run's warnings and id; the output pager, the command's output.
    await moveTo(pane, 'Echo the var');
    s = await pane.press('o', (x) => x.includes('output of Echo the var'), 'the output pager');
    check(s, 'pager');
    await pane.press('q', cursorOn('Echo the var'), 'the pager closed');
    pane.key('q');
    await pane.exitCode();
    expect(paneTitle(pane.target)).toBe(before);
    expect(buffers()).toBe('');
  });

  it('validate, plan, headless, status, runs and the Markdown report print no control character', async () => {
    await e.checklist('h.yaml', CHECKLIST);
    await e.checklist('answers.yaml', ANSWERS);
    const outputs: [string, { status: number | null; stdout: string; stderr: string }][] = [];
    const cli = (...args: string[]) => {
      const r = e.cli(...args);
      outputs.push([args.join(' '), r]);
      return r;
    };
    expect(cli('validate', 'h.yaml').status).toBe(0);
    // A problem message echoes the author's text.
    await e.checklist(
      'bad.yaml',
      `version: 1\ntitle: x\nphases:\n  - title: p\n    items:\n      - {title: t, ${yq(hostile('KEY'))}: 1}\n`,
    );
    expect(cli('validate', 'bad.yaml').status).not.toBe(0);
    expect(cli('plan', 'h.yaml').status).toBe(0);
    const run = cli('run', 'h.yaml', '--auto', '--answers', 'answers.yaml');
    expect(run.status, run.stderr).toBe(0);
    const id = e.onlyRunId();
    expect(cli('status', id).status).toBe(0);
    expect(cli('runs').status).toBe(0);
    expect(cli('report', id, '--format', 'md', '--unsigned', '-o', '-').status).toBe(0);
    // An unknown run id (user text echoed in an error message).
    cli('status', `x${hostile('ARG')}`);
    for (const [what, r] of outputs) {
      noControls(`${what}: stdout`, r.stdout);
      noControls(`${what}: stderr`, r.stderr);
    }
    // The text is still there, escaped, for the reader to see.
    const all = outputs.map(([, r]) => r.stdout + r.stderr).join('\n');
    for (const tag of ['CLTITLE', 'DESC', 'PHASE', 'SECTION', 'ITEM', 'ANSWER', 'REASON', 'SIGNER', 'ROLE'])
      expect(all, tag).toContain(`${tag}\\x1b]0;PWN-TITLE`);
    // JSON output stays JSON and gives back the exact text (JSON escapes the controls).
    const st = cli('status', id, '--json');
    noControls('status --json', st.stdout);
    const json = JSON.parse(st.stdout) as { checklist: { title: string }; phases: { items: { id: string; value: unknown }[] }[] };
    expect(json.checklist.title).toBe(hostile('CLTITLE'));
    expect(json.phases[0].items.find((i) => i.id === 'say')?.value).toBe(hostile('ANSWER'));
    const runs = cli('runs', '--json');
    noControls('runs --json', runs.stdout);
    expect((JSON.parse(runs.stdout) as { checklist: string }[])[0].checklist).toBe(hostile('CLTITLE'));
    const again = cli('resume', id, '--auto', '--json');
    noControls('resume --auto --json', again.stdout + again.stderr);
    for (const line of again.stdout.split('\n').filter(Boolean)) JSON.parse(line);
  });
});

// Property: whatever text a checklist, an answer, a note or a command's output holds, the TUI's
// line builders (list rows, header, phase tabs, detail pane, command-output cleaning) never emit a
// control character the terminal would act on: no ESC, no other C0 but tab/newline where a line
// may hold them, no C1, no bidi override. The e2e test (test/e2e/hostile-text.test.ts) proves the
// same on a real terminal for known attacks; this one throws arbitrary mixtures at the builders.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Item, Phase } from '../../src/core/model.js';
import { emptyItem, initialState, type ItemState } from '../../src/core/state.js';
import { Tail } from '../../src/core/tail.js';
import { detailLines, comparisonLines } from '../../src/ui/detail-lines.js';
import { itemRowText, sectionRowText } from '../../src/ui/rows.js';
import { headerText, phaseLabel } from '../../src/ui/header.js';
import { sanitize } from '../../src/ui/text.js';
import { safeNode } from '../../src/ui/theme.js';
import type { ComparisonRow } from '../../src/core/metrics/compare.js';
import { hostile, yq } from '../support/hostile.js';
import { KEY, mount, openRun } from './harness.js';

// ESC and every C0 (tab and newline included: a pane line holds neither), DEL, C1, bidi controls.
// eslint-disable-next-line no-control-regex
const UNSAFE_IN_LINE = /[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;

/** Text built from the pieces of escape sequences, controls and ordinary characters. */
const mixture = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        '\x1b',
        '\x07',
        '\x1b]0;t\x07',
        '\x1b]52;c;QQ==\x07',
        '\x1b]8;;http://x/\x1b\\',
        '\x1b[2J',
        '\x1b[H',
        '\x1b[31m',
        '\x9b',
        '\x9b2J',
        '\x9d0;t\x9c',
        '\x85',
        '\u202e',
        '\u2066',
        '\u2028',
        '\r',
        '\n',
        '\r\n',
        '\t',
        '\x00',
        '\x7f',
        '\\',
        ']',
        '[',
        ';',
      ),
      fc.string({ maxLength: 8 }),
      fc.integer({ min: 0, max: 0x2100 }).map((c) => String.fromCharCode(c)),
    ),
    { maxLength: 30 },
  )
  .map((a) => a.join(''));

function item(o: {
  title: string;
  notes: string;
  docs: string;
  command: string;
  section: string;
  kind: 'run' | 'manual' | 'record';
}): Item {
  const action: Item['action'] =
    o.kind === 'run'
      ? { kind: 'run', command: o.command, expect: { exit: 0 }, check: false }
      : o.kind === 'record'
        ? { kind: 'record', record: 'choice', options: [o.command, o.title] }
        : { kind: 'manual' };
  return {
    id: 'x',
    title: o.title,
    action,
    notes: o.notes,
    docs: o.docs,
    critical: false,
    confirm: false,
    env: {},
    timeoutMs: null,
    retries: 0,
    retryDelayMs: 0,
    on_disconnect: 'stop',
    pipefail: true,
    phaseId: 'p',
    sectionTitle: o.section,
  };
}

function assertSafe(lines: string[], what: string): void {
  for (const l of lines) {
    const m = UNSAFE_IN_LINE.exec(l);
    if (m) throw new Error(`${what} emitted U+${m[0].charCodeAt(0).toString(16).padStart(4, '0')}: ${JSON.stringify(l)}`);
  }
}

const fields = fc.record({
  title: mixture,
  notes: mixture,
  docs: mixture,
  command: mixture,
  section: mixture,
  value: mixture,
  reason: mixture,
  note: mixture,
  output: mixture,
  summary: mixture,
  kind: fc.constantFrom('run' as const, 'manual' as const, 'record' as const),
  running: fc.boolean(),
  width: fc.integer({ min: 20, max: 100 }),
  height: fc.integer({ min: 1, max: 12 }),
});

describe('TUI builders never emit a control character, whatever the text', () => {
  it('list rows, section headings, header and phase tabs', () => {
    fc.assert(
      fc.property(fields, (f) => {
        const it = item(f);
        assertSafe([itemRowText(it, '[ ]', true, f.width), sectionRowText(f.section, f.width)], 'list rows');
        assertSafe(
          [
            headerText({
              flags: '',
              title: f.title,
              env: f.value,
              operator: f.note,
              runId: f.reason,
              right: '00:01  0/1 done',
              width: f.width,
            }),
          ],
          'header',
        );
        const phase: Phase = { id: 'p', title: f.title, signoff: [f.reason], sections: [{ title: f.section, items: [it] }] };
        assertSafe([phaseLabel(phase, 0, initialState())], 'phase tab');
      }),
      { numRuns: 400 },
    );
  });

  it('the detail pane: title, command, notes, docs, value, reason, notes added, result and output', () => {
    fc.assert(
      fc.property(fields, (f) => {
        const it = item(f);
        const tail = new Tail(4096);
        tail.push(f.output);
        const st: ItemState = {
          ...emptyItem(),
          status: f.running ? 'running' : 'failed',
          value: f.value,
          unit: f.note,
          reason: f.reason,
          notes: [f.note, f.reason],
          result: f.running
            ? undefined
            : {
                ok: false,
                summary: f.summary,
                durationMs: 5,
                exitCode: 1,
                missing: [f.value],
                stdout: { tail: f.output, bytes: 1, sha256: '' },
                stderr: { tail: f.summary, bytes: 1, sha256: '' },
              },
        };
        const lines = detailLines({
          item: it,
          st,
          state: initialState(),
          live: f.running ? { tail, startedAt: 0, progress: f.summary } : undefined,
          width: f.width,
          height: f.height,
          secrets: [],
          now: 1000,
        });
        assertSafe(
          lines.map((l) => l.text),
          'detail pane',
        );
        expect(lines.length).toBeLessThanOrEqual(f.height);
      }),
      { numRuns: 400 },
    );
  });

  it('comparison tables (probe titles come from the checklist)', () => {
    fc.assert(
      fc.property(mixture, mixture, (title, unit) => {
        const row: ComparisonRow = {
          id: title,
          title,
          unit,
          critical: false,
          baseline: 1,
          after: 2,
          change: null,
          verdict: null,
          status: 'pass',
          rule: unit,
          samples: { baseline: [1], after: [2] },
        };
        assertSafe(
          comparisonLines([row], 'pass').map((l) => l.text),
          'comparison',
        );
      }),
    );
  });

  it('command output is stripped of its sequences and what is left is escaped (newlines kept)', () => {
    fc.assert(
      fc.property(mixture, (s) => {
        assertSafe(sanitize(s).split('\n'), 'sanitize');
      }),
      { numRuns: 1000 },
    );
    expect(sanitize('\x1b[31mred\x1b[0m \x9b1mC1\x9b0m \x1b]0;t\x07ok\tx\ry')).toBe('red C1 ok  xy');
    // A lone C1 or bidi control is not a sequence to strip: it shows, escaped.
    expect(sanitize('a\x85b\u202ec')).toBe('a\\x85b\\u202ec');
  });

  it('Line (the one Ink text component) escapes any string it is given', () => {
    fc.assert(
      fc.property(fc.array(mixture, { maxLength: 4 }), (parts) => {
        const out = safeNode(parts.length === 1 ? parts[0] : parts);
        const strings = (Array.isArray(out) ? out : [out]).filter((x): x is string => typeof x === 'string');
        assertSafe(strings, 'Line');
      }),
    );
  });
});

describe('the whole run screen on a hostile checklist (Ink, colour off)', () => {
  // With colour off the screen itself writes no escape at all, so any ESC, C1 or bidi control in
  // a frame came from the checklist, an answer or a note.
  it('no frame carries a control character: list, header, tabs, detail, dialogs, notes, pager', async () => {
    const yaml = `version: 1
title: ${yq(hostile('T'))}
phases:
  - title: ${yq(hostile('P'))}
    sections:
      - title: ${yq(hostile('S'))}
        items:
          - {title: ${yq(hostile('I'))}, notes: ${yq(hostile('N'))}, docs: ${yq(hostile('D'))}}
          - {title: ${yq(hostile('R'))}, id: rec, record: choice, options: [${yq(hostile('O'))}, plain]}
          - {title: Out, id: out, run: ${yq("printf '\\033]0;x\\007\\302\\233\\342\\200\\256z\\n'")}, check: true}
`;
    const run = await openRun(yaml);
    const ui = await mount(run, { color: false });
    try {
      await ui.waitFor((f) => f.includes('\\x1b]0;PWN-TITLE'), 'the escaped title');
      await ui.press(KEY.down, (f) => f.includes('> [ ] R\\x1b'), 'the record item');
      await ui.press(KEY.enter, (f) => f.includes('O\\x1b]0;'), 'the choice dialog');
      await ui.press(KEY.esc, (f) => !f.includes('Esc: cancel'), 'the dialog closed');
      await ui.press('n', (f) => f.includes('Esc: cancel'), 'the note dialog');
      await ui.press('a\x9b2J\u202eb', (f) => f.includes('a\\x9b2J\\u202eb'), 'the typed note, escaped');
      await ui.press(KEY.enter, (f) => f.includes('note: a\\x9b2J\\u202eb'), 'the note saved');
      await ui.press(KEY.down, (f) => f.includes('> [ ] Out'), 'the command item');
      await ui.press(KEY.enter, (f) => /\[✓\] Out/.test(f), 'the command passed');
      await ui.press('o', (f) => f.includes('output of Out'), 'the pager');
      await ui.press('q', (f) => !f.includes('output of Out'), 'the pager closed');
      for (const [i, frame] of ui.stdout.frames.entries()) {
        // eslint-disable-next-line no-control-regex -- the controls no frame may carry
        const m = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/.exec(frame);
        if (m)
          throw new Error(
            `frame ${i}: U+${m[0].charCodeAt(0).toString(16).padStart(4, '0')} in ${JSON.stringify(frame.slice(Math.max(0, m.index - 60), m.index + 20))}`,
          );
      }
    } finally {
      ui.unmount();
      await run.cleanup();
    }
  });
});

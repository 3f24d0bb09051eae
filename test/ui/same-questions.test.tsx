// One set of flows, two front ends: for the same checklist the TUI (its dialogs, driven by keys)
// and headless (its answers, from --answers) are asked the same questions in the same order.
import { afterEach, describe, expect, it } from 'vitest';
import { KEY, mount, openRun, rowOf, type RunFixture, type Screen } from './harness.js';
import { runHeadless } from '../../src/headless/drive.js';
import { parseAnswers } from '../../src/headless/answers.js';
import type { Topic } from '../../src/core/flows/ask.js';

const yaml = `version: 1
title: Same questions
vars:
  TAG:
phases:
  - title: One
    signoff: [Lead]
    items:
      - {title: Ship it, id: ship, run: 'echo ship \${TAG}', confirm: true}
      - {title: Latency, id: latency, record: number, unit: ms}
      - {title: Verdict, id: verdict, record: choice, options: [Better, Worse]}
`;

/** The questions both front ends must be asked, in this order. */
const QUESTIONS: [Topic['q'], string][] = [
  ['var', '${TAG} for "Ship it": this run has no value for it yet'],
  ['confirm', 'Run "Ship it"?'],
  ['record', 'Latency (a number in ms):'],
  ['record', 'Verdict:'],
  ['signer', 'Sign off "One": your name?'],
  ['role', 'Sign off "One" as which role?'],
];

const flat = (f: string) => f.replace(/\s+/g, ' ');

let run: RunFixture | undefined;
let ui: Screen | undefined;
afterEach(async () => {
  ui?.unmount();
  ui = undefined;
  await run?.cleanup();
  run = undefined;
});

describe('the TUI and headless ask the same questions in the same order', () => {
  it('headless, answering from --answers', async () => {
    run = await openRun(yaml);
    const asked: [Topic['q'], string][] = [];
    const answers = parseAnswers(
      'vars: {TAG: v1}\nlatency: {record: 12}\nverdict: {record: Better}\none: {signoff: [{name: Ann, role: Lead}]}\n',
      'a.yaml',
    );
    const out = await runHeadless(run.session.engine, run.session.checklist, {
      answers,
      yes: true,
      jobs: 1,
      onQuestion: (t, m) => asked.push([t.q, m]),
    });
    expect(out).toEqual({ code: 0, needs: [], failed: [] });
    expect(asked.map(([q]) => q)).toEqual(QUESTIONS.map(([q]) => q));
    asked.forEach(([, m], n) => expect(m).toContain(QUESTIONS[n][1]));
  });

  it('the TUI, answering its dialogs', async () => {
    run = await openRun(yaml);
    ui = await mount(run);
    const seen = (n: number) => (f: string) => flat(f).includes(QUESTIONS[n][1]);
    await ui.press(KEY.enter, seen(0), 'the var');
    await ui.press('v1');
    await ui.press(KEY.enter, seen(1), 'run this?');
    await ui.press('y', (f) => rowOf(f, 'Ship it').includes('[✓]'), 'shipped');
    await ui.press('j');
    await ui.press(KEY.enter, seen(2), 'latency');
    await ui.press('12');
    await ui.press(KEY.enter, (f) => rowOf(f, 'Latency').includes('[='), 'recorded');
    await ui.press('j');
    await ui.press(KEY.enter, seen(3), 'verdict');
    await ui.press(KEY.enter, (f) => rowOf(f, 'Verdict').includes('[='), 'recorded');
    await ui.press('g', seen(4), 'signer');
    await ui.press(KEY.enter, seen(5), 'role');
    await ui.press(KEY.enter, (f) => f.includes('signed off by ann (Lead)'), 'signed');
    expect(run.events().filter((e) => e.type === 'override')).toEqual([]);
  });
});

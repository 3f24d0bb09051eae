// A var declared without a value (`NAME:`) is asked for when an item that uses it is run, through
// the same dialog as every other question; the answer is durable before the item runs, later
// items and a resumed run reuse it, and a secret's value is never written to the run's log.
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { KEY, mount, openRun, rowOf, types, type RunFixture, type Screen } from './harness.js';

const YAML = `version: 1
title: Vars
vars:
  PREVIOUS_COMMIT_HASH:
  DEPLOY_TOKEN: null
phases:
  - title: One
    items:
      - {title: Roll back the code, id: roll, run: 'echo checkout-\${PREVIOUS_COMMIT_HASH}-done', confirm: true}
      - {title: Again, id: again, run: 'echo again-\${PREVIOUS_COMMIT_HASH}'}
      - {title: Use token, id: tok, run: 'printf %s \${DEPLOY_TOKEN} | rev'}
`;

const TOKEN = 'tok-s3cr3t-value-77';
const reversed = [...TOKEN].reverse().join('');

const runs: RunFixture[] = [];
let ui: Screen | undefined;
afterEach(async () => {
  ui?.unmount();
  ui = undefined;
  for (const r of runs.splice(0).reverse()) await r.cleanup();
});

function stdoutOf(run: RunFixture, id: string): string {
  const log = run.session.engine.state.items[id]?.result?.stdout?.log;
  return log ? readFileSync(run.session.store.logPath(log), 'utf8') : '';
}

/** Moves the cursor down to the item titled `title` (no key when it is there already). */
async function goTo(screen: Screen, title: string) {
  for (let i = 0; i < 10 && !rowOf(screen.frame(), title).startsWith('>'); i++) await screen.press('j');
  expect(rowOf(screen.frame(), title)).toMatch(/^>/);
}

const settled = (run: RunFixture, id: string) => () => ['passed', 'failed'].includes(run.session.engine.state.items[id]?.status ?? '');

describe('vars declared without a value', () => {
  it('Enter asks for the value, records it before the item runs, the confirm shows the filled-in command, and the command runs with it', async () => {
    const run = await openRun(YAML);
    runs.push(run);
    ui = await mount(run, { columns: 120 });
    await ui.press(KEY.enter, (f) => f.includes('${PREVIOUS_COMMIT_HASH} for "Roll back the code"'), 'the question for the var');
    await ui.press('abc123', (f) => f.includes('abc123'), 'typed');
    await ui.press(KEY.enter, (f) => f.includes('echo checkout-abc123-done'), 'the confirm showing the filled-in command');
    expect(types(run)).toContain('var.set');
    expect(types(run)).not.toContain('item.started');
    await ui.press('y', settled(run, 'roll'), 'the item to finish');
    const ev = run.events();
    const set = ev.findIndex((e) => e.type === 'var.set');
    expect(ev[set]).toMatchObject({ type: 'var.set', name: 'PREVIOUS_COMMIT_HASH', value: 'abc123' });
    expect(set).toBeLessThan(ev.findIndex((e) => e.type === 'item.started'));
    expect(ev.find((e) => e.type === 'item.started')).toMatchObject({ command: 'echo checkout-abc123-done' });
    expect(stdoutOf(run, 'roll')).toContain('checkout-abc123-done');
    // A later item reuses the value: no question.
    await goTo(ui, 'Again');
    await ui.press(KEY.enter, settled(run, 'again'), 'the second item to finish without a question');
    expect(stdoutOf(run, 'again')).toContain('again-abc123');
    expect(types(run).filter((t) => t === 'var.set')).toHaveLength(1);
  });

  it('the engine itself refuses to run an item whose var has no value (never `echo checkout--done`)', async () => {
    const run = await openRun(YAML);
    runs.push(run);
    await expect(run.session.engine.runItem('roll', { confirmed: true })).rejects.toThrow(
      '"Roll back the code" needs a value for ${PREVIOUS_COMMIT_HASH}: pass --set PREVIOUS_COMMIT_HASH=…, or give it when asked',
    );
    expect(types(run)).not.toContain('item.started');
    // Bulk runs leave such checks out rather than fail.
    expect(run.session.engine.missingVars('again')).toEqual(['PREVIOUS_COMMIT_HASH']);
  });

  it('Esc at the question cancels: nothing recorded, nothing runs', async () => {
    const run = await openRun(YAML);
    runs.push(run);
    ui = await mount(run, { columns: 120 });
    await ui.press(KEY.enter, (f) => f.includes('${PREVIOUS_COMMIT_HASH} for "Roll back the code"'), 'the question');
    await ui.press(KEY.esc, (f) => f.includes('cancelled: nothing ran'), 'cancelled');
    expect(types(run)).not.toContain('var.set');
    expect(types(run)).not.toContain('item.started');
  });

  it('after a resume the recorded value is reused; a secret is asked again, masked as typed, and never reaches events.jsonl', async () => {
    const first = await openRun(YAML);
    runs.push(first);
    ui = await mount(first, { columns: 120 });
    await ui.press(KEY.enter, (f) => f.includes('${PREVIOUS_COMMIT_HASH} for'), 'question');
    await ui.press('abc123\r', (f) => f.includes('echo checkout-abc123-done'), 'confirm');
    await ui.press('y', settled(first, 'roll'), 'roll done');
    await goTo(ui, 'Use token');
    await ui.press(KEY.enter, (f) => f.includes('${DEPLOY_TOKEN} for "Use token"'), 'token question');
    await ui.press(TOKEN, (f) => f.includes('•'.repeat(TOKEN.length)), 'typed, masked');
    expect(ui.frame()).not.toContain(TOKEN);
    await ui.press(KEY.enter, settled(first, 'tok'), 'token item done');
    expect(stdoutOf(first, 'tok')).toContain(reversed);
    ui.unmount();
    ui = undefined;
    await first.session.close();

    const again = await openRun(YAML, { resumeId: first.session.runId, dir: first.dir });
    runs.push(again);
    expect(again.session.engine.missingVars('again')).toEqual([]);
    expect(again.session.engine.missingVars('tok')).toEqual(['DEPLOY_TOKEN']);
    ui = await mount(again, { columns: 120 });
    await goTo(ui, 'Again');
    await ui.press(KEY.enter, settled(again, 'again'), 'Again runs with the recorded value, unasked');
    expect(stdoutOf(again, 'again')).toContain('again-abc123');
    await goTo(ui, 'Use token');
    await ui.press(KEY.enter, (f) => f.includes('${DEPLOY_TOKEN} for "Use token"'), 'the secret is asked again');
    // Then the usual "already ran: run it again?": the command refers to the secret in its
    // environment (as every secret is passed), so neither the screen nor ps shows the value.
    await ui.press(
      `${TOKEN}\r`,
      (f) => f.includes('Run it again?') && f.includes('printf %s "${DEPLOY_TOKEN}" | rev') && !f.includes(TOKEN),
      'the re-run question',
    );
    await ui.press('y', () => settled(again, 'tok')() && again.session.engine.state.items.tok?.attempts === 2, 'ran again');
    expect(stdoutOf(again, 'tok')).toContain(reversed);
    const log = readFileSync(again.eventsPath, 'utf8');
    expect(log).not.toContain(TOKEN);
    expect(log).toContain('"PREVIOUS_COMMIT_HASH"');
    expect(readFileSync(`${again.session.store.dir}/state.json`, 'utf8')).not.toContain(TOKEN);
  });
});

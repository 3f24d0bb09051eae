// The TUI side of `when: {answer}` (waiting, then n/a with its reason), the reference pager (`d`,
// listed in `?`) and Markdown tables drawn as columns in the detail pane and the pager.
import { afterEach, describe, expect, it } from 'vitest';
import { KEY, mount, openRun, type RunFixture, type Screen } from './harness.js';

const YAML = `version: 1
title: Choices
phases:
  - title: Roll back
    items:
      - {id: method, title: Rollback method, record: choice, options: [kubernetes, docker-compose]}
      - {id: kube, title: kubectl rollout undo, run: 'echo kube-ran', when: {answer: {item: method, is: kubernetes}}}
      - id: compose
        title: compose up
        run: 'echo compose-ran'
        when: {answer: {item: method, is: docker-compose}}
        notes: |
          Before you start:

          | Service | Port | Owner |
          |---|---:|---|
          | web | 8080 | Ann Lee |
          | worker | 9090 | Bob Ray |
reference:
  - title: Contacts
    notes: |
      Call in this order.

      | Role | Name | Phone |
      |------|------|------:|
      | On-call | Ann Lee | +1 555 0101 |
      | DBA | Bob Ray | +1 555 0102 |
  - title: Commands
    notes: |
      ~~~
      redis-cli FLUSHDB     # emergency only
      ~~~
`;

let run: RunFixture | undefined;
let ui: Screen | undefined;
afterEach(async () => {
  ui?.unmount();
  await run?.cleanup();
  run = ui = undefined;
});

const row = (f: string, title: string) => f.split('\n').find((l) => l.includes(` ${title}`) && /(\[.\]|n\/a) /.test(l)) ?? '';

describe('when: {answer} in the TUI', () => {
  it('a gated item waits for its choice, refuses Enter with "answer … first", then is n/a with the reason', async () => {
    run = await openRun(YAML);
    ui = await mount(run);
    await ui.press('j', (f) => f.includes('waits for the answer to "Rollback method"'), 'waiting shown');
    expect(row(ui.frame(), 'kubectl rollout undo')).toContain('[ ]');
    await ui.press(KEY.enter, (f) => f.includes('answer "Rollback method" first'), 'refused');
    expect(run.events().some((e) => e.type === 'item.started')).toBe(false);
    await ui.press('k');
    await ui.press(KEY.enter, (f) => f.includes('docker-compose'), 'choice dialog');
    await ui.press('2', (f) => row(f, 'Rollback method').includes('[=]'), 'recorded');
    expect(row(ui.frame(), 'kubectl rollout undo')).toMatch(/ n\/a kubectl rollout undo/);
    await ui.press('j', (f) => f.includes('reason: Rollback method is docker-compose'), 'n/a reason in the detail pane');
    await ui.press(KEY.enter, (f) => f.includes('does not apply (n/a): Rollback method is docker-compose'), 'refused as n/a');
    expect(run.events().some((e) => e.type === 'item.started')).toBe(false);
    // The header's progress counts n/a as done: 2 of 3 (the choice and the n/a item).
    expect(ui.frame()).toMatch(/2\/3/);
  });

  it("draws a table in an item's notes as columns in the detail pane", async () => {
    run = await openRun(YAML);
    ui = await mount(run, { rows: 30 });
    await ui.press('jj', (f) => f.includes('Service │ Port │ Owner'), 'table header');
    const f = ui.frame();
    expect(f).toContain('web     │ 8080 │ Ann Lee');
    expect(f).toContain('worker  │ 9090 │ Bob Ray');
    expect(f).not.toContain('| web |');
    // o: the notes in full, from the top (nothing has run yet).
    await ui.press('o', (x) => x.includes('output of compose up'), 'pager');
    expect(ui.frame()).toMatch(/notes\s*\n\s*Before you start:[\s\S]*Service │ Port │ Owner/);
  });
});

describe('reference sections', () => {
  it('? lists them after the keys; d opens them with tables drawn to the width', async () => {
    run = await openRun(YAML);
    ui = await mount(run, { rows: 40 });
    await ui.press('?', (f) => f.includes('runsheet help'), 'help');
    let f = ui.frame();
    for (let i = 0; i < 8 && !f.includes('Reference (d to read)'); i++) f = await ui.press(' ', undefined, 'page down');
    expect(f).toMatch(/Reference \(d to read\)\s*\n\s+1\. Contacts\s*\n\s+2\. Commands/);
    await ui.press('q', (x) => !x.includes('runsheet help'), 'help closed');
    await ui.press('d', (x) => x.includes('reference (reading only, never run)'), 'reference pager');
    f = ui.frame();
    expect(f).toContain('1. Contacts');
    expect(f).toContain('Role    │ Name    │       Phone');
    expect(f).toContain('On-call │ Ann Lee │ +1 555 0101');
    expect(f).toContain('redis-cli FLUSHDB     # emergency only');
    await ui.press('d', (x) => !x.includes('reference (reading only'), 'closed with d');
  });

  it('at 40 columns the table still fits: cells wrap or become records, never past the edge', async () => {
    run = await openRun(YAML);
    ui = await mount(run, { columns: 40, rows: 30 });
    await ui.press('d', (x) => x.includes('reference'), 'reference pager');
    for (const l of ui.lines()) expect([...l].length).toBeLessThanOrEqual(40);
    expect(ui.frame()).toMatch(/On-call\s*│ Ann Lee\s*│/);
  });

  it('says so when the checklist has none', async () => {
    run = await openRun('version: 1\ntitle: T\nphases:\n  - title: P\n    items:\n      - {title: a}\n');
    ui = await mount(run);
    await ui.press('d', (f) => f.includes('this checklist has no reference sections'), 'status');
  });
});

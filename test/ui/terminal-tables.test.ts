// Tables in a real terminal (tmux, 80×24): the reference pager and the detail pane draw GFM
// tables as aligned columns that stay inside the window (nothing in the last column, where a
// terminal's pending wrap would push the rest of the frame down).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setupE2e, listShown, type E2e } from '../e2e/harness.js';
import { tmuxAvailable } from '../e2e/tmux.js';

const YAML = `version: 1
title: Tables
phases:
  - title: First
    items:
      - title: Check the owners
        notes: |
          | Service | Owner | Escalation path when the owner does not answer within ten minutes |
          |---|---|---|
          | payments-api | Ann Lee | page the payments on-call, then the platform lead, then the CTO |
          | ledger | Bob Ray | the finance on-call; never restart the ledger without them |
reference:
  - title: Contacts
    notes: |
      | Role | Name | Phone | Notes |
      |---|---|---:|---|
      | On-call | Ann Lee | +1 555 0101 | answers 24/7; escalate after ten minutes without a reply to the pager |
      | DBA | Bob Ray | +1 555 0102 | business hours only |
`;

/** The columns (0-based) of every │ on the lines that have one. */
const bars = (lines: string[]) =>
  lines.filter((l) => l.includes('│')).map((l) => [...l].flatMap((c, i) => (c === '│' ? [i] : [])).join(','));

describe.runIf(tmuxAvailable('the TUI table tests'))('tables in a real terminal (tmux, 80×24)', () => {
  let e: E2e;
  beforeEach(async () => {
    e = await setupE2e();
  });
  afterEach(async () => e.cleanup());

  it('the reference pager and the detail pane draw aligned columns inside the window', async () => {
    await e.checklist('c.yaml', YAML);
    const pane = e.tmux.launch(['run', 'c.yaml'], e.dir);
    await listShown(pane, 1);
    let s = await pane.waitFor((x) => x.includes('Service') && x.includes('│'), 'the notes table in the detail pane');
    let lines = s.split('\n');
    for (const l of lines) expect([...l].length).toBeLessThan(80);
    // Every row of the table has its bars in the same columns.
    expect(new Set(bars(lines.filter((l) => /payments-api|Service|ledger|│/.test(l) && !l.includes('─')))).size).toBe(1);

    if (process.env.SHOW_SCREENS) console.log(s);
    s = await pane.press('d', (x) => x.includes('reference (reading only, never run)'), 'the reference pager');
    if (process.env.SHOW_SCREENS) console.log(s);
    lines = s.split('\n');
    for (const l of lines) expect([...l].length).toBeLessThan(80);
    expect(s).toMatch(/On-call\s+│ Ann Lee\s+│ \+1 555 0101\s+│ answers 24\/7;/);
    expect(new Set(bars(lines.filter((l) => l.includes('│')))).size).toBe(1);
    await pane.press('q', (x) => !x.includes('reference (reading only'), 'pager closed');
    await pane.press('q', (x) => x.includes('resume with: runsheet resume'), 'quit');
    expect(await pane.exitCode()).toBe(0);
  });
});

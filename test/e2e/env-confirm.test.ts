// `--env production` on an environment with `confirm: true`: the operator must type its name.
// A wrong name is refused, the right one opens the run, Esc or Ctrl-C cancel with nothing run.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tmuxAvailable } from './tmux.js';
import { cursorOn, setupE2e, type E2e } from './harness.js';

const CHECKLIST = `version: 1
title: Env confirm
environments:
  staging: {}
  production:
    confirm: true
phases:
  - title: Release
    items:
      - {title: Deploy, run: touch deployed.marker}
      - {title: Announce}
`;

const PROMPT = /Environment "production" requires confirmation\. Type its name/;

describe.skipIf(!tmuxAvailable('test/e2e/env-confirm.test.ts'))('confirming a `confirm: true` environment (tmux)', () => {
  let e: E2e;
  beforeEach(async () => {
    e = await setupE2e();
    await e.checklist('env.yaml', CHECKLIST);
  });
  afterEach(async () => e.cleanup());

  const runs = () => (existsSync(join(e.home, 'runs')) ? readdirSync(join(e.home, 'runs')) : []);

  for (const [name, key] of [
    ['Esc', 'Escape'],
    ['Ctrl-C', 'C-c'],
  ] as const) {
    it(`${name} cancels: exit 2, "nothing was run", no run recorded`, async () => {
      const pane = e.tmux.launch(['run', 'env.yaml', '--env', 'production'], e.dir);
      await pane.waitFor((s) => PROMPT.test(s), 'the confirmation prompt');
      pane.text('prod'); // half typed, then cancelled
      await pane.waitFor((s) => s.includes('> prod'), 'the typed text');
      pane.key(key);
      expect(await pane.exitCode()).toBe(2);
      expect(pane.screen()).toContain('runsheet: environment "production" was not confirmed: nothing was run');
      expect(runs()).toEqual([]);
      expect(existsSync(join(e.dir, 'deployed.marker'))).toBe(false);
    });
  }

  it('refuses a wrong name and proceeds with the right one', async () => {
    const pane = e.tmux.launch(['run', 'env.yaml', '--env', 'production'], e.dir);
    await pane.waitFor((s) => PROMPT.test(s), 'the confirmation prompt');
    pane.text('staging');
    await pane.waitFor((s) => s.includes('> staging'), 'the typed text');
    await pane.press('Enter', (s) => s.includes('type "production" exactly'), 'the wrong name to be refused');
    // Still asking, nothing opened.
    expect(pane.screen()).toMatch(PROMPT);
    expect(runs()).toEqual([]);

    await pane.press('C-u', (s) => !s.includes('> staging'), 'the field to clear');
    pane.text('production');
    await pane.waitFor((s) => s.includes('> production'), 'the typed name');
    const screen = await pane.press('Enter', cursorOn('Deploy'), 'the run to open');
    expect(screen).toMatch(/env production/);
    const runId = e.onlyRunId();
    expect(e.status(runId).raw.env).toBe('production');
    // Confirming opens the run; it runs nothing by itself.
    expect(existsSync(join(e.dir, 'deployed.marker'))).toBe(false);
    pane.key('q');
    expect(await pane.exitCode()).toBe(0);
  });

  it('does not ask for an environment without confirm', async () => {
    const pane = e.tmux.launch(['run', 'env.yaml', '--env', 'staging'], e.dir);
    const screen = await pane.waitFor(cursorOn('Deploy'), 'the run to open');
    expect(screen).not.toMatch(/requires confirmation/);
    pane.key('q');
    expect(await pane.exitCode()).toBe(0);
  });
});

// Team runs, end to end: two runsheet TUIs in tmux, two operators, one run in a real PostgreSQL.
// Each sees the other's actions; both race for the same item and exactly one runs it; a sign-off
// is given under the session's own name only; kill -9 of one operator while it runs an item is
// resolved as interrupted in the other's session once the lease runs out; the report verifies.
import { readFileSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE, Tmux, killQuietly, tmuxAvailable } from './tmux.js';
import { itemOnScreen, listShown, moveTo, statusOnScreen } from './harness.js';
import { postgresAvailable, startPostgres, type PgServer } from '../support/postgres.js';
import { tempDir } from '../support/tmp.js';

const CHECKLIST = `version: 1
title: Team window
phases:
  - title: Work
    signoff: [Lead, QA]
    items:
      - {title: Alpha}
      - {title: Bravo, run: echo bravo}
      - {title: Race, run: 'echo ran >> race.count; sleep 1'}
      - {title: Long, run: 'echo started >> long.count; sleep 60'}
`;

const flat = (s: string) => s.replace(/\s+/g, ' ');

describe.skipIf(!tmuxAvailable('test/e2e/team.test.ts') || !postgresAvailable('test/e2e/team.test.ts'))(
  'a team run (tmux, PostgreSQL)',
  () => {
    let server: PgServer;
    let t: { dir: string; cleanup: () => Promise<void> };
    let tmux: Tmux;
    let env: Record<string, string>;
    const cli = (...args: string[]) => spawnSync(process.execPath, [BUNDLE, ...args], { cwd: t.dir, env, encoding: 'utf8' });

    beforeAll(async () => {
      server = await startPostgres();
      t = await tempDir('rs-team-');
      env = {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: t.dir,
        LANG: 'C.UTF-8',
        RUNSHEET_HOME: join(t.dir, 'home'),
        RUNSHEET_STORE: server.url,
      };
      expect(cli('store', 'init').status).toBe(0);
      tmux = new Tmux(join(t.dir, 'tmux.sock'), env, 80, 24);
    }, 60_000);

    afterAll(async () => {
      await tmux?.kill();
      await server?.destroy();
      await t?.cleanup();
    });

    it('two operators share the run: each sees the other, races resolve to one runner, sign-offs are their own, a vanished one is interrupted', async () => {
      const { writeFile } = await import('node:fs/promises');
      await writeFile(join(t.dir, 'team.yaml'), CHECKLIST);
      const ann = tmux.launch(['run', 'team.yaml', '--operator', 'ann'], t.dir);
      await listShown(ann, 4, 'ann to open the run');
      const runs = JSON.parse(cli('runs', '--json').stdout) as { id: string }[];
      expect(runs).toHaveLength(1);
      const runId = runs[0].id;
      const bob = tmux.launch(['join', runId, '--operator', 'bob'], t.dir);
      await listShown(bob, 4, 'bob to join the run');

      // Presence: each names the other.
      await ann.waitFor((s) => /in this run: ann@\S+ \(you\) · bob@/.test(flat(s)), 'ann to see bob in the run');
      await bob.waitFor((s) => /in this run: bob@\S+ \(you\) · ann@/.test(flat(s)), 'bob to see ann in the run');

      // Each sees the other's action, without a key.
      await ann.press('Space', statusOnScreen('Alpha', 'ticked'), 'ann ticks Alpha');
      await bob.waitFor(statusOnScreen('Alpha', 'ticked'), 'bob to see Alpha ticked');
      // …with who did it, from where.
      await bob.waitFor((s) => /ann@\S+ ticked "Alpha"/.test(flat(s)), 'bob to be told ann ticked Alpha');
      await moveTo(bob, 'Bravo');
      await bob.press('Enter', statusOnScreen('Bravo', 'passed'), 'bob runs Bravo');
      await ann.waitFor(statusOnScreen('Bravo', 'passed'), 'ann to see Bravo passed');

      // Both race for the same item: exactly one runs it, the other is told who has it.
      await moveTo(ann, 'Race');
      await moveTo(bob, 'Race');
      tmux.tmux('send-keys', '-t', ann.target, 'Enter');
      tmux.tmux('send-keys', '-t', bob.target, 'Enter');
      // The one refused is told who has it (until the winner's result replaces the line).
      const refusal = /"Race" is (taken by (ann|bob)|running in (ann|bob)'s session)/;
      const deadline = Date.now() + 15_000;
      while (!refusal.test(flat(ann.screen()) + flat(bob.screen()))) {
        if (Date.now() > deadline) throw new Error(`no refusal shown:\n${ann.screen()}\n${bob.screen()}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      await ann.waitFor(statusOnScreen('Race', 'passed'), 'Race to pass (ann)', 20_000);
      await bob.waitFor(statusOnScreen('Race', 'passed'), 'Race to pass (bob)', 20_000);
      expect(readFileSync(join(t.dir, 'race.count'), 'utf8')).toBe('ran\n');

      // Sign-offs: under the session's own name; a role taken in one session is not offered in the other.
      await ann.press('g', (s) => flat(s).includes('Why sign off now?'), 'ann is asked why (Long is not done)');
      tmux.tmux('send-keys', '-t', ann.target, '-l', 'long runs later');
      await ann.press('Enter', (s) => flat(s).includes('as which role?'), 'ann is asked the role (not her name)');
      expect(flat(ann.screen())).not.toContain('your name?');
      await ann.press('1', (s) => flat(s).includes('signed off by ann (Lead)'), 'ann signs as Lead');
      await bob.waitFor((s) => /ann@\S+ signed off as Lead/.test(flat(s)), 'bob to be told ann signed as Lead');
      await bob.press('g', (s) => flat(s).includes('Why sign off now?'), 'bob is asked why');
      tmux.tmux('send-keys', '-t', bob.target, '-l', 'qa later');
      await bob.press('Enter', (s) => flat(s).includes('as which role?'), 'bob is asked the role');
      const roles = flat(bob.screen());
      expect(roles).toContain('1. QA');
      // (Only QA is offered; the status line says ann signed as Lead.)
      expect(roles).not.toMatch(/\d\. Lead/);
      await bob.press('Escape', (s) => flat(s).includes('cancelled'), 'bob leaves it');

      // kill -9 of one operator while it runs an item: the other sees it interrupted after the lease.
      await moveTo(bob, 'Long');
      await bob.press('Enter', statusOnScreen('Long', 'running'), 'bob runs Long');
      await ann.waitFor(statusOnScreen('Long', 'running'), 'ann to see Long running');
      await moveTo(ann, 'Long');
      await ann.press('Enter', (s) => flat(s).includes('"Long" is running in bob\'s session'), 'ann is refused Long');
      killQuietly(bob.pid());
      await ann.waitFor(statusOnScreen('Long', 'interrupted'), 'ann to see Long interrupted after the lease', 45_000);
      await ann.waitFor((s) => !flat(s).includes('bob@'), 'bob to leave the presence line', 30_000);
      expect(readFileSync(join(t.dir, 'long.count'), 'utf8')).toBe('started\n');
      // Resolved like any interrupted action: asked, never re-run by itself.
      await ann.press('Enter', (s) => flat(s).includes('was interrupted while running'), 'ann is asked what became of Long');
      await ann.press('x', (s) => flat(s).includes('How do you know?'), 'failed');
      tmux.tmux('send-keys', '-t', ann.target, '-l', 'bob is gone');
      await ann.press('Enter', statusOnScreen('Long', 'failed'), 'recorded as failed');
      expect(itemOnScreen(ann.screen(), 'Long')?.status).toBe('failed');

      // The report of the team run verifies, and says who did what from where.
      await ann.press('q', (s) => s.includes('[exit'), 'ann quits');
      expect(cli('keygen').status).toBe(0);
      const out = join(t.dir, 'team.report.json');
      const rep = cli('report', runId, '--output', out);
      expect(rep.status, rep.stderr).toBe(0);
      const v = cli('verify', out);
      expect(v.status, v.stdout + v.stderr).toBe(0);
      const mdOut = join(t.dir, 'team.report.md');
      expect(cli('report', runId, '--format', 'md', '--output', mdOut).status).toBe(0);
      expect(existsSync(mdOut)).toBe(true);
      const md = readFileSync(mdOut, 'utf8');
      expect(md).toMatch(/Lead.*ann/);
    }, 240_000);
  },
);

// The screen at the sizes a bastion terminal has (80×24 and 100×30), in a real pty: typed-ahead
// phase moves, section titles that keep their distinguishing ends, "↑/↓ n more" markers with no
// heading left alone at the bottom, comparison and snapshot tables with every row reachable, the
// confirm prompt showing the exact command (secret masked), the `i` overlay with the run's
// identity in full, warnings never cut; and `runs` / `status` with headers, track and units.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Tmux, tmuxAvailable, type Pane } from './tmux.js';
import { cursorOn, listShown, screenItems, setupE2e, type E2e } from './harness.js';
import { layout } from '../../src/ui/hooks.js';

const SIZES: [number, number][] = [
  [80, 24],
  [100, 30],
];

/** The screen's lines joined with the line breaks removed: text the UI wrapped or hard-broke. */
const joined = (s: string) =>
  s
    .split('\n')
    .map((l) => l.trimEnd())
    .join('');
/** Wrapped at word boundaries: lines joined with a space. */
const flat = (s: string) =>
  s
    .split('\n')
    .map((l) => l.trim())
    .join(' ')
    .replace(/\s+/g, ' ');
/** The current phase's tab, e.g. "[4 P4 0/1]". */
const currentTab = (s: string) => /\[(\d+) P\d/.exec(s.split('\n')[1] ?? '')?.[1];

describe.skipIf(!tmuxAvailable('test/e2e/screen-sizes.test.ts'))('the screen at 80×24 and 100×30 (tmux)', () => {
  let e: E2e;
  let sized: Tmux | undefined;
  beforeEach(async () => {
    e = await setupE2e();
  });
  afterEach(async () => {
    await sized?.kill();
    sized = undefined;
    await e.cleanup();
  });

  const launch = (cols: number, rows: number, args: string[]): Pane => {
    sized ??= new Tmux(join(e.dir, `tmux-${cols}x${rows}.sock`), e.tmux.env, cols, rows);
    return sized.launch(args, e.dir);
  };
  /** Several keys in ONE send-keys call: they reach runsheet together, as typed-ahead keys do. */
  const typeAhead = (pane: Pane, ...keys: string[]) => sized!.tmux('send-keys', '-t', pane.target, ...keys);

  describe.each(SIZES)('at %i×%i', (cols, rows) => {
    const listHeight = layout(rows).list;

    it('applies typed-ahead phase moves in order: l l l, Tab Tab, → → each move every time', async () => {
      const phases = Array.from({ length: 8 }, (_, i) => `  - title: P${i + 1}\n    items:\n      - {title: Item ${i + 1}}`).join('\n');
      await e.checklist('phases.yaml', `version: 1\ntitle: Phases\nphases:\n${phases}\n`);
      const pane = launch(cols, rows, ['run', 'phases.yaml']);
      await listShown(pane, 1);
      expect(currentTab(pane.screen())).toBe('1');
      typeAhead(pane, 'l', 'l', 'l');
      await pane.waitFor((s) => currentTab(s) === '4' && screenItems(s)[0]?.title === 'Item 4', 'l l l to reach phase 4', 5000);
      typeAhead(pane, 'Tab', 'Tab');
      await pane.waitFor((s) => currentTab(s) === '6' && screenItems(s)[0]?.title === 'Item 6', 'Tab Tab to reach phase 6', 5000);
      typeAhead(pane, 'h', 'h', 'h', 'h');
      await pane.waitFor((s) => currentTab(s) === '2', 'h h h h to reach phase 2', 5000);
      typeAhead(pane, 'Right', 'Right');
      await pane.waitFor((s) => currentTab(s) === '4' && screenItems(s)[0]?.title === 'Item 4', '→ → to reach phase 4', 5000);
      pane.key('q');
      expect(await pane.exitCode()).toBe(0);
    });

    it('shortens long section titles in the middle, keeping the end that tells them apart', async () => {
      const long = 'Metrics Monitoring (Every 5 minutes for the first hour of the change window, then hourly)';
      await e.checklist(
        'sections.yaml',
        `version: 1\ntitle: Sections\nphases:\n  - title: Watch\n    sections:\n` +
          ['Performance Metrics', 'Error Budget Metrics']
            .map((end, i) => `      - title: '${long} › ${end}'\n        items:\n          - {title: Look ${i}}`)
            .join('\n') +
          '\n',
      );
      const pane = launch(cols, rows, ['run', 'sections.yaml']);
      const s = await listShown(pane, 2);
      const headings = s.split('\n').filter((l) => l.startsWith('── ') && !/^── \d+\/\d+/.test(l));
      expect(headings).toHaveLength(2);
      expect(headings[0]).toMatch(/^── Metrics Monitoring.*….*› Performance Metrics ─+$/);
      expect(headings[1]).toMatch(/^── Metrics Monitoring.*….*› Error Budget Metrics ─+$/);
      for (const h of headings) expect(Array.from(h).length).toBeLessThanOrEqual(cols - 1);
      // The separator above the detail pane names the cursor's section the same way.
      expect(s).toMatch(/── 1\/2 · Metrics Monito.*….*Performance Metrics ─+/);
      pane.key('q');
    });

    it('says how many items are above and below, and never leaves a heading alone on the bottom row', async () => {
      // Section B's heading falls on the last row the list has before its "↓ more" marker.
      const a = listHeight - 3;
      const b = 20;
      const items = (p: string, n: number) => Array.from({ length: n }, (_, i) => `          - {title: ${p}${i + 1}}`).join('\n');
      await e.checklist(
        'long.yaml',
        `version: 1\ntitle: Long\nphases:\n  - title: Many\n    sections:\n      - title: Section A\n        items:\n${items('A', a)}\n      - title: Section B\n        items:\n${items('B', b)}\n`,
      );
      const pane = launch(cols, rows, ['run', 'long.yaml']);
      const first = await pane.waitFor((s) => screenItems(s).length > 0 && s.includes('more'), 'the list with a more marker');
      const listLines = first.split('\n').slice(2, 2 + listHeight);
      const marker = listLines.findIndex((l) => /^ {2}↓ \d+ more$/.test(l.trimEnd()));
      expect(marker, first).toBeGreaterThan(0);
      expect(listLines.some((l) => l.startsWith('  ↑'))).toBe(false);
      // Every item is either drawn or counted.
      const drawn = screenItems(first).length;
      expect(Number(/↓ (\d+) more/.exec(listLines[marker])![1])).toBe(a + b - drawn);
      // The last drawn row above the marker is an item, not Section B's heading.
      const lastDrawn = listLines
        .slice(0, marker)
        .filter((l) => l.trim())
        .at(-1)!;
      expect(lastDrawn, first).not.toMatch(/^── Section B/);
      // Walk down into section B: its heading shows above its first item, "↑ n more" at the top.
      for (let i = 1; i <= a; i++)
        await pane.press('j', cursorOn(i < a ? `A${i + 1}` : 'B1'), `the cursor on ${i < a ? `A${i + 1}` : 'B1'}`);
      const inB = pane.screen();
      const lines = inB.split('\n').slice(2, 2 + listHeight);
      expect(lines[0], inB).toMatch(/^ {2}↑ \d+ more/);
      const b1 = lines.findIndex((l) => / B1\s/.test(l));
      expect(lines[b1 - 1], inB).toMatch(/^── Section B/);
      const above = Number(/↑ (\d+) more/.exec(lines[0])![1]);
      const below = Number(/↓ (\d+) more/.exec(inB)?.[1] ?? 0);
      expect(above + screenItems(inB).length + below).toBe(a + b);
      pane.key('q');
    });

    it('shows a comparison and a snapshot row by row, every row reachable', async () => {
      const metrics = Array.from(
        { length: 6 },
        (_, i) => `  - {id: probe_${i + 1}, title: Probe number ${i + 1}, unit: ms, command: 'echo ${101 + i}', better: lower}`,
      ).join('\n');
      await e.checklist(
        'metrics.yaml',
        `version: 1\ntitle: Metrics\nsamples: 1\ninterval: 1s\nmetrics:\n${metrics}\nphases:\n  - title: Work\n    items:\n` +
          `      - {id: base, title: Baseline, snapshot: {label: baseline}}\n` +
          `      - {id: cmp, title: Compare, compare: {baseline: baseline, label: after}}\n`,
      );
      const pane = launch(cols, rows, ['run', 'metrics.yaml']);
      await listShown(pane, 2);
      // The snapshot: `o` shows its values (metric, value with unit, source), not a count.
      await pane.press('Enter', (s) => s.includes('[✓] Baseline'), 'the snapshot to pass', 30_000);
      const snapDetail = await pane.waitFor((s) => s.includes('Probe number 1'), 'the snapshot values in the detail pane');
      expect(snapDetail).toMatch(/Probe number 1\s+101 ms\s+command/);
      const snapPager = await pane.press('o', (s) => s.includes('output of Baseline'), 'the snapshot pager');
      for (let i = 1; i <= 6; i++) expect(snapPager).toMatch(new RegExp(`Probe number ${i}\\s+${100 + i} ms\\s+command`));
      await pane.press('q', (s) => !s.includes('output of Baseline'), 'the pager to close');
      // The comparison: as many rows as the pane holds, and a line saying how many more.
      await pane.press('j', cursorOn('Compare'), 'the cursor on Compare');
      const cmp = await pane.press('Enter', (s) => s.includes('[✓] Compare') && s.includes('probe_1'), 'the comparison', 30_000);
      const shown = Array.from({ length: 6 }, (_, i) => i + 1).filter((i) => cmp.includes(`probe_${i} `));
      const more = /↓ (\d+) more rows · o shows the whole table/.exec(cmp);
      if (shown.length < 6) expect(Number(more?.[1]), cmp).toBe(6 - shown.length);
      else expect(more).toBeNull();
      // Both sizes show more than one row of the table in the detail pane.
      expect(shown.length).toBeGreaterThanOrEqual(4);
      const pager = await pane.press('o', (s) => s.includes('output of Compare'), 'the comparison pager');
      for (let i = 1; i <= 6; i++) expect(pager).toMatch(new RegExp(`probe_${i}\\s+${100 + i} ms\\s+${100 + i} ms`));
      await pane.press('q', (s) => !s.includes('output of Compare'), 'the pager to close');
      pane.key('q');
    });

    it('the confirm prompt shows the exact command it is about to run, secret masked, wrapped to the width', async () => {
      await e.checklist(
        'confirm.yaml',
        `version: 1\ntitle: Confirm\nsecrets: [DEPLOY_TOKEN]\nvars: {DEPLOY_TOKEN: tok-screen-secret-42, VERSION: 1.5.0}\nphases:\n  - title: Work\n    items:\n` +
          `      - {id: ship, title: Ship release, confirm: true, run: 'echo deploying --version \${VERSION} --token \${DEPLOY_TOKEN} --to every-region-of-the-fleet --with-a-long-tail-of-flags --and-then-some-more-flags-to-wrap'}\n`,
      );
      const pane = launch(cols, rows, ['run', 'confirm.yaml']);
      await listShown(pane, 1);
      const ask = await pane.press('Enter', (s) => s.includes('Run "Ship release"?'), 'the confirm prompt');
      expect(flat(ask)).toContain(
        '$ echo deploying --version 1.5.0 --token "${DEPLOY_TOKEN}" --to every-region-of-the-fleet --with-a-long-tail-of-flags --and-then-some-more-flags-to-wrap',
      );
      expect(ask).not.toContain('tok-screen-secret-42');
      for (const l of ask.split('\n')) expect(Array.from(l).length).toBeLessThanOrEqual(cols - 1);
      await pane.press('n', (s) => s.includes('cancelled: nothing ran'), 'the no');
      pane.key('q');
    });

    it('i shows the run id and paths in full, to copy; the warnings from opening the run are never cut', async () => {
      const file = await e.checklist(
        'info.yaml',
        `version: 1\ntitle: A checklist with a title long enough to push the run id into being shortened on screen\nphases:\n  - title: Work\n    items:\n      - {title: Alpha}\n      - {title: Bravo}\n`,
      );
      const first = launch(cols, rows, ['run', 'info.yaml']);
      await listShown(first, 2);
      const runId = e.onlyRunId();
      // kill -9 leaves the lock behind; a changed checklist adds a second warning.
      const pid = first.pid();
      process.kill(pid, 'SIGKILL');
      await first.exitCode();
      writeFileSync(
        file,
        readFileSync(file, 'utf8').replace('      - {title: Bravo}\n', '      - {title: Bravo}\n      - {title: Charlie}\n'),
      );
      const pane = launch(cols, rows, ['resume', runId]);
      const s = await listShown(pane, 3);
      const status = s.split('\n').find((l) => l.startsWith('warning: ')) ?? '';
      // Either every warning fits on the line, or it ends saying where all of them are.
      if (!status.includes('(i: all 2 warnings in full)')) {
        expect(status).toContain('took over a stale lock');
        expect(status).toContain('the checklist changed');
      }
      expect(s).not.toContain('more: ?');
      const info = await pane.press('i', (x) => x.includes('run info'), 'the info overlay');
      const infoLines = info.split('\n');
      // The run id whole on its own line from the first column (the header shortens it).
      expect(infoLines).toContain(runId);
      expect(joined(info)).toContain(join(e.home, 'runs', runId, 'events.jsonl'));
      expect(joined(info)).toContain(file);
      expect(infoLines).toContain('e2e');
      const end = await pane.press('G', (x) => /(\d+)-(\d+) of \2\b/.test(x), 'the end of the info overlay');
      const all = flat(end);
      expect(all).toMatch(/took over a stale lock left by process \d+ \(no longer running\)/);
      expect(all).toContain('the checklist changed since this run started: 1 item(s) added');
      for (const l of end.split('\n')) expect(Array.from(l).length).toBeLessThanOrEqual(cols - 1);
      await pane.press('i', (x) => !x.includes('run info'), 'i to close the overlay');
      pane.key('q');
    });
  });

  it('runs has a header row and the track; status shows a recorded value with its unit', async () => {
    await e.checklist(
      'rb.yaml',
      `version: 1\ntitle: Rollback me\nphases:\n  - title: Work\n    items:\n      - {title: Latency p95, record: number, unit: ms}\nrollback:\n  items:\n    - {title: Undo}\n`,
    );
    const pane = launch(80, 24, ['run', 'rb.yaml']);
    await listShown(pane, 1);
    await pane.press('Enter', (s) => s.includes('a number in ms'), 'the record question');
    pane.text('182');
    await pane.press('Enter', (s) => s.includes('[=] Latency p95'), 'the value recorded');
    await pane.press('R', (s) => s.includes('ROLLBACK track: why?'), 'the rollback question');
    pane.text('bad release');
    await pane.press('Enter', (s) => s.includes('[ROLLBACK]'), 'the rollback track');
    const runId = e.onlyRunId();
    const runs = e.cli('runs');
    expect(runs.status).toBe(0);
    const [head, row] = runs.stdout.trimEnd().split('\n');
    expect(head).toMatch(/^RUN ID\s+STATUS\s+TRACK\s+DONE\s+ENV\s+OPERATOR\s+STARTED\s+CHECKLIST$/);
    expect(row).toMatch(new RegExp(`^${runId}\\s+\\S+\\s+rollback\\s+\\d+/\\d+\\s+-\\s+e2e\\s+\\S+\\s+Rollback me$`));
    expect(row.slice(head.indexOf('TRACK'))).toMatch(/^rollback /);
    const status = e.cli('status', runId);
    expect(status.stdout).toMatch(/Latency p95 = 182 ms/);
    pane.key('q');
  });
});

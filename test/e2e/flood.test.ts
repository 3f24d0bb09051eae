// A command printing 50 MB: the TUI keeps taking keys while it runs, runsheet's peak memory stays
// bounded (output goes to the log on disk; only a tail is kept), and the log and its recorded
// sha256 cover every byte.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { peakRssKiB, tmuxAvailable } from './tmux.js';
import { cursorOn, readEvents, setupE2e, statusOnScreen, type E2e } from './harness.js';

const ROUNDS = 25;
const MB = 1_000_000;
// Each round: 1 MB of x with no newline (one huge line), then 1 MB of "y\n" lines, then a short
// pause, so the flood lasts long enough for keys to land while it is still pouring out.
const CHECKLIST = `version: 1
title: Flood
phases:
  - title: Work
    items:
      - title: Flood
        run: "for i in $(seq ${ROUNDS}); do head -c ${MB} /dev/zero | tr '\\\\0' x; yes | head -c ${MB}; sleep 0.2; done"
      - {title: After}
      - {title: Later}
`;
const TOTAL = ROUNDS * 2 * MB;
const PEAK_LIMIT_KIB = 150 * 1024;

function expectedSha256(): string {
  const h = createHash('sha256');
  const xs = Buffer.alloc(MB, 'x');
  const ys = Buffer.from('y\n'.repeat(MB / 2));
  for (let i = 0; i < ROUNDS; i++) h.update(xs).update(ys);
  return h.digest('hex');
}

describe.skipIf(!tmuxAvailable('test/e2e/flood.test.ts'))('a command flooding 50 MB of output (tmux)', () => {
  let e: E2e;
  beforeEach(async () => {
    e = await setupE2e();
  });
  afterEach(async () => e.cleanup());

  it('keys still move the cursor, peak RSS stays under 150 MiB, the log and its sha256 are complete', { timeout: 90_000 }, async () => {
    await e.checklist('flood.yaml', CHECKLIST);
    const pane = e.tmux.launch(['run', 'flood.yaml'], e.dir);
    await pane.waitFor(cursorOn('Flood'), 'the TUI');
    const pid = pane.pid();
    const runId = e.onlyRunId();
    const log = join(e.home, 'runs', runId, 'logs', 'flood.1.stdout.log');
    const logSize = () => {
      try {
        return statSync(log).size;
      } catch {
        return 0;
      }
    };

    await pane.press('Enter', statusOnScreen('Flood', 'running'), 'the flood to start');
    // Moves while output is pouring in: each must show within a generous deadline, and the
    // flood must still be running when it does (so the keys were handled during it, not after).
    const moves: [string, string][] = [
      ['j', 'After'],
      ['j', 'Later'],
      ['k', 'After'],
      ['k', 'Flood'],
      ['j', 'After'],
    ];
    for (const [key, to] of moves) {
      const before = logSize();
      await pane.waitFor(() => logSize() > before, 'more output to arrive');
      await pane.press(key, cursorOn(to), `the cursor to move to ${to} during the flood`, 5_000);
      expect(logSize(), 'the flood was already over: the key was not tested during it').toBeLessThan(TOTAL);
    }

    await pane.waitFor(statusOnScreen('Flood', 'passed'), 'the flood to finish', 60_000);
    const peak = peakRssKiB(pid);
    expect(peak, `peak RSS ${peak} KiB`).toBeLessThan(PEAK_LIMIT_KIB);

    // The whole output is on disk, and the result records its size and sha256.
    expect(statSync(log).size).toBe(TOTAL);
    const sha = expectedSha256();
    expect(createHash('sha256').update(readFileSync(log)).digest('hex')).toBe(sha);
    const passed = readEvents(e.eventsPath(runId)).find((ev) => ev.type === 'item.passed' && ev.item === 'flood') as
      { result: { stdout: { bytes: number; sha256: string; log: string } } } | undefined;
    expect(passed?.result.stdout).toMatchObject({ bytes: TOTAL, sha256: sha, log: 'flood.1.stdout.log' });

    // Still responsive afterwards, and quits cleanly.
    await pane.press('j', cursorOn('Later'), 'the cursor after the flood');
    pane.key('q');
    expect(await pane.exitCode()).toBe(0);
  });
});

// README's picture is what the program draws: the demo checklist rendered at 80×24 with a fixed
// clock, run id and operator must equal the ``` block under README's introduction, character for
// character. Regenerate the block after a screen change with:
//   UPDATE_README_PICTURE=1 npx vitest run --config vitest.nosetup.config.ts test/ui/readme-picture.test.tsx
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mount, openRun, type RunFixture, type Screen } from './harness.js';

const SIZE = { columns: 80, rows: 24 };
// The clock is pinned (Date only: Ink's timers stay real), so the run's start, the header's
// elapsed time and the run id's date-time are the same on every machine.
const NOW = new Date('2026-11-23T10:15:00.000Z');
const RUN_ID = '20261123-101500-demo-service-release-1-5-a1b2';

/** README's first fenced block: the picture under the introduction. */
function readmeBlock(readme: string): { start: number; end: number; text: string } {
  const start = readme.indexOf('```\n') + 4;
  const end = readme.indexOf('\n```', start);
  return { start, end, text: readme.slice(start, end) };
}

let run: RunFixture | undefined;
let ui: Screen | undefined;
afterEach(async () => {
  ui?.unmount();
  await run?.cleanup();
  vi.useRealTimers();
});

describe("README's picture", () => {
  it('is a real capture of the demo at 80×24', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
    run = await openRun(readFileSync('checklists/demo.yaml', 'utf8'));
    ui = await mount(run, { ...SIZE, color: false, runId: RUN_ID });
    await ui.waitFor((f) => f.includes('Demo service') && f.includes('ready'), 'the demo screen');
    // A little progress, made only of what is the same on every machine: two manual ticks.
    for (let i = 0; i < 5; i++) await ui.press('j');
    await ui.press(' ', (f) => f.includes('[x] Release notes'), 'the first tick');
    await ui.press('j');
    const frame = await ui.press(' ', (f) => f.includes('[x] Everyone on the call'), 'the second tick');
    const capture = frame
      .split('\n')
      .map((l) => l.trimEnd())
      .join('\n')
      .trimEnd();
    // The picture is drawn at the size it claims: nothing wider or taller.
    for (const l of capture.split('\n')) expect([...l].length).toBeLessThanOrEqual(SIZE.columns - 1);
    expect(capture.split('\n').length).toBeLessThanOrEqual(SIZE.rows - 1);
    const readme = readFileSync('README.md', 'utf8');
    const block = readmeBlock(readme);
    if (process.env.UPDATE_README_PICTURE) writeFileSync('README.md', readme.slice(0, block.start) + capture + readme.slice(block.end));
    else expect(block.text, "README.md's picture differs from what runsheet draws: rerun with UPDATE_README_PICTURE=1").toBe(capture);
  });
});

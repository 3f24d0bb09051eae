// The start-up floor the benchmark measures runsheet against (bench/floor/empty-ink.tsx): built by
// scripts/build.mjs from another entry, it must be what the table calls it — a real Ink app in the
// same single-file form, reaching the same footer marker (`q quit`), reading keys, and keeping the
// same kind of code cache — or its row would compare runsheet with something cheaper than Ink.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildBundle } from '../../scripts/build.mjs';
import { tmuxAvailable } from '../e2e/tmux.js';
import { setupE2e, type E2e } from '../e2e/harness.js';

let e: E2e;
beforeEach(async () => {
  e = await setupE2e();
});
afterEach(async () => e.cleanup());

describe.runIf(tmuxAvailable('the benchmark floor test'))('the empty Ink app (start-up floor)', () => {
  it('is one self-contained file with the loader, draws the marker, quits on q and keeps a screen-level code cache', async () => {
    const floor = await buildBundle({
      entry: join(process.cwd(), 'bench', 'floor', 'empty-ink.tsx'),
      outfile: join(e.dir, 'empty-ink.mjs'),
    });
    const text = readFileSync(floor, 'latin1');
    expect(text).toContain('\n//runsheet-code\n');
    expect(text).toMatch(/Symbol\.for\(.runsheet\.loader.\)/);
    const pane = e.tmux.launch([], e.dir, floor);
    await pane.waitFor((s) => s.includes('empty Ink app') && s.includes('? help · q quit'), 'the two lines');
    pane.key('q');
    expect(await pane.exitCode()).toBe(0);
    expect(readdirSync(e.dir).filter((f) => f.startsWith('.empty-ink.mjs-') && f.endsWith('.tui.v8cache'))).toHaveLength(1);
  });
});

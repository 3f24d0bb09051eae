// The bundle's V8 code cache (scripts/bundle-loader.js): made by the first start, used by the next
// ones (not remade, which is what happens when V8 refuses it), upgraded once by a terminal session,
// and never in the way: a damaged cache, an old build's cache or RUNSHEET_CODE_CACHE=off only cost
// time. Each test runs its own copy of the bundle, so the caches beside dist/runsheet.mjs (shared
// by the other tests) are not touched.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copyFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { BUNDLE, tmuxAvailable } from './tmux.js';
import { cursorOn, setupE2e, type E2e } from './harness.js';

const CHECKLIST = 'version: 1\ntitle: T\nphases:\n  - title: P\n    items:\n      - title: first\n      - title: second\n';

let e: E2e;
let bundle: string;
beforeEach(async () => {
  e = await setupE2e();
  bundle = join(e.dir, 'runsheet.mjs');
  copyFileSync(BUNDLE, bundle);
  await e.checklist('c.yaml', CHECKLIST);
});
afterEach(async () => e.cleanup());

const caches = () =>
  readdirSync(e.dir)
    .filter((f) => f.endsWith('.v8cache'))
    .sort();
/** Inode and mtime: a rewritten cache (write + rename) changes both. */
const stamp = (f: string) => {
  const s = statSync(join(e.dir, f));
  return `${s.ino}:${s.mtimeMs}`;
};
const run = (args: string[], env: Record<string, string> = {}) => {
  const r = spawnSync(process.execPath, [bundle, ...args], {
    cwd: e.dir,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, RUNSHEET_HOME: e.home, ...env },
  });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout;
};

describe('the code cache beside the bundle', () => {
  it('is made by the first start and then used as it is', () => {
    expect(caches()).toEqual([]);
    run(['validate', 'c.yaml']);
    const [cache] = caches();
    expect(cache).toMatch(
      new RegExp(`^\\.runsheet\\.mjs-[0-9a-f]{16}-${process.version.replace(/\./g, '\\.')}-${process.arch}\\.cli\\.v8cache$`),
    );
    const before = stamp(cache);
    run(['validate', 'c.yaml']);
    run(['--version']);
    expect(caches()).toEqual([cache]);
    expect(stamp(cache)).toBe(before);
  });

  it('a damaged cache is refused and replaced, and the command works all the same', () => {
    run(['--version']);
    const [cache] = caches();
    writeFileSync(join(e.dir, cache), Buffer.alloc(4096, 7));
    expect(run(['validate', 'c.yaml'])).toMatch(/ok/i);
    expect(caches()).toEqual([cache]);
    expect(statSync(join(e.dir, cache)).size).toBeGreaterThan(100_000);
  });

  it("an older build's cache is removed when a new one is written", () => {
    const old = '.runsheet.mjs-0123456789abcdef-v20.0.0-x64.cli.v8cache';
    writeFileSync(join(e.dir, old), 'old');
    run(['--version']);
    expect(caches()).not.toContain(old);
    expect(caches()).toHaveLength(1);
  });

  it('RUNSHEET_CODE_CACHE=off neither reads nor writes one', () => {
    run(['validate', 'c.yaml'], { RUNSHEET_CODE_CACHE: 'off' });
    expect(caches()).toEqual([]);
  });

  it.skipIf(!tmuxAvailable('test/e2e/code-cache.test.ts'))(
    'a terminal session upgrades it to hold the screen, once, and later sessions use it',
    async () => {
      run(['--version']);
      const session = async () => {
        const pane = e.tmux.launch(['run', 'c.yaml', '--fresh'], e.dir, bundle);
        await pane.waitFor(cursorOn('first'), 'the TUI');
        await pane.press('q', (s) => /\[exit 0\]/.test(s) || /keep|quit/i.test(s), 'quit');
        if (!/\[exit 0\]/.test(pane.screen())) pane.key('y');
        expect(await pane.exitCode()).toBe(0);
      };
      await session();
      const [cache] = caches();
      expect(cache).toMatch(/\.tui\.v8cache$/);
      const before = stamp(cache);
      // Bigger than the command-line one: it holds Ink's and React's code too.
      expect(statSync(join(e.dir, cache)).size).toBeGreaterThan(800_000);
      await session();
      run(['--version']);
      expect(caches()).toEqual([cache]);
      expect(stamp(cache)).toBe(before);
    },
  );
});

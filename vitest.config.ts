import { readFileSync } from 'node:fs';
import { defineConfig, type Plugin } from 'vitest/config';
import { applyInkFixes, isInkFixTarget } from './scripts/ink-fixes.mjs';

// Component tests render with the same patched Ink the bundle ships (scripts/ink-fixes.mjs): the
// patched packages are inlined (run through Vite, not loaded by Node directly) and the fixes are
// applied as they load, so a fix that breaks rendering breaks these tests too.
const inkFixesForTests: Plugin = {
  name: 'ink-fixes',
  enforce: 'pre',
  load(id) {
    const path = id.split('?')[0];
    return isInkFixTarget(path) ? applyInkFixes(path, readFileSync(path, 'utf8')) : null;
  },
};

export default defineConfig({
  plugins: [inkFixesForTests],
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    globalSetup: ['test/global-setup.ts'],
    // Integration tests spawn real processes and servers; 2 cores here.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    server: {
      deps: { inline: [/[\\/]node_modules[\\/](ink|ink-testing-library|string-width|wrap-ansi|yoga-layout)[\\/]/] },
    },
  },
});

// The build-time fixes to string-width (scripts/ink-fixes.mjs) change how fast it is, never what
// it answers: both copies in the bundle, patched, give the unpatched widths for every kind of text.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from 'esbuild';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inkFixes } from '../../scripts/ink-fixes.mjs';
import { tempDir } from '../support/tmp.js';

type Width = (s: string) => number;
const COPIES = { latest: 'string-width', 'wrap-ansi': 'wrap-ansi/node_modules/string-width' };

let t: Awaited<ReturnType<typeof tempDir>>;
const widths: Record<string, { patched: Width; plain: Width }> = {};

async function bundle(entry: string, out: string, patched: boolean): Promise<Width> {
  await build({
    entryPoints: [entry],
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'esm',
    plugins: patched ? [inkFixes] : [],
    logLevel: 'silent',
  });
  return ((await import(pathToFileURL(out).href)) as { default: Width }).default;
}

beforeAll(async () => {
  t = await tempDir('rs-ink-fixes-');
  for (const [name, dir] of Object.entries(COPIES)) {
    const entry = join(process.cwd(), 'node_modules', dir, 'index.js');
    widths[name] = {
      patched: await bundle(entry, join(t.dir, `${name}-patched.mjs`), true),
      plain: await bundle(entry, join(t.dir, `${name}-plain.mjs`), false),
    };
  }
});
afterAll(async () => t.cleanup());

const SAMPLES = [
  'plain ascii',
  '── Phase 1 · section 2 ──',
  '── 2/101 · #3 * 4 ──',
  '✓ done → next',
  '✗ failed ↓ ↑ ← →',
  '⠋⠙⠹⠸ spinner',
  '≤ 5 % · ‹ › ▏ ⏎ − ↺ …',
  '😀',
  '👍🏽',
  '🇫🇷',
  '#️⃣',
  '1️⃣',
  '👨‍👩‍👧',
  '❤️',
  '❤',
  '✔️',
  '✔',
  '☺',
  '↔️',
  '↔',
  '🏻',
  '🏴󠁧󠁢󠁳󠁣󠁴󠁿',
  '👩🏽‍💻',
  '™',
  '©️',
  '〰️',
  '日本語のテキスト',
  '한국어',
  '각',
  'e\u0301',
  'a\u200bb',
  'x\u00ad',
  'ｱｲｳ ﾞ',
  'tab\there',
  '\u001b[31mred\u001b[39m ✓',
];

describe('string-width as patched into the bundle', () => {
  it.each(Object.keys(COPIES))('%s copy: same widths as unpatched', (name) => {
    const { patched, plain } = widths[name];
    for (const s of SAMPLES) expect(patched(s), JSON.stringify(s)).toBe(plain(s));
  });
});

describe('the tests run the patched packages too', () => {
  it('string-width, as a component test imports it, carries the fix (vitest.config.ts)', async () => {
    const sw = (await import('string-width')).default;
    expect(sw.toString()).toContain('runsheetWidths');
  });
});

describe('a fix cannot silently vanish', () => {
  it('an Ink build in which a fixed file never appears fails, naming the fix', async () => {
    const entry = join(process.cwd(), 'node_modules', 'ink', 'build', 'log-update.js');
    const run = build({
      entryPoints: [entry],
      outfile: join(t.dir, 'partial.mjs'),
      bundle: true,
      platform: 'node',
      format: 'esm',
      plugins: [inkFixes],
      logLevel: 'silent',
      metafile: true,
    });
    await expect(run).rejects.toThrow(/no file matching .*string-width.* was bundled/);
  });
});

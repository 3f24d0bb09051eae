// Build-time fixes to Ink applied while bundling (esbuild plugin), so the bundle an operator
// runs has them whatever node_modules holds. Each fix names the exact text it replaces and the
// build fails when that text is gone: an Ink upgrade must re-check the fix, never silently drop it.
import { readFile } from 'node:fs/promises';

// Used by the two string-width fixes below.
const MAY_BE_EMOJI =
  'const mayBeEmojiRegex = /\\p{Emoji}/u;\nconst mayBeEmoji = (s) => (s.length > 1 || s.charCodeAt(0) > 0x7f) && mayBeEmojiRegex.test(s);';

const FIXES = [
  {
    // Ink 6.8 incremental rendering: a frame written with a trailing newline leaves the cursor on
    // the row *below* the frame, but the next frame moved up only (lines - 1) rows, so every
    // redraw landed one row low: after the first clock tick the header was drawn over the phase
    // tabs and the frame crept down the screen. Move up one more row when the last frame ended
    // in a newline (the cursor then sits below it), exactly as the shrink branch already does.
    file: /[\\/]ink[\\/]build[\\/]log-update\.js$/,
    find: 'buffer.push(ansiEscapes.cursorUp(previousVisible - 1));',
    replace: "buffer.push(ansiEscapes.cursorUp(previousVisible - (previousOutput.endsWith('\\n') ? 0 : 1)));",
  },
  {
    // Performance (docs/performance.md): Ink measures the width of the same strings on every
    // frame, and string-width segments any non-ASCII text (every "─", "·", spinner) grapheme by
    // grapheme: under an output flood that was a fifth of the CPU of a frame. Memoise it, bounded.
    file: /[\\/]string-width[\\/]index\.js$/,
    find: 'export default function stringWidth(',
    replace: `const runsheetWidths = new Map();
export default function stringWidth(text, options) {
	if (options !== undefined || typeof text !== 'string') return stringWidthUncached(text, options);
	let width = runsheetWidths.get(text);
	if (width === undefined) {
		if (runsheetWidths.size >= 20000) runsheetWidths.clear();
		width = stringWidthUncached(text);
		runsheetWidths.set(text, width);
	}
	return width;
}
function stringWidthUncached(`,
  },
  {
    // Start-up (docs/performance.md): string-width tests every non-ASCII grapheme against
    // /^\p{RGI_Emoji}$/v, a regular expression of thousands of sequences that V8 parses when the
    // module loads (~10 ms) and compiles on first use (~10 ms more), inside the first frame, for
    // a "─" or a "·". It is now made on first use, and used less: an emoji is either one
    // non-ASCII code point or a sequence, and always holds an Emoji code point; so graphemes that
    // are one ASCII character (digits are Emoji code points) or hold no Emoji code point (box
    // drawing, arrows, dots, braille spinners) skip it, and an emoji still meets the full test.
    // The copy wrap-ansi uses has the same test through emoji-regex.
    file: /[\\/]string-width[\\/]index\.js$/,
    unless: /[\\/]wrap-ansi[\\/]node_modules[\\/]/,
    edits: [
      { find: 'const rgiEmojiRegex = /^\\p{RGI_Emoji}$/v;', replace: `let rgiEmojiRegex;\n${MAY_BE_EMOJI}` },
      {
        find: 'if (rgiEmojiRegex.test(segment) || isDoubleWidthNonRgiEmojiSequence(segment)) {',
        replace:
          'if ((mayBeEmoji(segment) && (rgiEmojiRegex ??= /^\\p{RGI_Emoji}$/v).test(segment)) || isDoubleWidthNonRgiEmojiSequence(segment)) {',
      },
    ],
  },
  {
    file: /[\\/]wrap-ansi[\\/]node_modules[\\/]string-width[\\/]index\.js$/,
    edits: [
      { find: 'const segmenter = new Intl.Segmenter();', replace: `const segmenter = new Intl.Segmenter();\n${MAY_BE_EMOJI}` },
      { find: 'if (emojiRegex().test(character)) {', replace: 'if (mayBeEmoji(character) && emojiRegex().test(character)) {' },
    ],
  },
  {
    // Performance: Output's caches (styled characters, widths) lived for one frame, so every
    // frame tokenised every line again, and clipped lines were re-sliced. Keep them across frames
    // (the screen changes by a line or two per key), bounded so live output cannot grow them.
    file: /[\\/]ink[\\/]build[\\/]output\.js$/,
    edits: [
      {
        find: 'class OutputCaches {',
        replace: `class OutputCaches {
    slices = new Map();
    trim() {
        if (this.styledChars.size + this.widths.size + this.blockWidths.size + this.slices.size > 20000) {
            this.widths.clear();
            this.blockWidths.clear();
            this.styledChars.clear();
            this.slices.clear();
        }
        return this;
    }
    getSlice(line, from, to) {
        const key = from + ':' + to + ':' + line;
        let cached = this.slices.get(key);
        if (cached === undefined) {
            cached = sliceAnsi(line, from, to);
            this.slices.set(key, cached);
        }
        return cached;
    }`,
      },
      { find: 'export default class Output {', replace: 'const sharedCaches = new OutputCaches();\nexport default class Output {' },
      { find: 'caches = new OutputCaches();', replace: 'caches = sharedCaches.trim();' },
      { find: 'return sliceAnsi(line, from, to);', replace: 'return this.caches.getSlice(line, from, to);' },
    ],
  },
  {
    // Ink caches every wrapped/truncated text and every measured text forever: with live command
    // output on screen for a long window that grows without end. Bound both.
    file: /[\\/]ink[\\/]build[\\/]wrap-text\.js$/,
    edits: [
      { find: 'const cache = {};', replace: 'let cache = {};\nlet cacheSize = 0;' },
      {
        find: '    cache[cacheKey] = wrappedText;',
        replace: '    if (++cacheSize > 20000) {\n        cache = {};\n        cacheSize = 1;\n    }\n    cache[cacheKey] = wrappedText;',
      },
    ],
  },
  {
    // Start-up (docs/performance.md): Yoga's WebAssembly ships as a base64 data: URL, and its
    // Emscripten loader fetches that URL whenever a global fetch exists, as it does in Node, so
    // every start loaded Node's whole fetch implementation (undici) to decode 100 KB: ~35 ms.
    // Decode the bytes directly (the loader's own path when fetch is missing).
    file: /[\\/]yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/,
    find: 'function ya(){return w||"function"!=typeof fetch?',
    replace: 'function ya(){return true?',
  },
  {
    file: /[\\/]ink[\\/]build[\\/]measure-text\.js$/,
    find: '    cache.set(text, dimensions);',
    replace: '    if (cache.size >= 20000) cache.clear();\n    cache.set(text, dimensions);',
  },
];

/** A fix is one find/replace or a list of them (`edits`); every one must apply. `unless`: paths it skips. */
const editsOf = (fix) => fix.edits ?? [{ find: fix.find, replace: fix.replace }];

/** The fixes that apply to a file at `path` (by its path in node_modules). */
const fixesFor = (path) => FIXES.filter((f) => f.file.test(path) && !f.unless?.test(path));

/**
 * Applies every fix for `path` to its text; throws when a fix's text is missing (the package
 * changed). Calls `applied(fix)` for each fix that went in. Shared by the bundle (esbuild) and the
 * tests (vitest), so component tests run the same patched Ink the operator runs.
 */
export function applyInkFixes(path, text, applied = () => {}) {
  for (const fix of fixesFor(path)) {
    for (const { find, replace } of editsOf(fix)) {
      if (!text.includes(find)) {
        throw new Error(`ink-fixes: "${find}" not found in ${path}; the package changed: re-check this fix (scripts/ink-fixes.mjs)`);
      }
      text = text.replace(find, () => replace);
    }
    applied(fix);
  }
  return text;
}

/** True when a module path is one some fix targets (vitest inlines exactly these). */
export const isInkFixTarget = (path) => fixesFor(path).length > 0;

/**
 * The esbuild plugin. A fix whose *file* is not in the bundle at all (npm stopped nesting
 * wrap-ansi's string-width, Yoga moved its binary) would otherwise vanish without a word: at the
 * end of a build that bundled Ink, every fix must have been applied, or the build fails naming it.
 */
export const inkFixes = {
  name: 'ink-fixes',
  setup(build) {
    let applied = new Set();
    build.onStart(() => {
      applied = new Set();
    });
    // One loader per file applying every fix for it: esbuild uses only the first onLoad that
    // returns contents, so two fixes to one file must be applied together.
    const filters = [...new Set(FIXES.map((f) => f.file))];
    for (const filter of filters) {
      build.onLoad({ filter }, async (args) => {
        const text = applyInkFixes(args.path, await readFile(args.path, 'utf8'), (fix) => applied.add(fix));
        return { contents: text, loader: 'js' };
      });
    }
    build.onEnd((result) => {
      const inputs = Object.keys(result.metafile?.inputs ?? {});
      // Only a build that bundled Ink must carry every fix (a test bundles string-width alone).
      if (!inputs.some((i) => /[\\/]ink[\\/]build[\\/]/.test(i))) return;
      const missing = FIXES.filter((f) => !applied.has(f));
      if (missing.length) {
        return {
          errors: missing.map((f) => ({
            text: `ink-fixes: no file matching ${f.file} was bundled, so this fix was not applied; the package layout changed: re-check it (scripts/ink-fixes.mjs)`,
          })),
        };
      }
    });
  },
};

// Build-time fixes to Ink applied while bundling (esbuild plugin), so the bundle an operator
// runs has them whatever node_modules holds. Each fix names the exact text it replaces and the
// build fails when that text is gone: an Ink upgrade must re-check the fix, never silently drop it.
import { readFile } from 'node:fs/promises';

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
];

export const inkFixes = {
  name: 'ink-fixes',
  setup(build) {
    for (const fix of FIXES) {
      build.onLoad({ filter: fix.file }, async (args) => {
        const text = await readFile(args.path, 'utf8');
        if (!text.includes(fix.find)) {
          throw new Error(`ink-fixes: "${fix.find}" not found in ${args.path}; Ink changed: re-check this fix (scripts/ink-fixes.mjs)`);
        }
        return { contents: text.replace(fix.find, fix.replace), loader: 'js' };
      });
    }
  },
};

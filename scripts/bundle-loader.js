#!/usr/bin/env node
// runsheet: this one file is the whole program: these few lines, then the bundled code in the
// comments after them. The code is compiled here with a V8 code cache kept beside this file, so a
// start skips parsing and compiling 2 MB of JavaScript (docs/performance.md). No cache, a stale
// one or an unwritable directory only make the start slower. Written by scripts/build.mjs from
// scripts/bundle-loader.js.
import { readFileSync, readdirSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

const file = fileURLToPath(import.meta.url);
// Keyed by the code's hash: V8 itself checks only the source's length, and runs the code it was
// given bytecode for. Node's version and the CPU are in the name so two Nodes don't take turns.
const prefix = `.${basename(file)}-`;
const stem = join(dirname(file), `${prefix}${'__KEY__'}-${process.version}-${process.arch}`);
// RUNSHEET_CODE_CACHE=off: neither read nor write one (to measure, or to rule it out).
const off = process.env.RUNSHEET_CODE_CACHE === 'off';
// "cli": made by a command that never drew the screen; "tui": also holds the screen's code. A
// terminal session upgrades a "cli" cache once, so `--help` run first cannot pin a poor one.
let level = null;

// In functions, so the file's text and the cache's bytes are garbage once the code is compiled.
function compile() {
  const text = readFileSync(file, 'latin1');
  // The code follows this marker, each of its lines written as a line comment ("//..."), up to the
  // end marker. The markers are split here so these lines are not taken for them.
  const mark = `\n//${'runsheet-code'}\n`;
  const end = `\n//${'runsheet-end'}\n`;
  const at = text.indexOf(mark);
  if (at < 0 || !text.endsWith(end)) throw new Error('its code is missing or cut short');
  const start = at + mark.length;
  const code = text.slice(start + 2, text.length - end.length).replaceAll('\n//', '\n');
  const lineOffset = text.slice(0, start).split('\n').length - 1;
  let cachedData;
  for (const l of off ? [] : ['tui', 'cli']) {
    try {
      cachedData = readFileSync(`${stem}.${l}.v8cache`);
      level = l;
      break;
    } catch {
      // not there: compile without
    }
  }
  const script = new Script(code, { filename: file, lineOffset, cachedData });
  if (script.cachedDataRejected) level = null;
  return script;
}

let script;
try {
  script = compile();
} catch (e) {
  // Only a damaged copy of this file gets here (a cut-short scp, an edit): say so in one line.
  process.stderr.write(
    `runsheet: ${file} is damaged (${e instanceof Error ? e.message.split('\n')[0] : e}): copy it again or run \`npm run build\`\n`,
  );
  process.exit(70);
}
let wanted = 'cli';
// V8 refuses a cache made under other flags, so the program undoes its runtime flag changes
// (src/adapters/heap.ts) before the cache is made.
const beforeSave = [];
// What the program may ask of this loader (src/adapters/bundle-loader.ts); `file` lets the
// on_disconnect: keep relay run this file again as a child.
globalThis[Symbol.for('runsheet.loader')] = { file, want: (l) => (wanted = l), beforeSave: (f) => beforeSave.push(f) };
process.once('exit', () => {
  if (off || level === 'tui' || level === wanted) return;
  try {
    for (const f of beforeSave) f();
    const tmp = `${stem}.${process.pid}.tmp`;
    writeFileSync(tmp, script.createCachedData());
    renameSync(tmp, `${stem}.${wanted}.v8cache`);
    // Caches of older builds go, and so does the "cli" one a "tui" one replaces.
    const dir = dirname(file);
    const replaced = basename(`${stem}.cli.v8cache`);
    for (const f of readdirSync(dir)) {
      if (!f.startsWith(prefix) || !f.endsWith('.v8cache')) continue;
      if (!f.includes('-__KEY__-') || (wanted === 'tui' && f === replaced)) unlinkSync(join(dir, f));
    }
  } catch {
    // a read-only install: every start compiles, as without a cache
  }
});
const require = createRequire(file);
await script.runInThisContext()(require, require, import.meta.url);

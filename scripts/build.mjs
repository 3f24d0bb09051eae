// Bundles the CLI into one file, dist/runsheet.mjs, that runs with no node_modules beside it —
// the file an operator copies to a bastion host.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import { inkFixes } from './ink-fixes.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'runsheet.mjs');

// The bundled code runs as a function compiled by the loader (scripts/bundle-loader.js), not as a
// module, so Node's modules reach it through the loader's require, and import.meta.url as an
// argument. Bundling them as such keeps every `import … from 'node:fs'` (static or dynamic) working.
const BUILTIN = new RegExp(`^(?:node:)?(?:${builtinModules.map((m) => m.replace(/[/]/g, '\\/')).join('|')})$`);
const nodeBuiltins = {
  name: 'node-builtins',
  setup(b) {
    b.onResolve({ filter: BUILTIN }, (a) => ({ path: a.path.replace(/^node:/, ''), namespace: 'node-builtin' }));
    b.onLoad({ filter: /.*/, namespace: 'node-builtin' }, (a) => ({
      contents: `module.exports = __nodeRequire(${JSON.stringify(`node:${a.path}`)});`,
      loader: 'js',
    }));
  },
};

const LOADER = join(root, 'scripts', 'bundle-loader.js');

/** The loader with the bundled code in comments after it (see scripts/bundle-loader.js). */
function withLoader(code, imports) {
  // The code must be a plain function body that imports nothing: an import left in it would fail
  // only on the operator's machine. Checked here, both ways.
  // require() calls may stay: the code gets a real require (optional deps sit in try blocks).
  imports = imports.filter((i) => i.kind !== 'require-call');
  if (imports.length)
    throw new Error(`build: the bundle imports ${imports.map((i) => i.path).join(', ')}; bundle it or add it to the node-builtins plugin`);
  // All ASCII, so the loader reads it as latin1 (a plain copy, no UTF-8 decoding of 2 MB).
  // esbuild escapes strings and templates but leaves regular expressions as written, and there
  // \uXXXX means the same character (surrogate pairs too, with or without the u flag).
  // eslint-disable-next-line no-control-regex -- ASCII is what the bundle must be
  const escapedAfterBackslash = /\\[^\x00-\x7f]/.exec(code);
  if (escapedAfterBackslash)
    throw new Error(`build: cannot escape "${escapedAfterBackslash[0]}" to ASCII; write it as \\uXXXX in the source`);
  // eslint-disable-next-line no-control-regex -- ASCII is what the bundle must be
  const ascii = code.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const body = `(async function (require, __nodeRequire, __importMetaUrl) {\n${ascii}\n})`;
  new Script(body, { filename: 'runsheet-code' }); // throws on module syntax (import/export)
  const key = createHash('sha256').update(body).digest('hex').slice(0, 16);
  const loader = readFileSync(LOADER, 'utf8').replaceAll('__KEY__', key);
  // Each line of code as a line comment: a copy cut short (an interrupted scp) is still a valid
  // module, so the loader can say what is wrong instead of Node printing a SyntaxError.
  if (body.includes('\r')) throw new Error('build: the bundle contains a carriage return, which would end a line comment');
  return `${loader}\n//runsheet-code\n${body
    .split('\n')
    .map((l) => `//${l}`)
    .join('\n')}\n//runsheet-end\n`;
}

/**
 * `outfile` lets the benchmark build a second (e.g. unminified) copy without touching dist/;
 * `entry` builds another program the same way (its start-up floor, bench/floor/empty-ink.tsx).
 */
export async function buildBundle({ minify = true, outfile = out, entry = join(root, 'src/cli/index.ts') } = {}) {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const result = await build({
    entryPoints: [entry],
    outfile,
    // Written by hand below: tests in parallel processes rebuild and run the bundle at the same
    // time, and must never execute a half-written file.
    write: false,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    minify,
    legalComments: 'none',
    // Ink's devtools hook sits behind a top-level await; stub it and pin the build to production.
    alias: { 'react-devtools-core': join(root, 'scripts/stubs/react-devtools-core.mjs') },
    define: {
      'process.env.DEV': '"false"',
      'process.env.NODE_ENV': '"production"',
      'import.meta.url': '__importMetaUrl',
      __RUNSHEET_VERSION__: JSON.stringify(pkg.version),
    },
    plugins: [inkFixes, nodeBuiltins],
    metafile: true,
    logLevel: 'warning',
  });
  mkdirSync(dirname(outfile), { recursive: true });
  const tmp = `${outfile}.${process.pid}.tmp`;
  writeFileSync(tmp, withLoader(result.outputFiles[0].text, Object.values(result.metafile.outputs)[0].imports), { mode: 0o755 });
  renameSync(tmp, outfile);
  return outfile;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const ifMissing = process.argv.includes('--if-missing');
  if (ifMissing && existsSync(out)) process.exit(0);
  // On a production install (no devDependencies) there is nothing to build with; the bin shim
  // explains what to do instead of failing the install.
  try {
    await import('esbuild');
  } catch {
    if (ifMissing) process.exit(0);
    console.error('runsheet build: esbuild is not installed (run `npm install` first)');
    process.exit(1);
  }
  await buildBundle({ minify: !process.argv.includes('--no-minify') });
  console.error(`built ${out}`);
}

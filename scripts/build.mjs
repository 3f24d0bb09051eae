// Bundles the CLI into one file, dist/runsheet.mjs, that runs with no node_modules beside it —
// the file an operator copies to a bastion host.
import { build } from 'esbuild';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inkFixes } from './ink-fixes.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'runsheet.mjs');

/** `outfile` lets the benchmark build a second (e.g. unminified) copy without touching dist/. */
export async function buildBundle({ minify = true, outfile = out } = {}) {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const result = await build({
    entryPoints: [join(root, 'src/cli/index.ts')],
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
      __RUNSHEET_VERSION__: JSON.stringify(pkg.version),
    },
    // Bundled CommonJS deps call require(); give the ESM bundle one.
    banner: {
      js: "#!/usr/bin/env node\nimport { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
    plugins: [inkFixes],
    logLevel: 'warning',
  });
  mkdirSync(dirname(outfile), { recursive: true });
  const tmp = `${outfile}.${process.pid}.tmp`;
  writeFileSync(tmp, result.outputFiles[0].contents, { mode: 0o755 });
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

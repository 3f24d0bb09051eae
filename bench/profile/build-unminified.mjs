// An unminified copy of the bundle for profiling (`node --cpu-prof`): the same esbuild options as
// scripts/build.mjs, written elsewhere so it never replaces dist/runsheet.mjs under running tests.
//   node bench/profile/build-unminified.mjs [OUT] [--minify]   (default: bench/results/runsheet.dev.mjs)
// --minify: as shipped, to compare a change's cost against dist/runsheet.mjs side by side.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../lib/env.mjs';
import { inkFixes } from '../../scripts/ink-fixes.mjs';

const args = process.argv.slice(2);
const minify = args.includes('--minify');
const out = args.find((a) => !a.startsWith('--')) ?? join(ROOT, 'bench', 'results', 'runsheet.dev.mjs');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
await build({
  entryPoints: [join(ROOT, 'src/cli/index.ts')],
  outfile: out,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify,
  legalComments: 'none',
  alias: { 'react-devtools-core': join(ROOT, 'scripts/stubs/react-devtools-core.mjs') },
  define: { 'process.env.DEV': '"false"', 'process.env.NODE_ENV': '"production"', __RUNSHEET_VERSION__: JSON.stringify(pkg.version) },
  banner: { js: "#!/usr/bin/env node\nimport { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  plugins: [inkFixes],
  logLevel: 'warning',
});
console.error(`built ${out}`);

// An unminified copy of the bundle for profiling (`node --cpu-prof`): the same esbuild options as
// scripts/build.mjs, written elsewhere so it never replaces dist/runsheet.mjs under running tests.
//   node bench/profile/build-unminified.mjs [OUT] [--minify]   (default: bench/results/runsheet.dev.mjs)
// --minify: as shipped, to compare a change's cost against dist/runsheet.mjs side by side.
import { join } from 'node:path';
import { ROOT } from '../lib/env.mjs';
import { buildBundle } from '../../scripts/build.mjs';

const args = process.argv.slice(2);
const out = args.find((a) => !a.startsWith('--')) ?? join(ROOT, 'bench', 'results', 'runsheet.dev.mjs');
await buildBundle({ minify: args.includes('--minify'), outfile: out });
console.error(`built ${out}`);

// Builds for the benchmark (scripts/build.mjs), then stops esbuild: it keeps a service process
// alive after a build, which has no business competing with the figures for the CPUs.
import { buildBundle } from '../../scripts/build.mjs';

export async function buildForBench(opts) {
  const out = await buildBundle(opts);
  (await import('esbuild')).stop();
  return out;
}

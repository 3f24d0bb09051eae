// Builds dist/runsheet.mjs once before the tests, so end-to-end tests drive the bundle of the
// code under test (not a stale one). esbuild takes well under a second.
import { buildBundle } from '../scripts/build.mjs';

export default async function setup(): Promise<void> {
  await buildBundle({ minify: true });
}

#!/usr/bin/env node
// npm's bin entry: runs the single-file bundle, building it first on a fresh checkout.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'dist', 'runsheet.mjs');
if (!existsSync(bundle)) {
  const { buildBundle } = await import(pathToFileURL(join(root, 'scripts', 'build.mjs')).href);
  await buildBundle();
}
await import(pathToFileURL(bundle).href);

// Where the benchmark runs things: a scratch directory per benchmark, an isolated RUNSHEET_HOME,
// and the environment every runsheet child gets.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
// RUNSHEET_BENCH_BUNDLE measures another build (an A/B comparison against a change); with it,
// bench/run.mjs does not build.
export const BUNDLE = process.env.RUNSHEET_BENCH_BUNDLE || join(ROOT, 'dist', 'runsheet.mjs');

export async function scratch(prefix = 'runsheet-bench-') {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Environment for a runsheet child: a private home, a fixed operator, a real terminal type. */
export function childEnv(home, extra = {}) {
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? home,
    LANG: process.env.LANG ?? 'C.UTF-8',
    TERM: 'xterm-256color',
    RUNSHEET_HOME: home,
    RUNSHEET_OPERATOR: 'bench',
    ...extra,
  };
  return env;
}

// Where runs are kept: local files (RunStore under $RUNSHEET_HOME, the default, needing nothing) or
// a PostgreSQL database (`--store postgres://…` / RUNSHEET_STORE, docs/team-store.md). Both give
// the commands the same two things: an open run (the engine's Persistence plus what the commands
// read) and a backend that finds, lists and reads runs. The database adapter — and `pg` with it —
// is imported only when a database store is named, so start-up with files stays as light as before.
import { join } from 'node:path';
import type { RunState } from '../core/state.js';
import { UserError } from '../core/errors.js';
import { findOpenRun, listRuns, readRunChecklist, runDir, RunStore } from './run-store.js';
import { readRun } from './run-reader.js';
import { writeFileAtomic } from './atomic.js';

export type { Claim, ClaimResult, OpenRun, RunBackend, RunFilter, RunListing, RunMeta, Session, StoreStatus } from './store-types.js';
import type { RunBackend, RunFilter } from './store-types.js';

export function storeSpec(given: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  const spec = (given ?? env.RUNSHEET_STORE ?? '').trim();
  if (!spec || spec === 'files') return undefined;
  if (/^postgres(ql)?:\/\//i.test(spec)) return spec;
  // Never echo it: a mistyped URL can still carry a password.
  throw new UserError(
    `${given !== undefined ? '--store' : 'RUNSHEET_STORE'}: expected a postgres://… or postgresql://… URL (or "files" for the local store)`,
  );
}

export async function openBackend(io: { home: string; env: NodeJS.ProcessEnv }, given: string | undefined): Promise<RunBackend> {
  const spec = storeSpec(given, io.env);
  if (!spec) return fileBackend(io.home);
  const { openPgBackend } = await import('./pg-store.js');
  return openPgBackend(spec, io);
}

function matches(filter: RunFilter, s: RunState | undefined): boolean {
  if (!s) return !filter.since && !filter.checklist && !filter.status;
  if (filter.status && s.status !== filter.status && s.outcome !== filter.status) return false;
  if (filter.checklist && s.checklist.path !== filter.checklist) return false;
  if (filter.since && s.startedAt < filter.since) return false;
  return true;
}

export function fileBackend(home: string): RunBackend {
  return {
    kind: 'files',
    where: home,
    create: (runId, text, _meta, opts) => RunStore.create(home, runId, text, opts),
    open: (runId, opts) => RunStore.open(home, runId, opts),
    findOpenRun: (path, env) => findOpenRun(home, path, env),
    readChecklist: (runId) => readRunChecklist(home, runId),
    saveChecklist: (runId, text) => writeFileAtomic(join(runDir(home, runId), 'checklist.yaml'), text, 0o600),
    listRuns: async (filter) => (await listRuns(home)).filter((r) => matches(filter, r.state)),
    readRun: (runId) => readRun(home, runId),
    close: async () => {},
  };
}

/** Local log directory of a run kept in a database: command output stays on the host that ran it. */
export function localLogDir(home: string, runId: string): string {
  return join(runDir(home, runId), 'logs');
}

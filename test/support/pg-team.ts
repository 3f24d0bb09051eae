// A team session as a test (or a worker process) drives it: a run on the database store opened as a
// team session with short timings, and a RunEngine with the real executor on top of it.
import { join } from 'node:path';
import { loadChecklistFromText } from '../../src/adapters/checklist-file.js';
import { createExecutor } from '../../src/adapters/executor.js';
import { openPgBackend, type PgBackend } from '../../src/adapters/pg-store.js';
import { PgRun } from '../../src/adapters/pg-run.js';
import type { TeamTimings } from '../../src/adapters/pg-team.js';
import { RunEngine } from '../../src/core/engine.js';

/** Short enough for tests, and still several heartbeats/renewals per lease. */
export const FAST: TeamTimings = { heartbeatMs: 150, presenceTimeoutMs: 1200, leaseMs: 1200, renewMs: 200, retryMs: 150 };

export const teamChecklist = (stopFile: string) => `version: 1
title: Team
phases:
  - title: Main
    items:
      - title: Slow
        id: slow
        run: while [ ! -f '${stopFile}' ]; do sleep 0.05; done; echo done
      - title: Look
        id: look
`;

export async function teamSession(
  url: string,
  home: string,
  runId: string,
  operator: string,
  checklistText: string,
): Promise<{ backend: PgBackend; run: PgRun; engine: RunEngine }> {
  const backend = await openPgBackend(url, { home, env: {} });
  const run = await backend.open(runId, { operator, shared: true, timings: FAST });
  if (!(run instanceof PgRun)) throw new Error('not a database run');
  const { checklist } = loadChecklistFromText(checklistText, join(home, 'team.yaml'), {});
  const executor = createExecutor({
    checklist,
    runId,
    snapshotsDir: join(home, 'snapshots'),
    processEnv: { PATH: process.env.PATH },
    secrets: [],
    logPrefix: (item, attempt) => run.logPath(`${item.id}.${attempt}`),
    baseDir: home,
  });
  return { backend, run, engine: new RunEngine(checklist, run, executor) };
}

// `runsheet push RUN_ID --store URL`: archives a finished local run in the team's database —
// its events verbatim (so the chain, and any report made from either store, verify the same),
// its checklist copy, and the digests of its command-output logs (the logs stay local).
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../core/errors.js';
import { canonicalJson } from '../core/events.js';
import { checklistSecrets, redact, secretValues } from '../core/redact.js';
import { loadRunChecklist, readRun } from '../adapters/run-reader.js';
import { runDir } from '../adapters/run-store.js';
import { storeSpec } from '../adapters/store.js';
import { checkRunId } from '../core/run-id.js';
import { operatorName } from './session.js';
import type { CliIo } from './io.js';

async function fileDigest(path: string): Promise<{ bytes: number; sha256: string }> {
  const h = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path)) {
    h.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { bytes, sha256: h.digest('hex') };
}

async function logDigests(dir: string): Promise<{ name: string; bytes: number; sha256: string }[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).sort();
  } catch {
    return [];
  }
  const out = [];
  for (const name of names) {
    if ((await stat(join(dir, name))).isFile()) out.push({ name, ...(await fileDigest(join(dir, name))) });
  }
  return out;
}

export async function pushCommand(runId: string, opts: { store?: string }, io: CliIo): Promise<number> {
  checkRunId(runId);
  const spec = storeSpec(opts.store, io.env);
  if (!spec) throw new UserError('push needs a database: --store postgres://USER@HOST/DATABASE (or RUNSHEET_STORE)');
  const run = await readRun(io.home, runId);
  if (run.state.status !== 'finished' && run.state.status !== 'abandoned') {
    throw new UserError(`run ${runId} is ${run.state.status}: push archives finished runs; finish (or abandon) it first`);
  }
  // The events were redacted when written; check again with today's secrets before they leave.
  let secrets: string[];
  try {
    secrets = checklistSecrets(loadRunChecklist(run, io.env), io.env);
  } catch {
    // a checklist that no longer loads has no vars to add; the process environment still counts
    secrets = secretValues([io.env], []);
  }
  const text = run.events.map(canonicalJson).join('\n');
  if (secrets.some((s) => text.includes(s))) {
    throw new UserError(`run ${runId}: a secret value is present in its events; refusing to upload it (report this as a runsheet bug)`, {
      exitCode: 1,
    });
  }
  const logs = await logDigests(join(runDir(io.home, runId), 'logs'));
  const { openPgBackend } = await import('../adapters/pg-store.js');
  const backend = await openPgBackend(spec, io);
  try {
    const r = await backend.push(run, redact(run.checklistText, secrets), logs, operatorName(io), hostname());
    io.stdout(
      r === 'already'
        ? `run ${runId} is already in ${backend.where} (same events)\n`
        : `pushed run ${runId} to ${backend.where}: ${run.events.length} events, ${logs.length} log digests\n`,
    );
    return 0;
  } finally {
    await backend.close();
  }
}

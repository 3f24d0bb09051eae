// A separate process appending notes to one run on the database store as a team session, as fast as
// it can, racing others (test/adapters/pg-faults.test.ts). An append that loses the race for its seq
// is re-chained by the store and retried there: the worker never sees a conflict, and prints the
// seqs it was acknowledged and how many times the store had to re-chain.
import { openPgBackend } from '../../src/adapters/pg-store.js';
import { PgRun } from '../../src/adapters/pg-run.js';

async function main(): Promise<void> {
  const [url, runId, countText, name] = process.argv.slice(2);
  const backend = await openPgBackend(url, { home: process.env.RUNSHEET_HOME ?? '/nonexistent', env: process.env });
  const run = await backend.open(runId, { operator: name, shared: true });
  if (!(run instanceof PgRun)) throw new Error('not a database run');
  const acked: number[] = [];
  for (let i = 0; i < Number(countText); i++) acked.push((await run.append({ type: 'note', text: `${name} ${i}` })).seq);
  await run.close();
  await backend.close();
  process.stdout.write(`${JSON.stringify({ acked, retries: run.retries })}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exit(1);
});

// A separate process appending notes to one run on the database store, as fast as it can, racing
// others (test/adapters/pg-faults.test.ts). An append that loses the race is a StoreConflict: the
// store has re-read the tail, so the worker simply tries again. Prints the seqs it was acknowledged.
import { openPgBackend } from '../../src/adapters/pg-store.js';
import { StoreConflict } from '../../src/adapters/pg-run.js';

async function main(): Promise<void> {
  const [url, runId, countText, name] = process.argv.slice(2);
  const backend = await openPgBackend(url, { home: process.env.RUNSHEET_HOME ?? '/nonexistent', env: process.env });
  const run = await backend.open(runId, { operator: name, shared: true });
  const acked: number[] = [];
  let conflicts = 0;
  for (let i = 0; i < Number(countText); i++) {
    for (;;) {
      try {
        acked.push((await run.append({ type: 'note', text: `${name} ${i}` })).seq);
        break;
      } catch (e) {
        if (!(e instanceof StoreConflict)) throw e;
        conflicts++;
      }
    }
  }
  await run.close();
  await backend.close();
  process.stdout.write(`${JSON.stringify({ acked, conflicts })}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exit(1);
});

// Another operator's runsheet, as a process of its own (test/adapters/pg-team.test.ts):
//   run URL RUN HOME NAME CHECKLIST ITEM [GO] — (once GO exists) runs ITEM through the engine
//                                           (claiming it), prints its result
//   sweep URL RUN HOME NAME CHECKLIST GO  — waits until a claim has lapsed, then for GO to exist, then
//                                           records lapsed claims as interrupted; prints how many it did
import { existsSync, readFileSync } from 'node:fs';
import { teamSession } from './pg-team.js';

async function main(): Promise<void> {
  const [mode, url, runId, home, name, checklistFile, arg, go] = process.argv.slice(2);
  const { backend, run, engine } = await teamSession(url, home, runId, name, readFileSync(checklistFile, 'utf8'));
  try {
    if (mode === 'run') {
      process.stdout.write('READY\n');
      while (go && !existsSync(go)) await new Promise((r) => setTimeout(r, 2));
      const result = await engine.runItem(arg, { confirmed: true }).catch((e: unknown) => ({ ok: false, refused: (e as Error).message }));
      process.stdout.write(`${JSON.stringify(result)}\n`);
    } else {
      while ((await run.expiredClaims()).length === 0) await new Promise((r) => setTimeout(r, 20));
      process.stdout.write('READY\n');
      while (!existsSync(arg)) await new Promise((r) => setTimeout(r, 5));
      const recorded = await run.recordExpiredClaims();
      process.stdout.write(`${JSON.stringify({ recorded: recorded.length })}\n`);
    }
  } finally {
    await run.close();
    await backend.close();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exit(1);
});

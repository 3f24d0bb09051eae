// A process for the lock race test (lock-race.test.ts), bundled by it: on each line
// {"cmd":"open",home,runId,delayUs} it opens the run as runsheet does (RunStore.open, which takes
// the run's lock or falls back to a read-only view), appends a few events when it got the lock,
// and says which; on {"cmd":"close"} it closes the run (releasing the lock). One process serves
// many rounds so that 200 pairs fit in the test's time on a small machine.
import { createInterface } from 'node:readline';
import { RunStore } from '../../src/adapters/run-store.js';

let store: RunStore | null = null;
const say = (o: object) => process.stdout.write(`${JSON.stringify(o)}\n`);

/** Random start within a few hundred microseconds of the other process (setTimeout is too coarse). */
function spin(us: number): void {
  const end = process.hrtime.bigint() + BigInt(Math.round(us * 1000));
  while (process.hrtime.bigint() < end);
}

async function handle(msg: { cmd: string; home?: string; runId?: string; delayUs?: number; appends?: number }): Promise<void> {
  if (msg.cmd === 'open') {
    spin(msg.delayUs ?? 0);
    try {
      store = await RunStore.open(msg.home!, msg.runId!, { operator: `w${process.pid}` });
      if (!store.readOnly) {
        for (let i = 0; i < (msg.appends ?? 3); i++) await store.append({ type: 'note', text: `${process.pid}:${i}` });
      }
      say({ pid: process.pid, writer: !store.readOnly, holder: store.lockedBy, warnings: store.warnings });
    } catch (e) {
      say({ pid: process.pid, error: (e as Error).message });
    }
  } else if (msg.cmd === 'close') {
    let error: string | undefined;
    try {
      await store?.close();
    } catch (e) {
      error = (e as Error).message;
    }
    store = null;
    say({ pid: process.pid, closed: true, error });
  }
}

const rl = createInterface({ input: process.stdin });
let queue = Promise.resolve();
rl.on('line', (line) => {
  queue = queue.then(() => handle(JSON.parse(line) as { cmd: string }));
});
rl.on('close', () => void queue.then(() => process.exit(0)));
say({ pid: process.pid, ready: true });

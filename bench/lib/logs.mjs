// How much output a run's commands wrote: the sizes of the logs runsheet keeps under
// $RUNSHEET_HOME/runs/<id>/logs/, so a benchmark can show the command really was busy.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

export async function loggedBytes(home) {
  let total = 0;
  const runs = join(home, 'runs');
  for (const run of await readdir(runs).catch(() => [])) {
    const dir = join(runs, run, 'logs');
    for (const f of await readdir(dir).catch(() => [])) total += (await stat(join(dir, f))).size;
  }
  return total;
}

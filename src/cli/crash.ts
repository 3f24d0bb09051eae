// A bug in runsheet: the operator gets one line and a file to attach, not a stack trace on a
// screen they are trying to use. Saved run state is untouched (every write is atomic).
import { appendFileSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import type { CliIo } from '../commands/io.js';
import { errorMessage } from '../core/errors.js';
import { safeLine } from '../core/safe-text.js';
import { ensureDirSync } from '../adapters/ensure-dir.js';
import { openNoFollowSync, PRIVATE_DIR } from '../adapters/safe-open.js';

export function reportCrash(e: unknown, io: CliIo): number {
  let where = '';
  try {
    ensureDirSync(io.home, PRIVATE_DIR);
    const file = join(io.home, 'crash.log');
    const fd = openNoFollowSync(file, 'a');
    try {
      appendFileSync(fd, `[${new Date().toISOString()}] ${e instanceof Error ? e.stack : String(e)}\n`);
    } finally {
      closeSync(fd);
    }
    where = ` (details in ${file})`;
  } catch {
    // nowhere to write: the one line below still tells the operator what happened
  }
  io.stderr(`runsheet: internal error: ${safeLine(errorMessage(e).split('\n')[0])}${where}. Run state on disk is intact.\n`);
  return 70;
}

// Entry point of the bundle: run main, then exit with its code. The only exit path.
import { releaseDeadTerminal, terminalLost } from '../adapters/terminal.js';
import { main } from './main.js';
import { safeLine } from '../core/safe-text.js';

// A reader that goes away (`runsheet run … --auto | head`, a CI log collector that dies) must not
// crash a run halfway with an EPIPE stack trace: output stops, the run goes on, and its record on
// disk stays the truth. A terminal that goes away (EIO) is more than lost output: the run's
// signal watch (src/commands/signals.ts) ends the run as interrupted. Either way no stream error
// is ever thrown from here: a crash on the way out would lose the interruption's record.
let outputGone = false;
for (const s of [process.stdout, process.stderr]) {
  s.on('error', () => {
    outputGone = true;
  });
}

// Whatever ends the process (this file, or a crash path), a dead terminal on fd 0-2 must not be
// "restored" by Node at exit: its tcsetattr fails and Node aborts (see src/adapters/terminal.ts).
process.on('exit', releaseDeadTerminal);

main(process.argv).then(
  (code) => {
    // Let pending stdout writes drain before exiting (pipes are async in Node).
    process.exitCode = code;
    const exit = () => process.exit(code);
    if (outputGone || terminalLost() || process.stdout.destroyed || process.stdout.writableLength === 0) return exit();
    // A reader or terminal that goes away meanwhile never drains: its error ends the wait too.
    process.stdout.once('drain', exit);
    process.stdout.once('error', exit);
    process.stdout.once('close', exit);
  },
  (e: unknown) => {
    if (!terminalLost()) process.stderr.write(`runsheet: internal error: ${safeLine(e instanceof Error ? e.message : String(e))}\n`);
    process.exit(70);
  },
);

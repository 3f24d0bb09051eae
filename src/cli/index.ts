// Entry point of the bundle: run main, then exit with its code.
import { main } from './main.js';
import { safeLine } from '../core/safe-text.js';

// A reader that goes away (`runsheet run … --auto | head`, a CI log collector that dies) must not
// crash a run halfway with an EPIPE stack trace: output stops, the run goes on, and its record on
// disk stays the truth.
let outputGone = false;
for (const s of [process.stdout, process.stderr]) {
  s.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE' && e.code !== 'ERR_STREAM_DESTROYED') throw e;
    outputGone = true;
  });
}

main(process.argv).then(
  (code) => {
    // Let pending stdout writes drain before exiting (pipes are async in Node).
    process.exitCode = code;
    if (outputGone || process.stdout.destroyed || process.stdout.writableLength === 0) process.exit(code);
    else process.stdout.once('drain', () => process.exit(code));
  },
  (e) => {
    process.stderr.write(`runsheet: internal error: ${safeLine(e instanceof Error ? e.message : String(e))}\n`);
    process.exit(70);
  },
);

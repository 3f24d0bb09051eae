// Entry point of the bundle: run main, then exit with its code.
import { main } from './main.js';

main(process.argv).then(
  (code) => {
    // Let pending stdout writes drain before exiting (pipes are async in Node).
    process.exitCode = code;
    if (process.stdout.writableLength === 0) process.exit(code);
    else process.stdout.once('drain', () => process.exit(code));
  },
  (e) => {
    process.stderr.write(`runsheet: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(70);
  },
);

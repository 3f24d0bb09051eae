// Shared pieces for driving the real TUI (dist/runsheet.mjs) in a pseudo-terminal.
import { BUNDLE, childEnv } from './env.mjs';
import { runPty } from './pty.mjs';

/** The footer always ends with "? help · q quit" (src/ui/footer.tsx): the first interactive frame. */
export const READY_MARKER = 'q quit';

export const KEY = { down: '\x1b[B', up: '\x1b[A', space: ' ', enter: '\r', ctrlC: '\x03' };

/**
 * Runs `runsheet <args>` in a cols×rows pty with a private home; returns the driver's result.
 * `bundle`: another program drawn the same way (the start-up floor, bench/floor/empty-ink.tsx).
 */
export async function driveTui({
  args,
  home,
  bundle = BUNDLE,
  cwd,
  cols = 80,
  rows = 24,
  steps = [],
  readyTimeoutMs = 30000,
  settleMs = 300,
  keepTail = false,
  quit = 'q',
}) {
  const r = await runPty({
    argv: [process.execPath, bundle, ...args],
    env: childEnv(home),
    cwd,
    cols,
    rows,
    ready: { marker: READY_MARKER, timeout_ms: readyTimeoutMs },
    settle_ms: settleMs,
    steps,
    // A list of keys is sent one at a time while runsheet lives ("q", then "x": kill and quit).
    quit: { send: quit, timeout_ms: 5000 },
    keep_tail: keepTail,
  });
  if (r.error) throw new Error(`runsheet ${args.join(' ')} (${cols}×${rows}): ${r.error}\n--- screen tail ---\n${r.tail ?? ''}`);
  return r;
}

// The terminal as a thing that can die under us. When an SSH session drops, the pty's master is
// closed: every write to it fails with EIO, reads see end-of-file, and tcsetattr fails. Node
// restores the terminal's modes at exit (node::ResetStdio) and *asserts* that tcsetattr worked,
// so a process exiting with a dead tty on fd 0-2 dies by SIGABRT with a native stack trace
// instead of its exit code. Two remedies, both here:
// - abandonTerminal(): the moment the terminal is known to be gone, stop using it — the stdio
//   streams are destroyed, so Ink's last frame, the cursor restore and setRawMode(false) become
//   no-ops instead of a stream of EIO errors (setRawMode on a dead fd throws synchronously);
// - releaseDeadTerminal(): just before exit, every fd 0-2 that was a tty and no longer answers
//   as one is pointed at /dev/null, so ResetStdio sees "a different file" and leaves it alone.
import { closeSync, openSync } from 'node:fs';
import { isatty } from 'node:tty';

// Taken when this module loads (the CLI imports it first thing): which of fds 0-2 were terminals.
const ttyAtStart = [0, 1, 2].map((fd) => isatty(fd));
let lost: string | null = null;

/** Why the terminal was given up, or null while it is in use. */
export function terminalLost(): string | null {
  return lost;
}

/** Errors of a write to, or read from, a terminal that is gone. */
export function isTerminalGone(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EIO' || code === 'EPIPE' || code === 'EBADF' || code === 'ENXIO' || code === 'ENOTCONN' || code === 'ECONNRESET';
}

/** true when fd was a terminal at start and no longer is one (hung up, revoked, closed). */
export function ttyDead(fd: 0 | 1 | 2): boolean {
  return ttyAtStart[fd] && !isatty(fd);
}

/**
 * The terminal is gone: stop every use of it. Idempotent; the first reason is kept. Streams
 * that are not terminals (a headless run piped to a file) are left as they are.
 */
export function abandonTerminal(reason: string): void {
  if (lost) return;
  lost = reason;
  const streams: (NodeJS.ReadStream | NodeJS.WriteStream)[] = [process.stdout, process.stderr];
  // process.stdin is created on first access: only touch it when it is a terminal someone uses.
  if (ttyAtStart[0]) streams.push(process.stdin);
  for (const s of streams) {
    if (!s.isTTY) continue;
    // A write still queued would report its EIO later; nobody is listening for output any more.
    s.on('error', () => {});
    try {
      s.destroy();
    } catch {
      // already gone
    }
  }
}

/**
 * Just before exit: fds 0-2 that were terminals and are dead now (or were abandoned) are
 * replaced by /dev/null, so Node's exit-time terminal reset finds nothing to reset. A live
 * terminal is left alone: its modes are restored as usual.
 */
export function releaseDeadTerminal(): void {
  for (const fd of [0, 1, 2] as const) {
    if (!ttyAtStart[fd] || (!lost && !ttyDead(fd))) continue;
    try {
      closeSync(fd);
      // The lowest free descriptor: fd itself, as the ones below it are open.
      const n = openSync('/dev/null', fd === 0 ? 'r' : 'w');
      if (n !== fd) closeSync(n); // fd stays closed: ResetStdio skips a closed descriptor too
    } catch {
      // nothing better to do on the way out
    }
  }
}

// What ends a run from outside: SIGHUP/SIGINT/SIGTERM, and the terminal going away without a
// signal (a write to it failing with EIO, its input reaching end-of-file). They are caught from
// the start of `runsheet run`, before the run is open: a SIGTERM or a dropped SSH session during
// start-up (loading, importing, a start-up question, taking the lock) would otherwise be an
// instant death with nothing recorded, or a crash; one that arrives before a handler exists is
// held and delivered once the run is open. Every cause ends the same way: running items are
// interrupted, the interruption is recorded with its cause, the lock is released, and the exit
// code is the signal's (129 for a lost terminal, however it was noticed).
import { abandonTerminal, isTerminalGone, ttyDead } from '../adapters/terminal.js';

export const SIGNAL_CODES: Record<string, number> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };

/** Why the run is stopping and the exit code that says so. */
export interface Stop {
  reason: string;
  code: number;
}

export function signalStop(sig: string): Stop {
  return { reason: signalReason(sig), code: SIGNAL_CODES[sig] ?? 129 };
}

export function signalReason(sig: string): string {
  return sig === 'SIGHUP' ? 'terminal lost (SIGHUP)' : `${sig} received`;
}

export class RunSignals {
  private first: Stop | null = null;
  private handler: ((stop: Stop) => void) | null = null;
  private readonly undo: (() => void)[] = [];
  private readonly aborter = new AbortController();

  /**
   * `tui`: the run is driven from this terminal, so its input closing means the operator is
   * gone too (headless runs never read stdin).
   */
  constructor(tui: boolean) {
    for (const sig of Object.keys(SIGNAL_CODES)) {
      const l = () => {
        // A hang-up that left the terminal dead: stop using it before anything draws again.
        if (sig === 'SIGHUP' && (ttyDead(0) || ttyDead(1))) abandonTerminal('terminal lost (SIGHUP)');
        this.deliver(signalStop(sig));
      };
      process.on(sig as NodeJS.Signals, l);
      this.undo.push(() => process.off(sig, l));
    }
    // Output to a terminal failing: the terminal is gone (a pipe's reader going away is not a
    // terminal loss: headless output stops and the run goes on, see src/cli/index.ts).
    for (const [name, s] of [
      ['stdout', process.stdout],
      ['stderr', process.stderr],
    ] as const) {
      if (!s.isTTY) continue;
      const l = (e: NodeJS.ErrnoException) => this.lost(`write ${e.code ?? 'error'} on ${name}`, e);
      s.on('error', l);
      this.undo.push(() => s.off('error', l));
    }
    if (tui && process.stdin.isTTY) {
      const stdin = process.stdin;
      const onEnd = () => this.lost('its input closed');
      const onError = (e: NodeJS.ErrnoException) => this.lost(`read ${e.code ?? 'error'} on stdin`, e);
      stdin.on('end', onEnd);
      stdin.on('error', onError);
      this.undo.push(() => {
        stdin.off('end', onEnd);
        stdin.off('error', onError);
      });
    }
  }

  private lost(what: string, e?: NodeJS.ErrnoException): void {
    // Some other stream error (not one of a dead terminal): still nothing to crash over, but
    // the terminal may be fine; only a dead one ends the run.
    if (e && !isTerminalGone(e) && !ttyDead(0) && !ttyDead(1)) return;
    const reason = `terminal lost (${what})`;
    abandonTerminal(reason);
    this.deliver({ reason, code: SIGNAL_CODES.SIGHUP });
  }

  private deliver(stop: Stop): void {
    if (!this.aborter.signal.aborted) this.aborter.abort(stop);
    if (this.handler) this.handler(stop);
    else this.first ??= stop;
  }

  /** Aborted by the first stop: start-up questions give up on it. */
  get signal(): AbortSignal {
    return this.aborter.signal;
  }

  /** From now on stops go to `h`; one that arrived before is delivered at once. */
  handle(h: (stop: Stop) => void): void {
    this.handler = h;
    const early = this.first;
    this.first = null;
    if (early) h(early);
  }

  /** A stop that arrived while nothing handled it yet. */
  get pending(): Stop | null {
    return this.first;
  }

  dispose(): void {
    for (const u of this.undo.splice(0)) u();
  }
}

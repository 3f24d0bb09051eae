// The signals that end a run. Headless, they are caught from the start of `runsheet run`, before the
// run is open: a SIGTERM or SIGHUP during start-up (loading, importing, taking the lock) would
// otherwise be the default instant death with nothing recorded; it is held and handled once open.

export const SIGNAL_CODES: Record<string, number> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };

export class RunSignals {
  private first: string | null = null;
  private handler: ((sig: string) => void) | null = null;
  private listeners: [NodeJS.Signals, () => void][] = [];

  /**
   * `early`: catch signals from now on (headless). The TUI waits until its run is open: a signal
   * while it shows a start-up prompt must still end the process, not leave it waiting for keys.
   */
  constructor(early: boolean) {
    if (early) this.install();
  }

  private install(): void {
    this.listeners = Object.keys(SIGNAL_CODES).map((sig) => {
      const l = () => {
        if (this.handler) this.handler(sig);
        else this.first ??= sig;
      };
      process.on(sig as NodeJS.Signals, l);
      return [sig as NodeJS.Signals, l];
    });
  }

  /** From now on signals go to `h`; one that arrived before is delivered at once. */
  handle(h: (sig: string) => void): void {
    if (!this.listeners.length) this.install();
    this.handler = h;
    const early = this.first;
    this.first = null;
    if (early) h(early);
  }

  /** A signal that arrived while nothing handled it yet. */
  get pending(): string | null {
    return this.first;
  }

  dispose(): void {
    for (const [sig, l] of this.listeners) process.off(sig, l);
  }
}

export function signalReason(sig: string): string {
  return sig === 'SIGHUP' ? 'terminal lost (SIGHUP)' : `${sig} received`;
}

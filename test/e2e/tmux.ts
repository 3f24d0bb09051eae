// Drives the built CLI in a real pseudo-terminal via tmux: send keys, read the screen.
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const BUNDLE = join(process.cwd(), 'dist', 'runsheet.mjs');

export function hasTmux(): boolean {
  return spawnSync('tmux', ['-V']).status === 0;
}

export class TmuxSession {
  readonly name = `rs-e2e-${process.pid}-${Math.random().toString(16).slice(2, 8)}`;
  constructor(
    readonly socket: string,
    width = 80,
    height = 24,
  ) {
    this.tmux('-f', '/dev/null', 'new-session', '-d', '-s', this.name, '-x', String(width), '-y', String(height), 'sh');
  }
  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-S', this.socket, ...args], { encoding: 'utf8' });
  }
  /** Runs a shell command line in the pane (typed, then Enter). */
  type(line: string): void {
    this.tmux('send-keys', '-t', this.name, '-l', line);
    this.tmux('send-keys', '-t', this.name, 'Enter');
  }
  keys(...keys: string[]): void {
    this.tmux('send-keys', '-t', this.name, ...keys);
  }
  screen(): string {
    return this.tmux('capture-pane', '-p', '-t', this.name);
  }
  /** Waits until the screen satisfies pred (polling), or throws with the last screen. */
  async waitFor(pred: (screen: string) => boolean, what: string, timeoutMs = 15_000): Promise<string> {
    const end = Date.now() + timeoutMs;
    let s = '';
    while (Date.now() < end) {
      s = this.screen();
      if (pred(s)) return s;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out waiting for ${what}; screen was:\n${s}`);
  }
  kill(): void {
    spawnSync('tmux', ['-S', this.socket, 'kill-server']);
  }
}

/** pid of the runsheet node process started in the session (by its command line). */
export function findPid(marker: string): number | undefined {
  const out = spawnSync('pgrep', ['-f', marker], { encoding: 'utf8' }).stdout.trim();
  const pids = out.split('\n').filter(Boolean).map(Number).filter((p) => p !== process.pid);
  return pids[0];
}

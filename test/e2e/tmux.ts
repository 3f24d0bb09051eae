// Drives the built CLI in a real pseudo-terminal via tmux: each launch is a tmux window of its
// own (80×24, no status line), keys go in with send-keys, the screen comes out with capture-pane.
// Every server runs on a socket in the test's temp dir, so a user's tmux is never touched.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

// RUNSHEET_E2E_BUNDLE points the tests at another build (e.g. a deliberately broken copy, to
// check that a test fails when the behaviour breaks).
export const BUNDLE = process.env.RUNSHEET_E2E_BUNDLE ?? join(process.cwd(), 'dist', 'runsheet.mjs');

export function hasTmux(): boolean {
  return spawnSync('tmux', ['-V']).status === 0;
}

/** hasTmux(), saying loudly that the suite is skipped when it is missing (CI installs it). */
export function tmuxAvailable(suite: string): boolean {
  const ok = hasTmux();
  if (!ok) {
    const bar = '!'.repeat(78);
    console.error(
      `\n${bar}\n!! SKIPPING ${suite}: tmux is not installed.\n!! Install it with: bash scripts/install-test-deps.sh\n${bar}\n`,
    );
  }
  return ok;
}

/** Single-quotes a word for sh. */
export function shq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export class Tmux {
  private n = 0;
  readonly session = 'rs';
  constructor(
    readonly socket: string,
    /** The whole environment of every pane (nothing leaks in from the test process, e.g. CI). */
    readonly env: Record<string, string>,
    readonly width = 80,
    readonly height = 24,
  ) {
    this.tmux(
      '-f',
      '/dev/null',
      'new-session',
      '-d',
      '-s',
      this.session,
      '-n',
      'idle',
      '-x',
      String(width),
      '-y',
      String(height),
      'sleep 86400',
    );
    this.tmux('set-option', '-g', 'status', 'off');
    this.tmux('set-option', '-g', 'default-size', `${width}x${height}`);
    this.tmux('set-option', '-g', 'history-limit', '0');
  }

  tmux(...args: string[]): string {
    return execFileSync('tmux', ['-u', '-S', this.socket, ...args], { encoding: 'utf8', env: this.env });
  }

  /**
   * Starts `node dist/runsheet.mjs ARGS` (or another bundle) in a new window (cwd `cwd`). When it exits the window
   * stays, showing `[exit N]`, so the exit code and last screen can be read.
   */
  launch(args: string[], cwd: string, bundle = BUNDLE): Pane {
    const name = `w${this.n++}`;
    const cmd = `${shq(process.execPath)} ${shq(bundle)} ${args.map(shq).join(' ')}; echo "[exit $?]"; exec sleep 86400`;
    const envArgs = Object.entries(this.env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    this.tmux('new-window', '-d', '-t', this.session, '-n', name, '-c', cwd, ...envArgs, 'sh', '-c', cmd);
    return new Pane(this, `${this.session}:${name}`);
  }

  /**
   * Kills the server and waits for everything its panes started to end (runsheet saves on the
   * SIGHUP, and the temp dir must not be removed under it); SIGKILLs whatever outlives 10 s.
   */
  async kill(): Promise<void> {
    const r = spawnSync('tmux', ['-S', this.socket, 'list-panes', '-a', '-F', '#{pane_pid}'], { encoding: 'utf8', env: this.env });
    // No tmux to ask (spawn failed): no output at all, whatever the type says.
    const shells = (r.error ? '' : r.stdout).split('\n').filter(Boolean).map(Number);
    const procs = [...shells, ...shells.flatMap(descendants)];
    spawnSync('tmux', ['-S', this.socket, 'kill-server'], { env: this.env });
    const deadline = Date.now() + 10_000;
    while (procs.some(alive) && Date.now() < deadline) await new Promise((res) => setTimeout(res, 25));
    for (const p of procs.filter(alive)) killQuietly(p);
  }
}

export class Pane {
  constructor(
    private readonly t: Tmux,
    readonly target: string,
  ) {}

  /** Sends tmux key names (`j`, `Space`, `Enter`, `Escape`, `C-c`, …), one call per key. */
  key(name: string): void {
    this.t.tmux('send-keys', '-t', this.target, name);
  }
  /** Sends literal text (typed into a prompt). */
  text(s: string): void {
    this.t.tmux('send-keys', '-t', this.target, '-l', s);
  }
  screen(): string {
    return this.t.tmux('capture-pane', '-p', '-t', this.target);
  }
  size(): string {
    return this.t.tmux('display-message', '-p', '-t', this.target, '#{pane_width}x#{pane_height}').trim();
  }
  /** Waits until the screen satisfies pred (polling), or throws with the last screen. */
  async waitFor(pred: (screen: string) => boolean, what: string, timeoutMs = 15_000): Promise<string> {
    const end = Date.now() + timeoutMs;
    let s = '';
    while (Date.now() < end) {
      s = this.screen();
      if (pred(s)) return s;
      await new Promise((r) => setTimeout(r, 40));
    }
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; screen was:\n${s}`);
  }
  /** Sends a key, then waits for the screen to satisfy pred. */
  async press(name: string, pred: (screen: string) => boolean, what: string, timeoutMs?: number): Promise<string> {
    this.key(name);
    return this.waitFor(pred, what, timeoutMs);
  }
  /** The exit code printed when runsheet ended, waiting for it. */
  async exitCode(timeoutMs = 15_000): Promise<number> {
    const s = await this.waitFor((x) => /\[exit \d+\]/.test(x), 'runsheet to exit', timeoutMs);
    return Number(/\[exit (\d+)\]/.exec(s)![1]);
  }
  /** pid of the runsheet (node) process in this window. */
  pid(): number {
    const shell = Number(this.t.tmux('display-message', '-p', '-t', this.target, '#{pane_pid}').trim());
    // The sh -c wrapper's command line names the bundle too: match node's argv[1] exactly.
    const pid = [shell, ...descendants(shell)].find((p) => argv(p)[1] === BUNDLE);
    if (!pid) throw new Error(`no runsheet process in ${this.target}`);
    return pid;
  }
}

export function argv(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return [];
  }
}

/** Every live descendant of pid (children first), from /proc/PID/task/TID/children. */
export function descendants(pid: number): number[] {
  const out: number[] = [];
  const visit = (p: number) => {
    let tids: string[];
    try {
      tids = readdirSync(`/proc/${p}/task`);
    } catch {
      return;
    }
    for (const tid of tids) {
      let kids: number[];
      try {
        kids = readFileSync(`/proc/${p}/task/${tid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
      } catch {
        continue;
      }
      for (const k of kids) {
        out.push(k);
        visit(k);
      }
    }
  };
  visit(pid);
  return out;
}

/** Live processes whose environment holds exactly `NAME=value` (ours: a per-test temp path). */
export function processesWithEnv(name: string, value: string): number[] {
  const want = `${name}=${value}`;
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (readFileSync(`/proc/${d}/environ`, 'utf8').split('\0').includes(want)) out.push(Number(d));
    } catch {
      // gone, or not ours to read
    }
  }
  return out.filter((p) => p !== process.pid);
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    // A zombie still answers kill 0; it is dead for our purposes.
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

/** Peak resident set size of a live process, in KiB (VmHWM). */
export function peakRssKiB(pid: number): number {
  const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmHWM for ${pid}`);
  return Number(m[1]);
}

export function killQuietly(pid: number, sig: NodeJS.Signals = 'SIGKILL'): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

// Runs the built CLI on a real pseudo-terminal whose master side a small python3 helper owns
// (test/faults/pty-host.py), so a test can close the master under it: the terminal loss an SSH
// drop causes, without sshd.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { RunEvent } from '../../src/core/events.js';
import { BUNDLE } from './harness.js';

export type PtyStep =
  | { wait: string; timeout?: number }
  | { raw: true }
  | { mark: true }
  | { send: string }
  | { sleep: number }
  | { waitFile: string; contains?: string; count?: number; timeout?: number }
  | { close: true };

export interface PtyResult {
  code: number | null;
  signal: number | null;
  /** Set when a step could not be completed (the command was killed). */
  failed?: string;
  /** The last of the output, escape sequences stripped. */
  screen: string;
}

export function hasPython(): boolean {
  return spawnSync('python3', ['-c', 'import pty']).status === 0;
}

/** hasPython(), saying loudly that the suite is skipped when it is missing. */
export function pythonAvailable(suite: string): boolean {
  const ok = hasPython();
  if (!ok) {
    const bar = '!'.repeat(78);
    console.error(
      `\n${bar}\n!! SKIPPING ${suite}: python3 (for its pty module) is not installed.\n!! Install it with: bash scripts/install-test-deps.sh\n${bar}\n`,
    );
  }
  return ok;
}

export function runOnPty(o: {
  args: string[];
  cwd: string;
  env: Record<string, string>;
  /** 'pty' (stderr on the terminal too) or a file to write it to. */
  stderr: string;
  steps: PtyStep[];
  exitTimeout?: number;
}): Promise<PtyResult> {
  const spec = {
    argv: [process.execPath, BUNDLE, ...o.args],
    env: { TERM: 'xterm-256color', LANG: 'C.UTF-8', ...o.env },
    cwd: o.cwd,
    cols: 80,
    rows: 24,
    stderr: o.stderr,
    exitTimeout: o.exitTimeout ?? 30,
    steps: o.steps,
  };
  return new Promise((resolve, reject) => {
    const p = spawn('python3', [join(process.cwd(), 'test', 'faults', 'pty-host.py'), JSON.stringify(spec)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    p.stdout.setEncoding('utf8').on('data', (t: string) => (out += t));
    p.stderr.setEncoding('utf8').on('data', (t: string) => (err += t));
    p.on('error', reject);
    p.on('close', () => {
      try {
        resolve(JSON.parse(out.trim().split('\n').pop() ?? '') as PtyResult);
      } catch {
        reject(new Error(`pty-host.py gave no result: ${out}${err}`));
      }
    });
  });
}

/**
 * Every item.started is followed by exactly one item.interrupted for that item (and no other
 * ending): left running for the `kept` items (on_disconnect: keep), stopped for the others.
 */
export function eachStartedInterruptedOnce(events: RunEvent[], kept: string[] = []): string[] {
  const problems: string[] = [];
  const started = events.filter((e) => e.type === 'item.started').map((e) => e.item);
  for (const id of started) {
    const endings = events.filter((e) => 'item' in e && e.item === id && /^item\.(interrupted|passed|failed|warned)$/.test(e.type));
    if (endings.length !== 1 || endings[0].type !== 'item.interrupted')
      problems.push(`${id}: endings ${JSON.stringify(endings.map((e) => e.type))}, expected one item.interrupted`);
    else if (endings[0].left !== (kept.includes(id) ? 'running' : 'stopped') && !/not started/.test(endings[0].result.summary)) {
      problems.push(`${id}: left ${endings[0].left}`);
    }
  }
  return problems;
}

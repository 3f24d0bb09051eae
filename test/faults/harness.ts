// Fault-injection harness: drives the built bundle as a real process (stdin not a TTY) in a
// temp $RUNSHEET_HOME, so signals, kill -9 and process groups behave as they do for an operator.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunEvent } from '../../src/core/events.js';

// RUNSHEET_TEST_BUNDLE lets the suite run against a bundle built elsewhere while dist/ cannot be
// built (e.g. during development); normally test/global-setup.ts has just built dist/.
export const BUNDLE = process.env.RUNSHEET_TEST_BUNDLE || join(process.cwd(), 'dist', 'runsheet.mjs');

export interface Proc {
  child: ChildProcess;
  pid: number;
  stdout: () => string;
  stderr: () => string;
  /** Resolves when the process has exited and its pipes are drained. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startRunsheet(args: string[], o: { cwd: string; home: string; env?: Record<string, string> }): Proc {
  const child = spawn(process.execPath, [BUNDLE, ...args], {
    cwd: o.cwd,
    env: { PATH: process.env.PATH ?? '', HOME: o.cwd, RUNSHEET_HOME: o.home, RUNSHEET_OPERATOR: 'fault-test', ...o.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (t: string) => (out += t));
  child.stderr.setEncoding('utf8').on('data', (t: string) => (err += t));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return { child, pid: child.pid!, stdout: () => out, stderr: () => err, exited };
}

/** Runs to completion; a hung process fails the test instead of hanging it. */
export async function runRunsheet(args: string[], o: { cwd: string; home: string; env?: Record<string, string> }, limitMs = 20_000) {
  const p = startRunsheet(args, o);
  const timer = setTimeout(() => p.child.kill('SIGKILL'), limitMs);
  const r = await p.exited;
  clearTimeout(timer);
  return { ...r, stdout: p.stdout(), stderr: p.stderr() };
}

/** Polls until `cond` is truthy; throws with `what` after the deadline. */
export async function waitFor<T>(cond: () => T | Promise<T>, what: string, deadlineMs = 10_000, everyMs = 10): Promise<T> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const v = await cond();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** true while any process of the group (or the process) still exists. */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function killGroup(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // already gone
  }
}

export async function runIds(home: string): Promise<string[]> {
  try {
    return (await readdir(join(home, 'runs'))).sort();
  } catch {
    return [];
  }
}

export async function readEvents(home: string, runId: string): Promise<RunEvent[]> {
  const text = await readFile(join(home, 'runs', runId, 'events.jsonl'), 'utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as RunEvent);
}

/** Lines of stderr that look like a JS stack frame. */
export function stackLines(text: string): string[] {
  return text.split('\n').filter((l) => /^\s+at /.test(l));
}

/** Every file under dir, recursively (absolute paths). */
export async function allFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile()) out.push(p);
    }
  };
  await walk(dir);
  return out;
}

/** The one run under home (tests that start exactly one). */
export async function onlyRun(home: string): Promise<string> {
  const ids = await runIds(home);
  if (ids.length !== 1) throw new Error(`expected one run in ${home}, found ${ids.length}`);
  return ids[0];
}

/** Lines a reader would mistake for a crash: stack frames or the internal-error banner. */
export function crashSigns(text: string): string[] {
  return text.split('\n').filter((l) => /^\s+at /.test(l) || /internal error/i.test(l));
}

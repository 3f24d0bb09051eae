// Shared set-up for the tmux end-to-end tests: a temp dir with RUNSHEET_HOME, a private tmux
// server, the CLI run outside tmux (status/runs), reading item marks off the screen, and
// clean-up of any command a kill -9 orphaned.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ItemStatus } from '../../src/core/state.js';
import { statusMark } from '../../src/ui/theme.js';
import { tempDir } from '../support/tmp.js';
import { BUNDLE, Tmux, killQuietly, processesWithEnv, type Pane } from './tmux.js';

export const STATUSES: ItemStatus[] = ['pending', 'passed', 'failed', 'warn', 'ticked', 'skipped', 'recorded', 'overridden', 'interrupted'];

/** Screen mark ("[x]") → status, from the UI's own table; a spinner frame means running. */
export function markStatus(mark: string): ItemStatus | 'running' | undefined {
  for (const s of STATUSES) if (statusMark(s).mark === mark) return s;
  for (let f = 0; f < 10; f++) if (statusMark('running', f).mark === mark) return 'running';
  return undefined;
}

export interface ScreenItem {
  cursor: boolean;
  mark: string;
  status: ItemStatus | 'running' | undefined;
  title: string;
}

/** Item rows of the list: `> [x] Title      manual`. */
export function screenItems(screen: string): ScreenItem[] {
  const out: ScreenItem[] = [];
  for (const line of screen.split('\n')) {
    const m = /^([> ]) (\[.\]) (.+?)(?:\s{2,}\S.*)?\s*$/.exec(line);
    if (m) out.push({ cursor: m[1] === '>', mark: m[2], status: markStatus(m[2]), title: m[3].trim() });
  }
  return out;
}

export function itemOnScreen(screen: string, title: string): ScreenItem | undefined {
  return screenItems(screen).find((i) => i.title === title);
}

export function statusOnScreen(title: string, status: ItemStatus | 'running'): (screen: string) => boolean {
  return (s) => itemOnScreen(s, title)?.status === status;
}

export function cursorOn(title: string): (screen: string) => boolean {
  return (s) => itemOnScreen(s, title)?.cursor === true;
}

/** Waits until the item list shows `count` items (the run is open). */
export async function listShown(pane: Pane, count: number, what = 'the item list'): Promise<string> {
  return pane.waitFor((s) => screenItems(s).length === count, what);
}

/** Moves the cursor to an item with j/k, one key at a time, each move seen on screen. */
export async function moveTo(pane: Pane, title: string): Promise<void> {
  for (let guard = 0; guard < 200; guard++) {
    const items = screenItems(pane.screen());
    const from = items.findIndex((i) => i.cursor);
    const to = items.findIndex((i) => i.title === title);
    if (to < 0 || from < 0) throw new Error(`cannot find ${title} or the cursor on screen:\n${pane.screen()}`);
    if (from === to) return;
    const next = items[from + (to > from ? 1 : -1)].title;
    await pane.press(to > from ? 'j' : 'k', cursorOn(next), `the cursor on ${next}`);
  }
  throw new Error(`the cursor never reached ${title}`);
}

export interface StatusItem {
  id: string;
  title: string;
  status: string;
  reason: string | null;
  result: string | null;
}

export interface E2e {
  dir: string;
  home: string;
  tmux: Tmux;
  /** Runs the CLI outside tmux (no TTY), e.g. `status RUN --json`. */
  cli(...args: string[]): { status: number | null; stdout: string; stderr: string };
  checklist(name: string, yaml: string): Promise<string>;
  onlyRunId(): string;
  status(runId: string): { items: StatusItem[]; warnings: string[]; raw: Record<string, unknown> };
  eventsPath(runId: string): string;
  /** Processes to SIGKILL at the end (commands orphaned by a kill -9 of runsheet). */
  strays: number[];
  cleanup(): Promise<void>;
}

export async function setupE2e(): Promise<E2e> {
  const t = await tempDir('rs-e2e-');
  const home = join(t.dir, 'home');
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: t.dir, LANG: 'C.UTF-8', RUNSHEET_HOME: home, RUNSHEET_OPERATOR: 'e2e' };
  const tmux = new Tmux(join(t.dir, 'tmux.sock'), env);
  const strays: number[] = [];
  const cli = (...args: string[]) => {
    const r = spawnSync(process.execPath, [BUNDLE, ...args], { cwd: t.dir, env, encoding: 'utf8' });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  return {
    dir: t.dir,
    home,
    tmux,
    cli,
    strays,
    checklist: async (name, yaml) => {
      const p = join(t.dir, name);
      await writeFile(p, yaml);
      return p;
    },
    onlyRunId: () => {
      const r = cli('runs', '--json');
      const runs = JSON.parse(r.stdout) as { id: string }[];
      if (runs.length !== 1) throw new Error(`expected one run, found ${runs.length}: ${r.stdout}${r.stderr}`);
      return runs[0].id;
    },
    status: (runId) => {
      const r = cli('status', runId, '--json');
      if (r.status !== 0) throw new Error(`runsheet status ${runId} exited ${r.status}: ${r.stderr}`);
      const raw = JSON.parse(r.stdout) as { phases: { items: StatusItem[] }[]; warnings: string[] };
      return { items: raw.phases.flatMap((p) => p.items), warnings: raw.warnings, raw };
    },
    eventsPath: (runId) => join(home, 'runs', runId, 'events.jsonl'),
    cleanup: async () => {
      await tmux.kill();
      // Commands orphaned by a kill -9 left the process tree; they still carry our RUNSHEET_HOME.
      for (const p of [...strays, ...processesWithEnv('RUNSHEET_HOME', home)]) killQuietly(p);
      await t.cleanup();
    },
  };
}

/**
 * Warnings that mean the run's files cannot be trusted. state.json being behind the log is not
 * one: it is a cache written after the log (not awaited), so a reader can catch it mid-update.
 */
export function complaints(warnings: string[]): string[] {
  return warnings.filter((w) => !/^state\.json was behind the event log/.test(w));
}

export function readEvents(path: string): { type: string; item?: string; [k: string]: unknown }[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

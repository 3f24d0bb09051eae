// Component-test harness for the run screen: a real run (RunStore in a temp RUNSHEET_HOME, the
// real executor running real commands) opened through openSession exactly as `runsheet run`
// does, rendered with ink-testing-library. press() writes keys and waits for the frame to
// change or a condition to hold, with a deadline; nothing here sleeps for a fixed time.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import chalk from 'chalk';
import { TuiApp } from '../../src/ui/app.js';
import { openSession, type Session } from '../../src/commands/session.js';
import { readTail } from '../../src/adapters/read-tail.js';
import type { RunEvent } from '../../src/core/events.js';
import { tempDir, testIo, writeChecklist } from '../support/tmp.js';

export const KEY = {
  up: '\x1b[A',
  down: '\x1b[B',
  right: '\x1b[C',
  left: '\x1b[D',
  tab: '\t',
  shiftTab: '\x1b[Z',
  enter: '\r',
  esc: '\x1b',
  ctrlC: '\x03',
  ctrlU: '\x15',
  backspace: '\x7f',
  pageDown: '\x1b[6~',
} as const;

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;
export const plain = (s: string) => s.replace(ANSI, '');

const tick = () => new Promise((r) => setTimeout(r, 0));

// Ink colours through chalk, which finds no colour terminal under the test runner and would
// drop every code: force it on, so colour tests see what a terminal gets and the NO_COLOR tests
// prove the screen itself adds no colour.
chalk.level = 1;

export interface RunFixture {
  dir: string;
  session: Session;
  eventsPath: string;
  events(): RunEvent[];
  cleanup(): Promise<void>;
}

/** A fresh run of `yaml` (written to a temp dir) with real adapters. */
export async function openRun(
  yaml: string,
  o: { env?: Record<string, string>; resumeId?: string; dir?: string } = {},
): Promise<RunFixture> {
  const t = o.dir ? { dir: o.dir, cleanup: async () => {} } : await tempDir('rs-ui-');
  const file = await writeChecklist(t.dir, 'c.yaml', yaml);
  const { io } = testIo(t.dir, o.env);
  const session = await openSession(io, o.resumeId ? { resumeId: o.resumeId, operator: 'ann' } : { file, operator: 'ann', fresh: true }, {
    resumeOrFresh: async () => 'resume',
    confirmEnvironment: async () => true,
  });
  const eventsPath = join(session.store.dir, 'events.jsonl');
  return {
    dir: t.dir,
    session,
    eventsPath,
    events: () =>
      readFileSync(eventsPath, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as RunEvent),
    cleanup: async () => {
      for (const id of session.engine.running()) session.engine.stop(id);
      await session.engine.whenIdle(10_000);
      await session.close();
      await t.cleanup();
    },
  };
}

export interface Screen {
  /** The last frame as written (with colour codes when colour is on). */
  raw(): string;
  /** The last frame without escape codes. */
  frame(): string;
  lines(): string[];
  /** Writes keys; waits until `until` holds (default: the frame changed). */
  press(keys: string, until?: (frame: string) => boolean, what?: string): Promise<string>;
  waitFor(pred: (frame: string) => boolean, what: string, timeoutMs?: number): Promise<string>;
  exits: string[];
  stdout: { write: (frame: string) => void; frames: string[] };
  unmount(): void;
}

/** Renders the run screen of `run` at a fixed size with the clocks stopped. */
export async function mount(
  run: RunFixture,
  o: { columns?: number; rows?: number; color?: boolean; readOnly?: boolean; warnings?: string[]; jobs?: number; runId?: string } = {},
): Promise<Screen> {
  const { session } = run;
  const exits: string[] = [];
  const r = render(
    <TuiApp
      engine={session.engine}
      runId={o.runId ?? session.runId}
      operator={session.operator}
      env={session.checklist.env}
      jobs={o.jobs ?? 4}
      readOnly={o.readOnly ?? session.store.readOnly}
      runDir={session.store.dir}
      warnings={o.warnings ?? session.warnings}
      secrets={session.secrets}
      color={o.color ?? true}
      size={{ columns: o.columns ?? 80, rows: o.rows ?? 24 }}
      tickMs={0}
      readFullOutput={async (id) => {
        const st = session.engine.state.items[id];
        const logs = [st?.result?.stdout?.log, st?.result?.stderr?.log].filter((x): x is string => !!x);
        const parts = await Promise.all(logs.map((l) => readTail(session.store.logPath(l), 4 << 20)));
        return parts.filter(Boolean).join('\n') || (st?.result?.summary ?? 'no output recorded');
      }}
      onExit={(how) => exits.push(how)}
    />,
  );
  await tick();
  const raw = () => r.lastFrame() ?? '';
  const frame = () => plain(raw());
  const waitFor = async (pred: (f: string) => boolean, what: string, timeoutMs = 15_000) => {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const f = frame();
      if (pred(f)) return f;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last frame:\n${f}`);
      await new Promise((res) => setTimeout(res, 10));
    }
  };
  return {
    raw,
    frame,
    lines: () => frame().split('\n'),
    press: async (keys, until, what) => {
      const before = frame();
      r.stdin.write(keys);
      await tick();
      return waitFor(until ?? ((f) => f !== before), what ?? `the frame to change after ${JSON.stringify(keys)}`);
    },
    waitFor,
    exits,
    stdout: r.stdout as unknown as Screen['stdout'],
    unmount: () => r.unmount(),
  };
}

/** The line of the list that shows `title` (its mark and cursor). */
export function rowOf(frame: string, title: string): string {
  return frame.split('\n').find((l) => l.includes(` ${title}`) && /\[.\]/.test(l)) ?? '';
}

export const types = (run: RunFixture) => run.events().map((e) => e.type);

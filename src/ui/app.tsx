// Entry points of the Ink UI: runTui drives a run until the operator quits; promptChoice and
// promptTypeToConfirm are the small questions asked before a run is opened. The UI never spawns
// processes or touches files: the engine and readFullOutput do that.
import type { TeamFeed } from './team-types.js';
import { useCallback, useRef } from 'react';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { render, useInput, useStdout, type Instance } from 'ink';
import type { RunEngine } from '../core/engine.js';
import { UserError } from '../core/errors.js';
import { ColorContext } from './theme.js';
import { DialogView } from './prompts.js';
import { Screen } from './screen.js';
import { createDialogs, type Answer, type DialogSpec, type Dialogs, type OpenDialog } from './dialogs.js';
import { wrapLines } from './text.js';
import { splitKeys } from './keys.js';
import type { Size } from './hooks.js';

export interface TuiOptions {
  engine: RunEngine;
  runId: string;
  operator: string;
  env: string | null;
  jobs: number;
  readOnly: boolean;
  /** The run's directory, shown in full by the `i` overlay. */
  runDir?: string;
  warnings: string[];
  readFullOutput: (itemId: string) => Promise<string>;
  /** A team run (database store): presence and store reachability for the line under the header. */
  team?: TeamFeed;
  /** false for NO_COLOR / --no-color; defaults to !NO_COLOR. */
  color?: boolean;
  /** Secret values to mask in the detail pane (command lines are shown after substitution). */
  secrets?: readonly string[];
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  /**
   * Aborted when the run is stopped from outside (signal, lost terminal): the screen goes away
   * at once, without waiting for dialogs or commands; the caller records the interruption.
   */
  signal?: AbortSignal;
  /** Tests: pin the terminal size and stop the clocks. */
  size?: Size;
  tickMs?: number;
}

export interface TuiResult {
  code: number;
  quit: 'done' | 'quit' | 'stopped';
}

export interface PromptIo {
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  color?: boolean;
  /** Gives the question up (rejects with StoppedError) when aborted. */
  signal?: AbortSignal;
}

/** A start-up question given up because the run was stopped (signal, lost terminal). */
export class StoppedError extends Error {
  constructor() {
    super('stopped');
  }
}

/**
 * Takes an Ink instance down whatever state the terminal is in. On a dead terminal the streams
 * are already destroyed (src/adapters/terminal.ts), so Ink skips its last frame and raw-mode
 * reset; anything that still throws is of no interest to an operator who is gone.
 */
function unmountQuietly(instance: Instance | undefined): void {
  try {
    instance?.unmount();
  } catch {
    // the terminal is going or gone
  }
}

/** Calls `f` once when `signal` aborts (at once if it already has); returns the unsubscribe. */
function onAbort(signal: AbortSignal | undefined, f: () => void): () => void {
  if (!signal) return () => {};
  if (signal.aborted) {
    queueMicrotask(f);
    return () => {};
  }
  signal.addEventListener('abort', f, { once: true });
  return () => signal.removeEventListener('abort', f);
}

function defaultColor(color?: boolean): boolean {
  return color ?? !process.env.NO_COLOR;
}

function inkOptions(io: PromptIo) {
  // Ink spreads these over its defaults, so an explicit `stdout: undefined` would replace
  // process.stdout with nothing: only pass the streams a caller actually gave.
  return {
    ...(io.stdin ? { stdin: io.stdin } : {}),
    ...(io.stdout ? { stdout: io.stdout } : {}),
    exitOnCtrlC: false,
    incrementalRendering: true,
    patchConsole: false,
    // Ink throttles frames to maxFps (default 30): a key pressed within 33 ms of the last frame
    // (spinner, clock, live output) waited for the next slot. At 120 that wait is at most 8 ms;
    // the frame rate stays set by what changes (live output is throttled to 10/s by the engine,
    // the spinner to 8/s), so this costs no CPU (docs/performance.md).
    maxFps: 120,
  } as const;
}

export function runTui(opts: TuiOptions): Promise<TuiResult> {
  return new Promise((resolve) => {
    let instance: Instance | undefined;
    let done = false;
    const onExit = (how: 'done' | 'quit' | 'stopped') => {
      if (done) return;
      done = true;
      unsubscribe();
      unmountQuietly(instance);
      // Below the last frame, in full and in the scrollback: how to carry on from here.
      const out = opts.stdout ?? process.stdout;
      const line =
        how === 'done'
          ? `runsheet: run ${opts.runId} finished · report: runsheet report ${opts.runId}\n`
          : how === 'quit'
            ? `runsheet: run ${opts.runId} saved · resume with: runsheet resume ${opts.runId}\n`
            : `runsheet: run ${opts.runId} stopping (${stopReason(opts.signal)}) · resume with: runsheet resume ${opts.runId}\n`;
      // Not on a destroyed (lost) terminal; a write that fails now is reported to the stream's
      // error listeners, never thrown.
      if (!out.destroyed) out.write(line);
      resolve({ code: 0, quit: how });
    };
    const unsubscribe = onAbort(opts.signal, () => onExit('stopped'));
    if (opts.signal?.aborted) return;
    instance = render(<TuiApp {...opts} onExit={onExit} />, inkOptions(opts));
  });
}

function stopReason(signal: AbortSignal | undefined): string {
  const r = signal?.reason as { reason?: unknown } | undefined;
  return typeof r?.reason === 'string' ? r.reason : 'stopped';
}

/** The whole run screen as one element: what runTui renders, and what component tests render. */
export function TuiApp(opts: Omit<TuiOptions, 'stdin' | 'stdout'> & { onExit: (how: 'done' | 'quit') => void }) {
  return (
    <ColorContext.Provider value={defaultColor(opts.color)}>
      <Screen {...opts} secrets={opts.secrets ?? []} />
    </ColorContext.Provider>
  );
}

/** Runs one standalone question (the same dialog state and views as in the run screen). */
function standalone<T>(io: PromptIo, spec: DialogSpec, toResult: (a: Answer) => T | { cancelled: true }): Promise<T> {
  return new Promise((resolve, reject) => {
    let instance: Instance | undefined;
    let settled = false;
    const finish = (v: T | { cancelled: true } | StoppedError) => {
      if (settled) return;
      settled = true;
      unsubscribe();
      unmountQuietly(instance);
      if (v instanceof StoppedError) reject(v);
      else if (v && typeof v === 'object' && 'cancelled' in v) reject(new UserError('cancelled: nothing was run'));
      else resolve(v);
    };
    const unsubscribe = onAbort(io.signal, () => finish(new StoppedError()));
    if (io.signal?.aborted) return;
    instance = render(
      <ColorContext.Provider value={defaultColor(io.color)}>
        <Question spec={spec} onAnswer={(a) => finish(toResult(a))} onCancel={() => finish({ cancelled: true })} />
      </ColorContext.Provider>,
      inkOptions(io),
    );
  });
}

function Question({ spec, onAnswer, onCancel }: { spec: DialogSpec; onAnswer: (a: Answer) => void; onCancel: () => void }) {
  // The question's own store, kept the way the run screen keeps its dialog (screen-store.ts).
  const q = useRef<{ store: StoreApi<{ dialog: OpenDialog | null }>; dialogs: Dialogs } | null>(null);
  if (!q.current) {
    const store = createStore<{ dialog: OpenDialog | null }>(() => ({ dialog: null }));
    // Keys act on the open dialog; the store keeps the last one shown, so the answered question
    // stays on screen (and in the scrollback) as the prompt goes away.
    let current: OpenDialog | null = null;
    const dialogs = createDialogs({
      get: () => current,
      set: (d) => {
        current = d;
        if (d) store.setState({ dialog: d });
      },
    });
    const open =
      spec.kind === 'choice'
        ? dialogs.ask.choice(spec.message, spec.choices)
        : spec.kind === 'text'
          ? dialogs.ask.text(spec.message, spec)
          : dialogs.ask.confirm(spec.message);
    void open.then(onAnswer);
    q.current = { store, dialogs };
  }
  const { store, dialogs } = q.current;
  const { stdout } = useStdout();
  const width = Math.max(20, Math.min((stdout.columns || 80) - 1, 100));
  useInput(
    useCallback(
      (input, key) => {
        for (const k of splitKeys(input, key)) {
          if (k.key.ctrl && k.input === 'c') return void onCancel();
          dialogs.key(k.input, k.key);
        }
      },
      [onCancel, dialogs],
    ),
  );
  const height =
    spec.kind === 'choice' ? wrapLines(spec.message, width).length + spec.choices.length + 1 : wrapLines(spec.message, width).length + 2;
  return <DialogView store={store} width={width} height={height} />;
}

/** A one-off choice before the run opens (resume vs fresh). Esc takes the first (default) choice. */
export function promptChoice<T>(title: string, choices: { label: string; value: T }[], io: PromptIo = {}): Promise<T> {
  // Esc is not a place to get stuck: it answers with the default.
  return standalone<T>(io, { kind: 'choice', message: title, choices }, (a) => (a === null ? choices[0].value : (a as T)));
}

/** Typing the environment's name to confirm a `confirm: true` environment. false when cancelled. */
export function promptTypeToConfirm(message: string, expected: string, io: PromptIo = {}): Promise<boolean> {
  return standalone<boolean>(
    io,
    {
      kind: 'text',
      message,
      placeholder: expected.replace(/./g, '_'),
      validate: (t) => (t.trim() === expected ? null : `type "${expected}" exactly, or Esc to cancel`),
    },
    (a) => a !== null,
  ).catch((e: unknown) => {
    if (e instanceof StoppedError) throw e;
    return false;
  });
}

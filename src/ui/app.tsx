// Entry points of the Ink UI: runTui drives a run until the operator quits; promptChoice and
// promptTypeToConfirm are the small questions asked before a run is opened. The UI never spawns
// processes or touches files: the engine and readFullOutput do that.
import { render, useInput, useStdout, type Instance } from 'ink';
import type { RunEngine } from '../core/engine.js';
import { UserError } from '../core/errors.js';
import { ColorContext } from './theme.js';
import { ChoicePrompt, TextPrompt } from './prompts.js';
import { Screen } from './screen.js';
import type { Choice } from './dialogs.js';
import type { Size } from './hooks.js';

export interface TuiOptions {
  engine: RunEngine;
  runId: string;
  operator: string;
  env: string | null;
  jobs: number;
  readOnly: boolean;
  warnings: string[];
  readFullOutput: (itemId: string) => Promise<string>;
  /** false for NO_COLOR / --no-color; defaults to !NO_COLOR. */
  color?: boolean;
  /** Secret values to mask in the detail pane (command lines are shown after substitution). */
  secrets?: readonly string[];
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  /** Tests: pin the terminal size and stop the clocks. */
  size?: Size;
  tickMs?: number;
}

export interface TuiResult {
  code: number;
  quit: 'done' | 'quit';
}

export interface PromptIo {
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  color?: boolean;
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
  } as const;
}

export function runTui(opts: TuiOptions): Promise<TuiResult> {
  return new Promise((resolve) => {
    let instance: Instance | undefined;
    let done = false;
    const onExit = (how: 'done' | 'quit') => {
      if (done) return;
      done = true;
      instance?.unmount();
      resolve({ code: 0, quit: how });
    };
    instance = render(
      <ColorContext.Provider value={defaultColor(opts.color)}>
        <Screen {...opts} secrets={opts.secrets ?? []} onExit={onExit} />
      </ColorContext.Provider>,
      inkOptions(opts),
    );
  });
}

/** Runs one standalone prompt component until it answers. */
function standalone<T>(io: PromptIo, body: (finish: (v: T | { cancelled: true }) => void) => React.ReactElement): Promise<T> {
  return new Promise((resolve, reject) => {
    let instance: Instance | undefined;
    const finish = (v: T | { cancelled: true }) => {
      instance?.unmount();
      if (v && typeof v === 'object' && 'cancelled' in v) reject(new UserError('cancelled: nothing was run'));
      else resolve(v as T);
    };
    instance = render(<ColorContext.Provider value={defaultColor(io.color)}>{body(finish)}</ColorContext.Provider>, inkOptions(io));
  });
}

function CtrlC({ onCancel }: { onCancel: () => void }) {
  useInput((input, key) => key.ctrl && input === 'c' && onCancel());
  return null;
}

function useWidth(): number {
  const { stdout } = useStdout();
  return Math.max(20, Math.min(stdout.columns || 80, 100));
}

function ChoiceApp<T>({ title, choices, finish }: { title: string; choices: Choice<T>[]; finish: (v: T | { cancelled: true }) => void }) {
  const width = useWidth();
  return (
    <>
      <CtrlC onCancel={() => finish({ cancelled: true })} />
      {/* Esc takes the first (default) choice: the question is not a place to get stuck. */}
      <ChoicePrompt width={width} height={choices.length + 4} active message={title} choices={choices} onDone={(v) => finish(v ?? choices[0].value)} />
    </>
  );
}

/** A one-off choice before the run opens (resume vs fresh). The first choice is the default. */
export function promptChoice<T>(title: string, choices: { label: string; value: T }[], io: PromptIo = {}): Promise<T> {
  return standalone<T>(io, (finish) => <ChoiceApp title={title} choices={choices} finish={finish} />);
}

function TypeApp({ message, expected, finish }: { message: string; expected: string; finish: (v: boolean | { cancelled: true }) => void }) {
  const width = useWidth();
  return (
    <>
      <CtrlC onCancel={() => finish(false)} />
      <TextPrompt width={width} height={5} active message={message} placeholder={expected.replace(/./g, '_')} validate={(t) => (t.trim() === expected ? null : `type "${expected}" exactly, or Esc to cancel`)} onDone={(v) => finish(v !== null)} />
    </>
  );
}

/** Typing the environment's name to confirm a `confirm: true` environment. false when cancelled. */
export function promptTypeToConfirm(message: string, expected: string, io: PromptIo = {}): Promise<boolean> {
  return standalone<boolean>(io, (finish) => <TypeApp message={message} expected={expected} finish={finish} />);
}

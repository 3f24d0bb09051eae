// Dialogs as promises: an action flow (src/ui/actions.ts) awaits `ask(...)` for each question,
// the screen renders the one open dialog, and the dialog's answer resolves the promise. While a
// dialog is open the list's key handler is inactive, so typed text never leaks into commands.
import { useCallback, useRef, useState } from 'react';

export interface Choice<T> {
  label: string;
  value: T;
  /** A letter that picks this choice directly. */
  hotkey?: string;
}

export type DialogSpec =
  | { kind: 'confirm'; message: string }
  | { kind: 'text'; message: string; initial?: string; validate?: (text: string) => string | null; placeholder?: string }
  | { kind: 'choice'; message: string; choices: Choice<unknown>[] };

/** confirm → boolean; text → string, or null when cancelled; choice → value, or null. */
export type Answer = boolean | string | unknown | null;

export interface OpenDialog {
  /** Distinct per dialog, as a React key: two text prompts in a row must not share state. */
  id: number;
  spec: DialogSpec;
  answer: (a: Answer) => void;
}

export interface Asker {
  confirm(message: string): Promise<boolean>;
  text(message: string, opts?: { initial?: string; validate?: (t: string) => string | null; placeholder?: string }): Promise<string | null>;
  choice<T>(message: string, choices: Choice<T>[]): Promise<T | null>;
}

export function useDialogs(): { dialog: OpenDialog | null; ask: Asker } {
  const [dialog, setDialog] = useState<OpenDialog | null>(null);
  const seq = useRef(0);
  const open = useCallback(
    (spec: DialogSpec) =>
      new Promise<Answer>((resolve) => {
        setDialog({
          id: ++seq.current,
          spec,
          answer: (a) => {
            setDialog(null);
            resolve(a);
          },
        });
      }),
    [],
  );
  const ask = useRef<Asker>({
    confirm: async (message) => (await open({ kind: 'confirm', message })) === true,
    text: async (message, opts = {}) => (await open({ kind: 'text', message, ...opts })) as string | null,
    choice: async <T,>(message: string, choices: Choice<T>[]) => (await open({ kind: 'choice', message, choices: choices as Choice<unknown>[] })) as T | null,
  }).current;
  return { dialog, ask };
}

/** A non-empty reason (reasons are recorded; an empty one would say nothing). */
export function requireText(what: string): (t: string) => string | null {
  return (t) => (t.trim() ? null : `${what} cannot be empty`);
}

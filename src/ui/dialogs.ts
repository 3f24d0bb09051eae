// Dialogs as promises: an action flow (src/ui/actions.ts) awaits `ask(...)` for each question,
// the screen renders the one open dialog, and the dialog's answer resolves the promise.
//
// The open dialog and what has been typed into it live in a plain object, changed synchronously
// by dialogKey(), not in React state behind a per-component useInput: keys often arrive several
// to a read (typing ahead over SSH, a paste, tmux send-keys), Ink delivers them one after the
// other before React has re-subscribed any handler, and a handler holding the previous render's
// state would act on a stale cursor or lose typed text. One handler reading this object is never
// stale.
import type { Key } from 'ink';

export interface Choice<T> {
  label: string;
  value: T;
  /** A letter that picks this choice directly. */
  hotkey?: string;
}

export type DialogSpec =
  | { kind: 'confirm'; message: string; /** What a yes will do (the exact command), drawn under the question. */ detail?: string }
  | {
      kind: 'text';
      message: string;
      initial?: string;
      validate?: (text: string) => string | null;
      placeholder?: string;
      /** A secret: typed characters are drawn as •. */ mask?: boolean;
    }
  | { kind: 'choice'; message: string; choices: Choice<unknown>[] };

/** confirm → boolean; text → string, or null when cancelled; choice → value, or null. */
export type Answer = boolean | string | unknown | null;

export interface OpenDialog {
  /** Distinct per dialog, as a React key. */
  id: number;
  spec: DialogSpec;
  /** Text typed so far (text dialogs). */
  value: string;
  /** Where typing goes, in characters (code points) from the start of `value`. */
  cursor: number;
  /** Why Enter was refused (text dialogs). */
  error: string | null;
  /** Highlighted choice (choice dialogs). */
  sel: number;
  answer: (a: Answer) => void;
}

export interface Asker {
  confirm(message: string, detail?: string): Promise<boolean>;
  text(
    message: string,
    opts?: { initial?: string; validate?: (t: string) => string | null; placeholder?: string; mask?: boolean },
  ): Promise<string | null>;
  choice<T>(message: string, choices: Choice<T>[]): Promise<T | null>;
}

export interface Dialogs {
  /** The open dialog, or null. Read at key time, never captured. */
  current(): OpenDialog | null;
  ask: Asker;
}

/** One dialog at a time; `changed` asks the screen to redraw. */
export function createDialogs(changed: () => void): Dialogs {
  let open: OpenDialog | null = null;
  let seq = 0;
  const show = (spec: DialogSpec) =>
    new Promise<Answer>((resolve) => {
      const d: OpenDialog = {
        id: ++seq,
        spec,
        value: spec.kind === 'text' ? (spec.initial ?? '') : '',
        cursor: spec.kind === 'text' ? [...(spec.initial ?? '')].length : 0,
        error: null,
        sel: 0,
        answer: (a) => {
          if (open !== d) return; // answered already (a second Enter in the same read)
          open = null;
          changed();
          resolve(a);
        },
      };
      open = d;
      changed();
    });
  return {
    current: () => open,
    ask: {
      confirm: async (message, detail) => (await show({ kind: 'confirm', message, ...(detail ? { detail } : {}) })) === true,
      text: async (message, opts = {}) => (await show({ kind: 'text', message, ...opts })) as string | null,
      choice: async <T>(message: string, choices: Choice<T>[]) => (await show({ kind: 'choice', message, choices: choices })) as T | null,
    },
  };
}

/** Applies one key to the open dialog (may answer it). Returns true when the screen should redraw. */
export function dialogKey(d: OpenDialog, input: string, key: Key): boolean {
  const s = d.spec;
  if (s.kind === 'confirm') {
    if (input === 'y' || input === 'Y') d.answer(true);
    else if (input === 'n' || input === 'N' || key.escape || key.return) d.answer(false);
    return false;
  }
  if (s.kind === 'choice') {
    const n = s.choices.length;
    // A choice's own letter wins over j/k movement ("k: keep it running").
    const hot = input ? s.choices.find((c) => c.hotkey === input) : undefined;
    const digit = /^[1-9]$/.test(input) ? Number(input) : 0;
    if (key.escape) d.answer(null);
    else if (hot) d.answer(hot.value);
    else if (digit && digit <= n) d.answer(s.choices[digit - 1].value);
    else if (key.upArrow || input === 'k') d.sel = (d.sel - 1 + n) % n;
    else if (key.downArrow || input === 'j') d.sel = (d.sel + 1) % n;
    else if (key.return) d.answer(s.choices[d.sel].value);
    else return false;
    return true;
  }
  if (key.escape) {
    d.answer(null);
    return false;
  }
  if (key.return) {
    const err = s.validate?.(d.value) ?? null;
    if (err) d.error = err;
    else d.answer(d.value);
    return true;
  }
  if (!editText(d, input, key)) return false;
  d.error = null;
  return true;
}

/** A key that types text into a field (as opposed to one that answers, moves or edits). */
export function isTextKey(key: Key): boolean {
  return !(
    key.return ||
    key.escape ||
    key.ctrl ||
    key.meta ||
    key.tab ||
    key.backspace ||
    key.delete ||
    key.upArrow ||
    key.downArrow ||
    key.leftArrow ||
    key.rightArrow ||
    key.home ||
    key.end
  );
}

/**
 * Line editing, as in a shell: ←/→ (Ctrl-B/F), Home/End (Ctrl-A/E), Backspace, Ctrl-W (the word
 * before the cursor), Ctrl-U (everything); typed or pasted text goes in at the cursor. Terminals
 * send Backspace as DEL, which Ink reports as `delete`, so both delete backwards.
 */
function editText(d: OpenDialog, input: string, key: Key): boolean {
  const chars = [...d.value];
  const at = Math.min(Math.max(0, d.cursor), chars.length);
  const ctrl = (c: string) => key.ctrl && input === c;
  let cursor = at;
  if (key.backspace || key.delete) {
    if (at === 0) return false;
    chars.splice(at - 1, 1);
    cursor = at - 1;
  } else if (ctrl('u')) {
    chars.length = 0;
    cursor = 0;
  } else if (ctrl('w')) {
    let from = at;
    while (from > 0 && chars[from - 1] === ' ') from--;
    while (from > 0 && chars[from - 1] !== ' ') from--;
    chars.splice(from, at - from);
    cursor = from;
  } else if (key.leftArrow || ctrl('b')) cursor = Math.max(0, at - 1);
  else if (key.rightArrow || ctrl('f')) cursor = Math.min(chars.length, at + 1);
  else if (key.home || ctrl('a')) cursor = 0;
  else if (key.end || ctrl('e')) cursor = chars.length;
  else if (!isTextKey(key)) return false;
  else {
    // Pasted text arrives as one chunk; keep it on one line and drop control characters.
    // eslint-disable-next-line no-control-regex
    const clean = [...input.replace(/[\r\n]+/g, ' ').replace(/[\x00-\x1f\x7f]/g, '')];
    if (!clean.length) return false;
    chars.splice(at, 0, ...clean);
    cursor = at + clean.length;
  }
  d.value = chars.join('');
  d.cursor = cursor;
  return true;
}

/** A non-empty reason (reasons are recorded; an empty one would say nothing). */
export function requireText(what: string): (t: string) => string | null {
  return (t) => (t.trim() ? null : `${what} cannot be empty`);
}

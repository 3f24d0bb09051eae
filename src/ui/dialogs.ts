// Dialogs as promises: an action flow (src/ui/actions.ts) awaits `ask(...)` for each question,
// the screen renders the one open dialog, and the dialog's answer resolves the promise.
//
// The open dialog and what has been typed into it live in a store (the screen's, see
// screen-store.ts), replaced synchronously by each key through dialogKey(), not in React state
// behind a per-component useInput: keys often arrive several to a read (typing ahead over SSH, a
// paste, tmux send-keys), Ink delivers them one after the other before React has re-subscribed
// any handler, and a handler holding the previous render's state would act on a stale cursor or
// lose typed text. One handler reading the store at key time is never stale; the views only
// subscribe to it. (This is also why choice lists are not ink-select-input: docs/architecture.md.)
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

/** Never changed in place: a key that changes it makes a new one (views select it by identity). */
export interface OpenDialog {
  /** Distinct per dialog, as a React key; copies made by keys keep it. */
  readonly id: number;
  readonly spec: DialogSpec;
  /** Text typed so far (text dialogs). */
  readonly value: string;
  /** Where typing goes, in characters (code points) from the start of `value`. */
  readonly cursor: number;
  /** Why Enter was refused (text dialogs). */
  readonly error: string | null;
  /** Highlighted choice (choice dialogs). */
  readonly sel: number;
  /** Closes the dialog with this answer (once: later calls, on this or a copy, do nothing). */
  readonly answer: (a: Answer) => void;
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
  /** Applies one key to the open dialog, if any. */
  key(input: string, key: Key): void;
  ask: Asker;
}

/** Where the open dialog is kept: read and written synchronously, at key time. */
export interface DialogSlot {
  get(): OpenDialog | null;
  set(d: OpenDialog | null): void;
}

/** One dialog at a time, kept in `slot` (the screen's store). */
export function createDialogs(slot: DialogSlot): Dialogs {
  let seq = 0;
  const show = (spec: DialogSpec) =>
    new Promise<Answer>((resolve) => {
      const id = ++seq;
      slot.set({
        id,
        spec,
        value: spec.kind === 'text' ? (spec.initial ?? '') : '',
        cursor: spec.kind === 'text' ? [...(spec.initial ?? '')].length : 0,
        error: null,
        sel: 0,
        answer: (a) => {
          if (slot.get()?.id !== id) return; // answered already (a second Enter in the same read)
          slot.set(null);
          resolve(a);
        },
      });
    });
  return {
    current: () => slot.get(),
    key: (input, key) => {
      const d = slot.get();
      const next = d && dialogKey(d, input, key);
      // Not when the key answered it: the slot is closed (or holds the next question) by now.
      if (next && next !== d && slot.get() === d) slot.set(next);
    },
    ask: {
      confirm: async (message, detail) => (await show({ kind: 'confirm', message, ...(detail ? { detail } : {}) })) === true,
      text: async (message, opts = {}) => (await show({ kind: 'text', message, ...opts })) as string | null,
      choice: async <T>(message: string, choices: Choice<T>[]) => (await show({ kind: 'choice', message, choices: choices })) as T | null,
    },
  };
}

/**
 * Applies one key to the open dialog: the dialog as the key leaves it (a new object when it
 * changed, `d` itself when the key does nothing here), or null when the key answered it.
 */
export function dialogKey(d: OpenDialog, input: string, key: Key): OpenDialog | null {
  const s = d.spec;
  const answer = (a: Answer) => (d.answer(a), null);
  if (s.kind === 'confirm') {
    if (input === 'y' || input === 'Y') return answer(true);
    if (input === 'n' || input === 'N' || key.escape || key.return) return answer(false);
    return d;
  }
  if (s.kind === 'choice') {
    const n = s.choices.length;
    // A choice's own letter wins over j/k movement ("k: keep it running").
    const hot = input ? s.choices.find((c) => c.hotkey === input) : undefined;
    const digit = /^[1-9]$/.test(input) ? Number(input) : 0;
    if (key.escape) return answer(null);
    if (hot) return answer(hot.value);
    if (digit && digit <= n) return answer(s.choices[digit - 1].value);
    if (key.upArrow || input === 'k') return { ...d, sel: (d.sel - 1 + n) % n };
    if (key.downArrow || input === 'j') return { ...d, sel: (d.sel + 1) % n };
    if (key.return) return answer(s.choices[d.sel].value);
    return d;
  }
  if (key.escape) return answer(null);
  if (key.return) {
    const err = s.validate?.(d.value) ?? null;
    return err ? { ...d, error: err } : answer(d.value);
  }
  const edited = editText(d, input, key);
  return edited ? { ...d, ...edited, error: null } : d;
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
function editText(d: OpenDialog, input: string, key: Key): { value: string; cursor: number } | null {
  const chars = [...d.value];
  const at = Math.min(Math.max(0, d.cursor), chars.length);
  const ctrl = (c: string) => key.ctrl && input === c;
  let cursor = at;
  if (key.backspace || key.delete) {
    if (at === 0) return null;
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
  else if (!isTextKey(key)) return null;
  else {
    // Pasted text arrives as one chunk; keep it on one line and drop control characters.
    // eslint-disable-next-line no-control-regex
    const clean = [...input.replace(/[\r\n]+/g, ' ').replace(/[\x00-\x1f\x7f]/g, '')];
    if (!clean.length) return null;
    chars.splice(at, 0, ...clean);
    cursor = at + clean.length;
  }
  return { value: chars.join(''), cursor };
}

/** A non-empty reason (reasons are recorded; an empty one would say nothing). */
export function requireText(what: string): (t: string) => string | null {
  return (t) => (t.trim() ? null : `${what} cannot be empty`);
}

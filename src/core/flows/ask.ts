// The one port through which a run asks a person something. Every flow in this folder asks
// through it; the TUI answers with dialogs (src/ui/ask.ts), headless answers from --answers
// (src/headless/ask.ts) and says what it could not answer. Each question names its topic, so a
// front end that does not show messages (headless, a test's script) knows what is being asked.
import type { OverrideKind } from '../events.js';

export type Topic =
  /** Run this action (again)? `again`: it already ran. */
  | { q: 'confirm'; item: string; again: boolean }
  /** A reason recorded as an override (out of order, sign-off despite failures, …). */
  | { q: 'reason'; override: OverrideKind; item?: string; phase?: string }
  /** An interrupted action: did it finish, fail, or should it run again? */
  | { q: 'resolve'; item: string }
  /** …and how the operator knows. */
  | { q: 'resolve-why'; item: string }
  /** A value for a var declared without one. */
  | { q: 'var'; item: string; name: string; secret: boolean }
  /** A record item's value. */
  | { q: 'record'; item: string }
  /** A manual metric probe's number. */
  | { q: 'number'; metric?: string }
  | { q: 'skip'; item: string }
  /** Accepting a failure or acknowledging a warning. */
  | { q: 'accept'; item: string }
  | { q: 'note'; item?: string }
  /** Sign-off: who signs, then as which role. */
  | { q: 'signer'; phase: string }
  | { q: 'role'; phase: string }
  | { q: 'rollback' }
  /** Quitting while commands run: leave them running, kill them, or stay. */
  | { q: 'quit-running'; items: string[] };

export interface Choice<T> {
  label: string;
  value: T;
  /** A letter that picks this choice directly. */
  hotkey?: string;
}

export interface TextOptions {
  initial?: string;
  /** null when the text is acceptable, else why not (shown; the question stays open). */
  validate?: (text: string) => string | null;
  placeholder?: string;
  /** A secret: never drawn as typed. */
  mask?: boolean;
}

export interface Ask {
  /** Yes or no; `detail` says exactly what a yes does (the command after substitution). */
  confirm(topic: Topic, message: string, detail?: string): Promise<boolean>;
  /** Free text; null when the person cancels (or, headless, when there is no answer). */
  text(topic: Topic, message: string, opts?: TextOptions): Promise<string | null>;
  choice<T>(topic: Topic, message: string, choices: Choice<T>[]): Promise<T | null>;
}

/** A non-empty answer (reasons are recorded; an empty one would say nothing). */
export function requireText(what: string): (t: string) => string | null {
  return (t) => (t.trim() ? null : `${what} cannot be empty`);
}

/** A stable key for a topic: drafts (what was typed before a cancel) are kept under it. */
export function topicKey(t: Topic): string {
  return JSON.stringify(t);
}

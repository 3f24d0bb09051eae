// The one sanitiser for untrusted text (checklist titles and notes, answers, recorded values, HTTP
// bodies, imported Markdown) on its way to a terminal or a report. Every C0 control except tab and
// newline, DEL, every C1 control and the bidi overrides become visible escapes (`\x1b`, `\u202e`),
// so an OSC 52 in a title cannot write the clipboard, an OSC 0 cannot retitle the window, CSI 2 J
// cannot clear the screen and a right-to-left override cannot make a command read backwards.
// Escaping (not dropping) keeps the evidence visible to the operator and in reports.

// C0 except \t (09) and \n (0a); DEL; C1; bidi embeddings/overrides/isolates; line/para separators.
// Sticky-free patterns for the test, global ones for the replace (a /g regex's test() is stateful).
const UNSAFE_CLASS = '[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\\u202a-\\u202e\\u2066-\\u2069\\u2028\\u2029]';
const BREAKING_CLASS = '[\\x00-\\x1f\\x7f-\\x9f\\u202a-\\u202e\\u2066-\\u2069\\u2028\\u2029]';
const UNSAFE = new RegExp(UNSAFE_CLASS);
const UNSAFE_ALL = new RegExp(UNSAFE_CLASS, 'g');
const BREAKING = new RegExp(BREAKING_CLASS);
const BREAKING_ALL = new RegExp(BREAKING_CLASS, 'g');

function visible(ch: string): string {
  const c = ch.charCodeAt(0);
  return c <= 0xff ? `\\x${c.toString(16).padStart(2, '0')}` : `\\u${c.toString(16).padStart(4, '0')}`;
}

/** Untrusted text that may span lines: controls become visible escapes; tab and newline stay. */
export function safeText(s: string): string {
  return UNSAFE.test(s) ? s.replace(UNSAFE_ALL, visible) : s;
}

/**
 * Untrusted text for one line (a row, a table cell, a status line): as safeText, and a line break
 * becomes a space (CRLF counts once) so a title cannot forge extra rows.
 */
export function safeLine(s: string): string {
  if (!BREAKING.test(s)) return s;
  return s.replace(/\r?\n|\t/g, ' ').replace(BREAKING_ALL, visible);
}

/**
 * JSON text for a terminal: JSON.stringify escapes C0 controls itself but leaves DEL, C1 and the
 * bidi controls raw; here they become `\u009b`-style escapes too, so the output is still JSON and
 * parses back to exactly the same strings (and the CLI's safeText net never has to touch it).
 */
export function safeJson(value: unknown, space?: number): string {
  return safeJsonText(JSON.stringify(value, null, space));
}

/** As safeJson, for JSON text already made (e.g. canonical JSON). */
export function safeJsonText(json: string): string {
  return UNSAFE.test(json) ? json.replace(UNSAFE_ALL, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`) : json;
}

/** True when the text holds nothing safeText would change. */
export function isSafeText(s: string): boolean {
  return !UNSAFE.test(s);
}

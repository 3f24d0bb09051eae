// Small text helpers for fixed-size panes: every pane draws an exact number of lines.
import { safeText } from '../core/safe-text.js';

/** Word-wraps to `width` columns (hard-breaking words longer than a line). */
export function wrapLines(text: string, width: number): string[] {
  const w = Math.max(1, width);
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(/\s+/).filter(Boolean)) {
      let rest = word;
      while ([...rest].length > w) {
        if (line) {
          out.push(line);
          line = '';
        }
        out.push([...rest].slice(0, w).join(''));
        rest = [...rest].slice(w).join('');
      }
      if (!line) line = rest;
      else if ([...line].length + 1 + [...rest].length <= w) line += ' ' + rest;
      else {
        out.push(line);
        line = rest;
      }
    }
    out.push(line);
  }
  return out;
}

// CSI and OSC sequences in their 7-bit (ESC [, ESC ]) and 8-bit (C1 CSI, OSC, ST) forms, and
// two-character ESC sequences.
// eslint-disable-next-line no-control-regex
const SEQUENCE = /(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]|(?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)|\x1b[@-Z\\-_]/g;
// eslint-disable-next-line no-control-regex
const STRAY_C0 = /[\x00-\x08\x0b-\x1f\x7f]/g;

/**
 * Command output for the screen: the sequences tools print (colours, titles, cursor moves) are
 * stripped, since they are noise in a pane; a tab is two spaces and stray C0 controls (a progress
 * bar's \r) are dropped. Whatever could still reach the terminal (a lone C1 control, a bidi
 * override) is escaped by safeText, the one sanitiser. Untrusted text that is not command output
 * (titles, notes, answers) is escaped with safeText/safeLine instead, never stripped, so the
 * operator sees what is there.
 */
export function sanitize(s: string): string {
  return safeText(s.replace(SEQUENCE, '').replace(/\t/g, '  ').replace(STRAY_C0, ''));
}

export function elapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  return h ? `${h}:${pad(m)}:${pad(s % 60)}` : `${pad(m)}:${pad(s % 60)}`;
}

export { seconds } from '../core/duration.js';

/**
 * Notes as written in YAML keep the author's line breaks (`|` blocks): join lines back into
 * paragraphs so they wrap to the pane, keeping blank-line breaks and list items on their own.
 */
export function reflow(text: string): string {
  const out: string[] = [];
  for (const line of text.replace(/\r\n/g, '\n').split('\n')) {
    const t = line.trim();
    const prev = out.length ? out[out.length - 1] : '';
    if (!t || !prev.trim() || /^([-*+]|\d+[.)])\s/.test(t)) out.push(t);
    else out[out.length - 1] = `${prev} ${t}`;
  }
  return out.join('\n').trim();
}

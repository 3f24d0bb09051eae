// Markdown escaping for text that came from outside (titles, notes, reasons, values). Input is
// already through safeLine (no controls, one line); this keeps it from becoming Markdown: a pipe
// cannot split a table cell, `[x](javascript:…)` is not a link, `<img onerror>` is not HTML,
// and `# ` at the start of a note is not a heading.
const ACTIVE = /[\\`*[\]<>|#!~]|(^|[^\p{L}\p{N}])_|_(?=[^\p{L}\p{N}]|$)/gu;

/** Inline Markdown text. */
export function mdText(s: string): string {
  return s
    .replace(ACTIVE, (m) => (m.length === 2 ? `${m[0]}\\_` : m === '_' ? '\\_' : `\\${m}`))
    .replace(/^(\s*)([-+]|\d+[.)])(\s)/, '$1\\$2$3');
}

/** A table cell: one line (already), escaped, and never empty. */
export function mdCell(s: string | null | undefined): string {
  if (s === null || s === undefined || s === '') return '–';
  return mdText(s.replace(/\r?\n/g, ' '));
}

export function mdTable(head: string[], rows: (string | null | undefined)[][]): string[] {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(mdCell).join(' | ')} |`)];
}

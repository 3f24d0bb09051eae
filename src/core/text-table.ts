// GFM tables in notes (a checklist's notes, docs, reference sections), found and drawn to a given
// width: columns side by side with wrapped cells when they fit, one "Header: value" record per
// row when the terminal is too narrow for columns. Pure: text in, lines out.
//
// A line scan rather than remark: tables are line-shaped by definition (a header row, a delimiter
// row, body rows), the scan is linear however odd the notes (remark is superlinear on some
// inputs: see import/limits.ts) and the TUI calls this while drawing.

export type Align = 'left' | 'right' | 'center' | null;

export interface TextTable {
  header: string[];
  align: Align[];
  rows: string[][];
}

export type NoteBlock = { kind: 'text'; text: string } | { kind: 'table'; table: TextTable };

export interface TableLine {
  text: string;
  role: 'header' | 'rule' | 'row';
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const DELIM_CELL = /^:?-+:?$/;

/** Cells of a table row: split on unescaped pipes, outer pipes optional, `\|` kept as a pipe. */
export function splitRow(line: string): string[] {
  let s = line.trim();
  if (s.startsWith('|')) s = s.slice(1);
  if (s.endsWith('|') && !s.endsWith('\\|')) s = s.slice(0, -1);
  const cells: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === '\\' && s[i + 1] === '|') {
      cur += '|';
      i++;
    } else if (ch === '|') {
      cells.push(cur);
      cur = '';
    } else cur += ch;
  }
  cells.push(cur);
  return cells.map(cleanCell);
}

/** Cell text as shown: `<br>` is a line break inside the cell (wiki tables use it), spaces collapsed. */
function cleanCell(c: string): string {
  return c
    .replace(/<br\s*\/?>/gi, '\n')
    .split('\n')
    .map((l) => l.replace(/\s+/g, ' ').trim())
    .join('\n')
    .trim();
}

function delimiter(line: string): Align[] | null {
  if (!line.includes('-')) return null;
  const t = line.trim();
  if (!t.includes('|') && !/^:?-+:?$/.test(t)) return null;
  const cells = splitRow(line);
  if (!cells.every((c) => DELIM_CELL.test(c))) return null;
  return cells.map((c) =>
    c.startsWith(':') && c.endsWith(':') ? 'center' : c.endsWith(':') ? 'right' : c.startsWith(':') ? 'left' : null,
  );
}

const indentOf = (l: string) => l.length - l.trimStart().length;

/** Splits notes into text and GFM tables, in order. Text outside tables is returned as written. */
export function splitTables(text: string): NoteBlock[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const out: NoteBlock[] = [];
  let buf: string[] = [];
  const flush = () => {
    if (buf.length) out.push({ kind: 'text', text: buf.join('\n') });
    buf = [];
  };
  let fence: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const f = FENCE.exec(line);
    if (fence) {
      if (f && f[1][0] === fence[0] && f[1].length >= fence.length) fence = null;
      buf.push(line);
      continue;
    }
    if (f) {
      fence = f[1];
      buf.push(line);
      continue;
    }
    const next = i + 1 < lines.length ? lines[i + 1] : undefined;
    // A header row and a delimiter row with as many cells; indented 4+ is a code block.
    if (next !== undefined && line.includes('|') && indentOf(line) < 4 && indentOf(next) < 4) {
      const align = delimiter(next);
      const header = align ? splitRow(line) : null;
      if (align && header && header.length === align.length) {
        const rows: string[][] = [];
        let j = i + 2;
        for (; j < lines.length; j++) {
          const l = lines[j];
          if (!l.trim() || !l.includes('|') || FENCE.test(l)) break;
          // Missing cells are empty and extra ones are dropped, as GFM does.
          const cells = splitRow(l);
          rows.push(header.map((_, k) => cells[k] ?? ''));
        }
        flush();
        out.push({ kind: 'table', table: { header, align, rows } });
        i = j - 1;
        continue;
      }
    }
    buf.push(line);
  }
  flush();
  return out;
}

// Widths here count code points, not terminal cells: the text is plain, and the screen's cell
// widths are the UI's business (src/ui/fit.ts).
const len = (s: string) => Array.from(s).length;

/** Word-wraps one cell line to `w` columns, hard-breaking words longer than that. */
export function wrapCell(text: string, w: number): string[] {
  const width = Math.max(1, w);
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(' ').filter(Boolean)) {
      let rest = word;
      while (len(rest) > width) {
        if (line) {
          out.push(line);
          line = '';
        }
        const chars = Array.from(rest);
        out.push(chars.slice(0, width).join(''));
        rest = chars.slice(width).join('');
      }
      if (!rest) continue;
      if (!line) line = rest;
      else if (len(line) + 1 + len(rest) <= width) line += ` ${rest}`;
      else {
        out.push(line);
        line = rest;
      }
    }
    out.push(line);
  }
  return out;
}

function pad(s: string, w: number, a: Align): string {
  const gap = Math.max(0, w - len(s));
  if (a === 'right') return ' '.repeat(gap) + s;
  if (a === 'center') return ' '.repeat(Math.floor(gap / 2)) + s + ' '.repeat(gap - Math.floor(gap / 2));
  return s + ' '.repeat(gap);
}

const SEP = ' │ ';
const MIN_COL = 4;

/**
 * Column widths for `width` columns in all: natural widths when they fit, else narrow columns
 * keep theirs and the wide ones share the rest evenly. null when even MIN_COL each does not fit.
 */
export function columnWidths(t: TextTable, width: number): number[] | null {
  const n = t.header.length;
  const avail = width - len(SEP) * (n - 1);
  // Loops, not Math.max(...spread): a pasted table can have more rows than a call has arguments.
  const natural = t.header.map((h, k) => {
    let w = 1;
    for (const c of [h, ...t.rows.map((r) => r[k])]) for (const l of c.split('\n')) w = Math.max(w, len(l));
    return w;
  });
  if (natural.reduce((a, b) => a + b, 0) <= avail) return natural;
  if (avail < MIN_COL * n) return null;
  const widths = new Array<number>(n).fill(0);
  let remaining = avail;
  const order = natural.map((w, k) => [w, k]).sort((a, b) => a[0] - b[0]);
  order.forEach(([w, k], idx) => {
    const share = Math.floor(remaining / (n - idx));
    widths[k] = Math.max(Math.min(MIN_COL, w), Math.min(w, share));
    remaining -= widths[k];
  });
  return widths;
}

/** The table drawn in `width` columns: header, rule, rows (ruled apart when a row wraps). */
export function renderTable(t: TextTable, width: number): TableLine[] {
  const widths = columnWidths(t, width);
  if (!widths) return renderRecords(t, width);
  const rowLines = (cells: string[]) => {
    const wrapped = cells.map((c, k) => wrapCell(c, widths[k]));
    const h = wrapped.reduce((m, w) => Math.max(m, w.length), 1);
    return Array.from({ length: h }, (_, i) =>
      wrapped
        .map((w, k) => pad(w[i] ?? '', widths[k], t.align[k]))
        .join(SEP)
        .trimEnd(),
    );
  };
  const rule = widths.map((w) => '─'.repeat(w)).join('─┼─');
  const body = t.rows.map(rowLines);
  const ruled = body.some((r) => r.length > 1);
  const out: TableLine[] = rowLines(t.header).map((text) => ({ text, role: 'header' as const }));
  out.push({ text: rule, role: 'rule' });
  body.forEach((r, i) => {
    if (ruled && i > 0) out.push({ text: rule, role: 'rule' });
    for (const text of r) out.push({ text, role: 'row' });
  });
  return out;
}

/** Too narrow for columns: each row as "Header: value" lines, rows ruled apart. */
function renderRecords(t: TextTable, width: number): TableLine[] {
  const out: TableLine[] = [];
  t.rows.forEach((r, i) => {
    if (i > 0) out.push({ text: '─'.repeat(Math.max(1, Math.min(width, 12))), role: 'rule' });
    t.header.forEach((h, k) => {
      const [first, ...rest] = wrapCell(`${h || `column ${k + 1}`}: ${r[k]}`, width);
      out.push({ text: first, role: 'row' });
      for (const l of wrapCell(rest.join(' '), Math.max(1, width - 2))) if (l) out.push({ text: `  ${l}`, role: 'row' });
    });
  });
  if (!t.rows.length) for (const text of wrapCell(t.header.join(' · '), width)) out.push({ text, role: 'header' });
  return out;
}

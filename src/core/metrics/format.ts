// The comparison as a plain-text table (CLI, report). The TUI draws its own coloured table from
// the same rows; these helpers keep the cell texts identical between the two.
import type { Comparison, ComparisonRow } from './compare.js';
import { sparkline } from './sparkline.js';
import { fmtNum, fmtPct } from './verdict.js';

export function fmtValue(v: number | null, unit?: string): string {
  if (v === null) return 'no data';
  return unit ? `${fmtNum(v)} ${unit}` : fmtNum(v);
}

export function fmtChange(row: ComparisonRow): { abs: string; pct: string } {
  if (!row.change) return { abs: '—', pct: '—' };
  const a = row.change.abs;
  const abs = `${a > 0 ? '+' : ''}${fmtNum(a)}`;
  return { abs, pct: row.change.rel === null ? 'n/a' : fmtPct(row.change.rel) };
}

/** Baseline samples, a gap, then after samples: the shape of the change at a glance. */
export function rowSparkline(row: ComparisonRow): string {
  const { baseline, after } = row.samples;
  if (!baseline.length && !after.length) return '';
  return sparkline([...baseline, null, ...after]).trim();
}

const HEAD = ['probe', 'baseline', 'after', 'change', '%', 'verdict', 'status', 'samples', 'rule'];

export function comparisonCells(row: ComparisonRow): string[] {
  const ch = fmtChange(row);
  return [
    row.id + (row.critical ? '*' : ''),
    fmtValue(row.baseline, row.unit),
    fmtValue(row.after, row.unit),
    ch.abs,
    ch.pct,
    row.verdict ?? '—',
    row.status,
    rowSparkline(row),
    row.rule,
  ];
}

/** Columns counted in code points: the table is plain text, for logs and the detail pane alike. */
const len = (s: string): number => Array.from(s).length;

export function formatTable(head: string[], body: string[][]): string {
  const widths = head.map((h, i) => Math.max(len(h), ...body.map((r) => len(r[i] ?? ''))));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat(widths[i] - len(c))))
      .join('  ')
      .trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n') + '\n';
}

export function formatComparison(c: Comparison): string {
  const title = `${c.baseline.label} (${c.baseline.taken_at}) → ${c.after.label} (${c.after.taken_at})\n`;
  const table = formatTable(HEAD, c.rows.map(comparisonCells));
  const crit = c.rows.some((r) => r.critical) ? '* critical probe: no data fails the comparison\n' : '';
  return `${title}${table}${crit}overall: ${c.overall.toUpperCase()}\n`;
}

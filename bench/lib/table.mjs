// The results table: one row per figure, Markdown so it can be pasted into the README as is.

/** Rounds for display: ms and bytes as integers above 100, one decimal below. */
export function fmt(x, unit = '') {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  const v = Math.abs(x) >= 100 ? Math.round(x).toString() : (Math.round(x * 10) / 10).toFixed(1);
  return unit ? `${v} ${unit}` : v;
}

/**
 * row: { figure, unit, stat: {median,min,max}, baseline?: {label, value}, ratio?: number,
 *        target?: string, met?: boolean | null }
 */
export function markdownTable(rows) {
  const head = ['figure', 'median', 'min – max', 'baseline (same run)', 'ratio', 'target', 'met'];
  const body = rows.map((r) => [
    r.figure,
    fmt(r.stat.median, r.unit),
    `${fmt(r.stat.min)} – ${fmt(r.stat.max)}`,
    r.baseline ? `${r.baseline.label} ${fmt(r.baseline.value, r.baseline.unit ?? r.unit)}` : '—',
    r.ratio === undefined ? '—' : `${fmt(r.ratio)}×`,
    r.target ?? '',
    r.met === undefined || r.met === null ? '' : r.met ? '**met**' : '**missed**',
  ]);
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...body.map(line)].join('\n');
}

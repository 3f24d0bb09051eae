// Metric comparisons as the report shows them: the `comparison` events grouped by the compare
// item that made them (a watch makes one per capture), each probe's baseline, final value, change
// and the values seen over time. Rows come from the signed JSON as `unknown`: anything missing or
// oddly shaped becomes "no data", never a crash and never raw JSON in a table.
import type { DeploymentReportPredicate } from './predicate.js';
import { fmtSigned, fmtSignedPct, withUnit } from './units.js';
import { safeLine } from '../safe-text.js';

export type ProbeStatus = 'pass' | 'warn' | 'fail' | 'nodata';

export interface MetricRow {
  id: string;
  title: string;
  unit: string | null;
  critical: boolean;
  baseline: number | null;
  after: number | null;
  /** "−24 ms (−13.6%)", or "–" without data. */
  change: string;
  relChange: number | null;
  verdict: string | null;
  status: ProbeStatus;
  /** The rule that decided, in the engine's words (sanitised). */
  rule: string;
  /** "Latency p95 176 ms → 152 ms (−13.6%, better) PASS" without the title. */
  result: string;
  /** The final value at each comparison of the group, in order (watch samples over time). */
  series: { ts: string; value: number | null }[];
  samples: { baseline: number[]; after: number[] };
}

export interface ComparisonGroup {
  /** Compare item id, or null for a comparison no item made. */
  item: string | null;
  baseline: string;
  label: string;
  /** Worst status over the group's comparisons. */
  status: 'pass' | 'warn' | 'fail';
  count: number;
  first: string;
  last: string;
  rows: MetricRow[];
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? safeLine(v).trim() : null);
const nums = (v: unknown): number[] => (Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number' && Number.isFinite(x)) : []);
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const STATUSES: ProbeStatus[] = ['pass', 'warn', 'fail', 'nodata'];
const RANK = { pass: 0, warn: 1, fail: 2 } as const;

/** One row of a `comparison` event, whatever its shape (older reports used metric/current). */
function parseRow(raw: unknown, i: number): Omit<MetricRow, 'series'> {
  const r = isObj(raw) ? raw : {};
  const id = str(r.id) ?? str(r.metric) ?? `metric ${i + 1}`;
  const unit = str(r.unit);
  const baseline = num(r.baseline);
  const after = num(r.after) ?? num(r.current);
  const change = isObj(r.change) ? r.change : null;
  const abs = num(change?.abs) ?? (baseline !== null && after !== null ? after - baseline : null);
  const rel = change
    ? num(change.rel)
    : baseline !== null && after !== null && baseline !== 0
      ? (after - baseline) / Math.abs(baseline)
      : null;
  const status = STATUSES.includes(r.status as ProbeStatus) ? (r.status as ProbeStatus) : after === null ? 'nodata' : 'pass';
  const verdict = str(r.verdict);
  const changeText = abs === null ? '–' : rel === null ? fmtSigned(abs, unit) : `${fmtSigned(abs, unit)} (${fmtSignedPct(rel)})`;
  const why = [abs !== null ? fmtSigned(abs, unit) : null, rel !== null ? fmtSignedPct(rel) : null, verdict].filter(Boolean).join(', ');
  const result =
    status === 'nodata' && (baseline === null || after === null)
      ? `${withUnit(baseline, unit)} → ${withUnit(after, unit)} NO DATA`
      : `${withUnit(baseline, unit)} → ${withUnit(after, unit)}${why ? ` (${why})` : ''} ${status.toUpperCase()}`;
  const samples = isObj(r.samples) ? { baseline: nums(r.samples.baseline), after: nums(r.samples.after) } : { baseline: [], after: [] };
  return {
    id,
    title: str(r.title) ?? id,
    unit,
    critical: r.critical === true,
    baseline,
    after,
    change: changeText,
    relChange: rel,
    verdict,
    status,
    rule: str(r.rule) ?? '–',
    result,
    samples,
  };
}

/** Groups comparisons by compare item (or baseline+label), in order of first appearance. */
export function groupComparisons(comparisons: DeploymentReportPredicate['comparisons']): ComparisonGroup[] {
  const groups = new Map<string, ComparisonGroup & { byId: Map<string, MetricRow> }>();
  for (const c of comparisons) {
    const key = c.item ? `item:${c.item}` : `label:${c.baseline}\u0000${c.label}`;
    const status = (['pass', 'warn', 'fail'] as const).includes(c.status as 'pass') ? (c.status as 'pass' | 'warn' | 'fail') : 'fail';
    let g = groups.get(key);
    if (!g) {
      g = {
        item: c.item,
        baseline: safeLine(c.baseline),
        label: safeLine(c.label),
        status,
        count: 0,
        first: c.ts,
        last: c.ts,
        rows: [],
        byId: new Map(),
      };
      groups.set(key, g);
    }
    g.count++;
    g.last = c.ts;
    if (RANK[status] > RANK[g.status]) g.status = status;
    const rows = Array.isArray(c.rows) ? c.rows : [];
    rows.forEach((raw, i) => {
      const row = parseRow(raw, i);
      const prev = g.byId.get(row.id);
      // The latest comparison's row is the one shown; earlier ones become the series.
      const series = [...(prev?.series ?? []), { ts: c.ts, value: row.after }];
      const merged: MetricRow = { ...row, series };
      if (prev) g.rows[g.rows.indexOf(prev)] = merged;
      else g.rows.push(merged);
      g.byId.set(row.id, merged);
    });
  }
  return [...groups.values()].map(({ byId: _byId, ...g }) => g);
}

/** "4 comparisons: 151–153 ms" for a watched probe; "" for a single comparison. */
export function seriesSummary(row: MetricRow): string {
  if (row.series.length < 2) return '';
  const vals = row.series.map((s) => s.value).filter((v): v is number => v !== null);
  const gaps = row.series.length - vals.length;
  if (!vals.length) return `${row.series.length} comparisons, no data`;
  const lo = Math.min(...vals);
  const hi = Math.max(...vals);
  const range = lo === hi ? withUnit(lo, row.unit) : `${withUnit(lo, row.unit)} to ${withUnit(hi, row.unit)}`;
  return `${row.series.length} comparisons: ${range}${gaps ? `, ${gaps} without data` : ''}`;
}

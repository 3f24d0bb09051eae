// What happened to one item, in words and units, for people: "HTTP 200 in 12 ms",
// "exit 0 in 0.4 s: now serving 1.5.0", "PASS: 6 of 6 metrics pass", "182 ms" — never "PASSED"
// alone and never the JSON detail.
import type { ReportItem } from './predicate.js';
import type { ComparisonGroup } from './comparisons.js';
import { fmtDuration, withUnit } from './units.js';
import { safeLine } from '../safe-text.js';
import { KINDS, knownKind, type ReportWording } from '../kinds.js';

const STATUS_WORDS: Record<string, string> = {
  pending: 'Not done',
  running: 'Running',
  passed: 'Passed',
  failed: 'FAILED',
  warn: 'Warning',
  ticked: 'Done',
  skipped: 'Skipped',
  recorded: 'Recorded',
  overridden: 'Accepted',
  'n/a': 'Not applicable',
  interrupted: 'Interrupted',
};

export function statusWord(status: string): string {
  return STATUS_WORDS[status] ?? safeLine(status);
}

/** The value an operator recorded, with its unit. */
export function recordedValue(i: Pick<ReportItem, 'value' | 'unit'>): string | null {
  if (i.value === null) return null;
  if (typeof i.value === 'number') return withUnit(i.value, i.unit);
  return safeLine(i.value) + (i.unit ? ` ${safeLine(i.unit)}` : '');
}

/** Last non-empty line of a command's output, short: the part of the output people quote. */
function lastLine(tail: unknown): string | null {
  if (typeof tail !== 'string') return null;
  const line = tail
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .pop();
  if (!line) return null;
  const s = safeLine(line).replace(/\s+/g, ' ');
  return s.length > 80 ? `${s.slice(0, 79)}…` : s;
}

function groupResult(g: ComparisonGroup): string {
  const counts = new Map<string, number>();
  for (const r of g.rows) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  const parts = ['pass', 'warn', 'fail', 'nodata']
    .filter((s) => counts.get(s))
    .map((s) => `${counts.get(s)} ${s === 'nodata' ? 'no data' : s}`);
  const over = g.count > 1 ? ` over ${g.count} comparisons` : '';
  return `${g.status.toUpperCase()}${over}: ${g.rows.length} metric${g.rows.length === 1 ? '' : 's'} (${parts.join(', ')})`;
}

/**
 * How the item's kind reports (its KINDS entry). A kind this version does not know, or an item
 * the checklist no longer lists (kind "unknown"), is read from the shape of what it left.
 */
function wordingOf(i: ReportItem, ctx: ResultContext): ReportWording {
  if (knownKind(i.kind)) return KINDS[i.kind].reports;
  const d = i.detail;
  return ctx.group ? 'comparison' : d?.http ? 'http' : typeof d?.exitCode === 'number' ? 'command' : 'summary';
}

/** The kind's own words for a result; null falls back to the executor's summary. */
function ownWords(w: ReportWording, d: ReportItem['detail'], ctx: ResultContext): string | null {
  switch (w) {
    case 'comparison':
      return ctx.group ? groupResult(ctx.group) : null;
    case 'http':
      if (!d?.http || typeof d.http.status !== 'number' || !d.ok) return null;
      return `HTTP ${d.http.status}${typeof d.http.latencyMs === 'number' ? ` in ${fmtDuration(d.http.latencyMs)}` : ''}`;
    case 'command': {
      if (!d || typeof d.exitCode !== 'number' || !d.ok) return null;
      const out = lastLine(d.stdout?.tail) ?? lastLine(d.stderr?.tail);
      return `exit ${d.exitCode} in ${fmtDuration(d.durationMs)}${out ? `: ${out}` : ''}`;
    }
    case 'summary':
    case 'operator':
      return null;
    default:
      return unworded(w);
  }
}

function unworded(w: never): never {
  throw new Error(`report: no wording for ${JSON.stringify(w)}`);
}

export interface ResultContext {
  /** The comparison group this compare item made, if any. */
  group?: ComparisonGroup;
  /** Who ticked/recorded/skipped it (the operator of the settling event). */
  by?: string;
  /** Who accepted it (the operator of its last override). */
  acceptedBy?: string;
}

/** The result column: what happened, in words and units. */
export function resultInWords(i: ReportItem, ctx: ResultContext = {}): string {
  const d = i.detail;
  const by = ctx.by ? ` by ${safeLine(ctx.by)}` : '';
  const parts: string[] = [];
  const own = ownWords(wordingOf(i, ctx), i.detail, ctx);
  if (own) parts.push(own);
  else if (d?.summary) {
    parts.push(safeLine(d.summary.replace(/ in (\d+)ms\b/, (_m, ms: string) => ` in ${fmtDuration(Number(ms))}`)));
  }
  if (d?.http && d.http.attempts > 1 && !/attempt/.test(parts.join(' '))) parts.push(`after ${d.http.attempts} attempts`);
  else if (i.attempts > 1) parts.push(`attempt ${i.attempts}`);
  switch (i.status) {
    case 'ticked':
      parts.unshift(`Ticked${by}`);
      break;
    case 'recorded':
      parts.unshift(`Recorded${by}: ${recordedValue(i) ?? '–'}`);
      break;
    case 'skipped':
      parts.unshift(`Skipped${by}: ${safeLine(i.reason ?? 'no reason given')}`);
      break;
    case 'overridden':
      parts.push(`accepted${ctx.acceptedBy ? ` by ${safeLine(ctx.acceptedBy)}` : by}: ${safeLine(i.reason ?? '')}`);
      break;
    case 'n/a':
      // Gated by an earlier choice answered otherwise (`when: {answer}`): never run, counted done.
      parts.unshift(`Not applicable: ${safeLine(i.reason ?? 'an earlier choice was answered otherwise')}`);
      break;
    case 'interrupted':
      if (!parts.length) parts.push('interrupted');
      break;
    case 'pending':
      if (i.resolution === 'rerun') parts.push(`to be run again: ${safeLine(i.reason ?? '')}`);
      break;
  }
  if (i.resolution && i.resolution !== 'rerun' && i.status !== 'overridden')
    parts.push(`marked ${i.resolution}${by}: ${safeLine(i.reason ?? '')}`);
  return parts.filter(Boolean).join('; ') || '–';
}

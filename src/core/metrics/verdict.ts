// The verdict arithmetic: given a probe's rules and its baseline/after values, decide
// better | similar | worse and pass | warn | fail | nodata, and say in words which rule decided.
// Pure and deterministic so operators (and tests) can redo every verdict by hand.
import type { Metric, Threshold } from '../model.js';

export type Verdict = 'better' | 'similar' | 'worse';
export type ProbeStatus = 'pass' | 'warn' | 'fail' | 'nodata';
export type OverallStatus = 'pass' | 'warn' | 'fail';

/** The judgement part of a Metric: everything the verdict needs, nothing about where data comes from. */
export type ProbeRules = Pick<Metric, 'unit' | 'better' | 'tolerance' | 'noise_floor' | 'warn' | 'fail' | 'max' | 'min' | 'critical'>;

export interface Change {
  /** after − baseline, in the metric's unit. */
  abs: number;
  /** (after − baseline) / |baseline|; null when the baseline is 0 (undefined relative change). */
  rel: number | null;
}

export interface ProbeJudgement {
  /** null when either side has no data. */
  verdict: Verdict | null;
  status: ProbeStatus;
  change: Change | null;
  /** The rule that decided, in words an operator can check by hand. */
  rule: string;
}

// Float noise must not flip a verdict that is exact by hand: 105 vs 100 with 5% tolerance is
// "within", and +10.000000000000002% is not "more than +10%".
const EPS = 1e-9;
const exceeds = (a: number, limit: number): boolean => a > limit + EPS * Math.max(1, Math.abs(limit));

export function fmtNum(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const r = Math.round(n * 1000) / 1000;
  return Object.is(r, -0) ? '0' : String(r);
}

export function fmtPct(fraction: number): string {
  const p = Math.round(fraction * 1000) / 10;
  return `${p > 0 ? '+' : ''}${Object.is(p, -0) ? 0 : p}%`;
}

function fmtThreshold(t: Threshold, unit?: string): string {
  const v = Math.abs(t.value);
  return t.relative ? `${v}%` : `${fmtNum(v)}${unit ? ' ' + unit : ''}`;
}

function boundsViolation(after: number, r: ProbeRules): string | null {
  const u = r.unit ? ' ' + r.unit : '';
  if (r.max !== undefined && exceeds(after, r.max)) return `after ${fmtNum(after)}${u} > max ${fmtNum(r.max)}${u}`;
  if (r.min !== undefined && exceeds(-after, -r.min)) return `after ${fmtNum(after)}${u} < min ${fmtNum(r.min)}${u}`;
  return null;
}

export function computeChange(baseline: number, after: number): Change {
  const abs = after - baseline;
  return { abs, rel: baseline === 0 ? null : abs / Math.abs(baseline) };
}

/**
 * Judge one probe. Order (see docs/metrics.md):
 * 1. no data on either side → nodata (a bound already broken by `after` still fails);
 * 2. `max`/`min` broken by `after` → fail, whatever the change;
 * 3. |change| ≤ noise_floor or |relative change| ≤ tolerance → similar, pass;
 * 4. `better: none` → similar (no direction is worse), pass;
 * 5. change in the good direction → better, pass;
 * 6. worse: beyond `fail` → fail; beyond `warn` → warn; else pass. Without a `warn` threshold any
 *    worse change warns. Relative thresholds need a non-zero baseline; with a 0 baseline they are
 *    not applied and the rule says so.
 */
export function judgeProbe(r: ProbeRules, baseline: number | null, after: number | null): ProbeJudgement {
  const u = r.unit ? ' ' + r.unit : '';
  if (baseline === null || after === null) {
    const bound = after !== null ? boundsViolation(after, r) : null;
    const missing =
      baseline === null && after === null ? 'no data in baseline or after' : baseline === null ? 'no data in baseline' : 'no data after';
    if (bound) return { verdict: null, status: 'fail', change: null, rule: `${bound} (${missing})` };
    return { verdict: null, status: 'nodata', change: null, rule: `${missing}${r.critical ? ' (critical probe)' : ''}` };
  }

  const change = computeChange(baseline, after);
  const zeroNote = change.rel === null ? 'baseline 0: relative change undefined, judged by absolute rules; ' : '';
  const verdict = directionOf(r, change);
  const bound = boundsViolation(after, r);
  if (bound) return { verdict, status: 'fail', change, rule: zeroNote + bound };

  const absChange = Math.abs(change.abs);
  if (absChange === 0) return { verdict: 'similar', status: 'pass', change, rule: zeroNote + 'no change' };
  if (r.noise_floor > 0 && !exceeds(absChange, r.noise_floor)) {
    const rule = `|change| ${fmtNum(absChange)}${u} ≤ noise floor ${fmtNum(r.noise_floor)}${u}`;
    return { verdict: 'similar', status: 'pass', change, rule: zeroNote + rule };
  }
  if (change.rel !== null && !exceeds(Math.abs(change.rel), r.tolerance)) {
    return {
      verdict: 'similar',
      status: 'pass',
      change,
      rule: `${fmtPct(change.rel)} within tolerance ±${fmtPct(r.tolerance).replace('+', '')}`,
    };
  }
  if (r.better === 'none') {
    const what = change.rel === null ? `${fmtNum(change.abs)}${u}` : fmtPct(change.rel);
    return { verdict: 'similar', status: 'pass', change, rule: `${zeroNote}better: none, change ${what} not judged; bounds respected` };
  }
  if (verdict === 'better') {
    const what = change.rel === null ? `${fmtSigned(change.abs)}${u}` : fmtPct(change.rel);
    return { verdict, status: 'pass', change, rule: `${zeroNote}${what} is better (${r.better} is better)` };
  }
  return judgeWorse(r, change, zeroNote);
}

function fmtSigned(n: number): string {
  return `${n > 0 ? '+' : ''}${fmtNum(n)}`;
}

function directionOf(r: ProbeRules, c: Change): Verdict {
  if (r.better === 'none' || c.abs === 0) return 'similar';
  const improved = r.better === 'lower' ? c.abs < 0 : c.abs > 0;
  return improved ? 'better' : 'worse';
}

function judgeWorse(r: ProbeRules, change: Change, zeroNote: string): ProbeJudgement {
  const u = r.unit ? ' ' + r.unit : '';
  const worseAbs = Math.abs(change.abs);
  const worseRel = change.rel === null ? null : Math.abs(change.rel) * 100;
  const desc = change.rel === null ? `${fmtSigned(change.abs)}${u}` : `${fmtPct(change.rel)} (${fmtSigned(change.abs)}${u})`;
  const amount = (t: Threshold): number | null => (t.relative ? worseRel : worseAbs);
  const skipped: string[] = [];
  const check = (name: 'fail' | 'warn'): boolean => {
    const t = r[name];
    if (!t) return false;
    const a = amount(t);
    if (a === null) {
      skipped.push(`${name} ${fmtThreshold(t, r.unit)} not applied`);
      return false;
    }
    return exceeds(a, Math.abs(t.value));
  };
  const base = { verdict: 'worse' as const, change };
  if (r.fail && check('fail'))
    return { ...base, status: 'fail', rule: `${zeroNote}worse by ${desc} > fail ${fmtThreshold(r.fail, r.unit)}` };
  if (r.warn && check('warn'))
    return { ...base, status: 'warn', rule: `${zeroNote}worse by ${desc} > warn ${fmtThreshold(r.warn, r.unit)}` };
  const note = skipped.length ? ` (${skipped.join(', ')})` : '';
  // A warn threshold that was applied and not crossed declares this much worse acceptable.
  if (r.warn !== undefined && amount(r.warn) !== null)
    return { ...base, status: 'pass', rule: `${zeroNote}worse by ${desc}, within warn ${fmtThreshold(r.warn, r.unit)}` };
  return { ...base, status: 'warn', rule: `${zeroNote}worse by ${desc}, no applicable warn threshold${note}` };
}

/**
 * Overall status: fail if any probe fails or a critical probe has no data; warn if any probe
 * warns or a non-critical probe has no data (a metric that vanished after a deploy is news);
 * else pass.
 */
export function overallStatus(rows: { status: ProbeStatus; critical: boolean }[]): OverallStatus {
  if (rows.some((r) => r.status === 'fail' || (r.status === 'nodata' && r.critical))) return 'fail';
  if (rows.some((r) => r.status === 'warn' || r.status === 'nodata')) return 'warn';
  return 'pass';
}

// Compare two snapshots probe by probe. The result is plain JSON so it can go straight into a
// `comparison` run event, the report, `snapshot diff --json` and the TUI table.
import type { Metric } from '../model.js';
import { rulesOf, sampleValues, type ProbeSnapshot, type Snapshot } from './snapshot.js';
import { judgeProbe, overallStatus, type Change, type OverallStatus, type ProbeRules, type ProbeStatus, type Verdict } from './verdict.js';

export interface ComparisonRow {
  id: string;
  title: string;
  unit?: string;
  critical: boolean;
  baseline: number | null;
  after: number | null;
  change: Change | null;
  verdict: Verdict | null;
  status: ProbeStatus;
  rule: string;
  /** Successful sample values, for sparklines. */
  samples: { baseline: number[]; after: number[] };
}

export interface Comparison {
  baseline: { label: string; taken_at: string };
  after: { label: string; taken_at: string };
  rows: ComparisonRow[];
  overall: OverallStatus;
}

export interface CompareOptions {
  /** Judge with these rules (the current checklist) instead of the rules stored in the snapshots. */
  metrics?: Metric[];
  /** Only these probe ids (a compare item's `metrics:` list). */
  ids?: string[];
}

/**
 * Rows follow the "after" snapshot's probe order, then probes only the baseline has. A probe
 * missing from one side is a no-data row, never a zero.
 */
export function compareSnapshots(baseline: Snapshot, after: Snapshot, opts: CompareOptions = {}): Comparison {
  const bById = new Map(baseline.probes.map((p) => [p.id, p]));
  const aById = new Map(after.probes.map((p) => [p.id, p]));
  const metricById = new Map((opts.metrics ?? []).map((m) => [m.id, m]));
  let ids = [...after.probes.map((p) => p.id), ...baseline.probes.map((p) => p.id).filter((id) => !aById.has(id))];
  if (opts.ids) {
    // Keep the caller's order and include ids absent from both snapshots: a requested probe
    // that was never captured is exactly the no-data case the operator must see.
    ids = [...opts.ids];
  }
  const rows = ids.map((id) => compareProbe(id, bById.get(id), aById.get(id), metricById.get(id)));
  return {
    baseline: { label: baseline.label, taken_at: baseline.taken_at },
    after: { label: after.label, taken_at: after.taken_at },
    rows,
    overall: overallStatus(rows),
  };
}

function compareProbe(id: string, b: ProbeSnapshot | undefined, a: ProbeSnapshot | undefined, m: Metric | undefined): ComparisonRow {
  const rules: ProbeRules = m ? rulesOf(m) : ((a ?? b)?.rules ?? { better: 'none', tolerance: 0, noise_floor: 0, critical: false });
  const j = judgeProbe(rules, b?.value ?? null, a?.value ?? null);
  let rule = j.rule;
  if (!b || !a) {
    const where = !b && !a ? 'in neither snapshot' : !b ? 'not in the baseline snapshot' : 'not in the after snapshot';
    if (j.status === 'nodata') rule = `probe ${where}${rules.critical ? ' (critical probe)' : ''}`;
  } else if (j.status === 'nodata') {
    const why = a.value === null ? a.error : b.error;
    if (why) rule = `${j.rule}: ${why}`;
  }
  const row: ComparisonRow = {
    id,
    title: m?.title ?? a?.title ?? b?.title ?? id,
    critical: rules.critical,
    baseline: b?.value ?? null,
    after: a?.value ?? null,
    change: j.change,
    verdict: j.verdict,
    status: j.status,
    rule,
    samples: { baseline: b ? sampleValues(b.samples) : [], after: a ? sampleValues(a.samples) : [] },
  };
  const unit = rules.unit ?? a?.unit ?? b?.unit;
  if (unit !== undefined) row.unit = unit;
  return row;
}

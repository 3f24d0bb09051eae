// Snapshot: the stored result of capturing every metric probe once (N samples each).
// A snapshot carries each probe's judgement rules and a fingerprint of what it measured, so
// `snapshot diff` can judge two files without the checklist and refuse apples-to-oranges diffs.
import type { Metric, MetricSource } from '../model.js';
import { canonicalJson, sha256Hex } from '../events.js';
import type { ProbeRules } from './verdict.js';

export const SNAPSHOT_SCHEMA = 'runsheet.snapshot/v1';

/** One reading. `nodata` marks "the source answered, but had no number" (empty, NaN, ±Inf). */
export type Sample = { t: string; value: number } | { t: string; error: string; nodata?: boolean };

export interface ProbeSnapshot {
  id: string;
  title: string;
  unit?: string;
  source: MetricSource['kind'];
  /** sha256 of what is measured (see probeFingerprint). */
  fingerprint: string;
  rules: ProbeRules;
  samples: Sample[];
  /** Median of the successful samples; null when there were none (no data, never 0). */
  value: number | null;
  min: number | null;
  max: number | null;
  /** Why value is null (the last sample error), for tables and events. */
  error?: string;
}

export interface Snapshot {
  schema: typeof SNAPSHOT_SCHEMA;
  label: string;
  run_id: string | null;
  checklist: string;
  environment: string | null;
  taken_at: string;
  /** Set when capture was cancelled before every sample was taken. */
  cancelled?: boolean;
  probes: ProbeSnapshot[];
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export function sampleValues(samples: Sample[]): number[] {
  return samples.flatMap((s) => ('value' in s ? [s.value] : []));
}

export function rulesOf(m: Metric): ProbeRules {
  const r: ProbeRules = { better: m.better, tolerance: m.tolerance, noise_floor: m.noise_floor, critical: m.critical };
  if (m.unit !== undefined) r.unit = m.unit;
  if (m.warn) r.warn = { ...m.warn };
  if (m.fail) r.fail = { ...m.fail };
  if (m.max !== undefined) r.max = m.max;
  if (m.min !== undefined) r.min = m.min;
  return r;
}

/**
 * What a probe measures, not where its server lives: the query, the URL path and JSON path, the
 * command, and the unit. A baseline taken through an SSH tunnel (localhost:9090) and an "after"
 * taken directly still match; a changed query does not.
 */
export function probeFingerprint(m: Pick<Metric, 'source' | 'unit'>): string {
  const s = m.source;
  let what: unknown;
  switch (s.kind) {
    case 'prometheus':
      what = { kind: s.kind, query: s.query };
      break;
    case 'http':
      what = { kind: s.kind, path: urlPath(s.url), json: s.json };
      break;
    case 'command':
      what = { kind: s.kind, command: s.command };
      break;
    case 'manual':
      what = { kind: s.kind };
      break;
  }
  return sha256Hex(canonicalJson({ what, unit: m.unit ?? null }));
}

function urlPath(url: string): string {
  try {
    const u = new URL(url);
    return u.pathname + u.search;
  } catch {
    return url;
  }
}

/** Build a probe's snapshot entry from its samples. */
export function probeSnapshot(m: Metric, samples: Sample[]): ProbeSnapshot {
  const values = sampleValues(samples);
  const p: ProbeSnapshot = {
    id: m.id,
    title: m.title,
    source: m.source.kind,
    fingerprint: probeFingerprint(m),
    rules: rulesOf(m),
    samples,
    value: median(values),
    min: values.length ? Math.min(...values) : null,
    max: values.length ? Math.max(...values) : null,
  };
  if (m.unit !== undefined) p.unit = m.unit;
  if (p.value === null) {
    const errs = samples.filter((s): s is Extract<Sample, { error: string }> => 'error' in s);
    p.error = errs.length ? errs[errs.length - 1].error : 'no samples taken';
  }
  return p;
}

/** Probe ids whose definitions differ between two snapshots (only probes present in both). */
export function definitionMismatches(a: Snapshot, b: Snapshot): string[] {
  const bById = new Map(b.probes.map((p) => [p.id, p]));
  return a.probes
    .filter((p) => {
      const other = bById.get(p.id);
      return other !== undefined && other.fingerprint !== p.fingerprint;
    })
    .map((p) => p.id);
}

/** Probe ids in a snapshot whose definitions differ from the checklist's metrics. */
export function checklistMismatches(s: Snapshot, metrics: Metric[]): string[] {
  const byId = new Map(metrics.map((m) => [m.id, m]));
  return s.probes
    .filter((p) => {
      const metric = byId.get(p.id);
      return metric !== undefined && probeFingerprint(metric) !== p.fingerprint;
    })
    .map((p) => p.id);
}

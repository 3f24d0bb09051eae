// Summary counts of a report, computed the same way when building and when verifying, so a
// verifier can prove the headline numbers match the item list.
import type { ItemStatus } from '../state.js';
import { isDone } from '../state.js';

export interface ReportSummary {
  total: number;
  done: number;
  passed: number;
  failed: number;
  ticked: number;
  skipped: number;
  recorded: number;
  overridden: number;
  interrupted: number;
  running: number;
  pending: number;
}

export function summarize(items: { status: string }[]): ReportSummary {
  const s: ReportSummary = {
    total: 0,
    done: 0,
    passed: 0,
    failed: 0,
    ticked: 0,
    skipped: 0,
    recorded: 0,
    overridden: 0,
    interrupted: 0,
    running: 0,
    pending: 0,
  };
  for (const it of items) {
    s.total++;
    const st = it.status as ItemStatus;
    if (isDone(st)) s.done++;
    if (st in s && st !== ('total' as string) && st !== ('done' as string)) (s as unknown as Record<string, number>)[st]++;
  }
  return s;
}

/** Field-by-field difference, first one only; null when equal. */
export function summaryMismatch(claimed: unknown, actual: ReportSummary): string | null {
  if (!claimed || typeof claimed !== 'object') return 'summary is missing';
  const c = claimed as Record<string, unknown>;
  for (const [k, v] of Object.entries(actual)) {
    if (c[k] !== v) return `summary ${k} is ${JSON.stringify(c[k])} but the items give ${v}`;
  }
  return null;
}

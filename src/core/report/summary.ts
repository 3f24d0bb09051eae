// Summary counts of a report, computed the same way when building and when verifying, so a
// verifier can prove the headline numbers match the item list.
import { countStates } from '../progress.js';

/** The signed summary's fields (docs/report-format.md); its counts come from progress.ts's countStates. */
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
  const c = countStates(items);
  // Warned and n/a items count in the total only (and n/a in done), as reports always have; a
  // report has no "waiting" (that is derived on screen), so its pending is every unstarted item.
  return {
    total: c.total,
    done: c.done,
    passed: c.passed,
    failed: c.failed,
    ticked: c.ticked,
    skipped: c.skipped,
    recorded: c.recorded,
    overridden: c.overridden,
    interrupted: c.interrupted,
    running: c.running,
    pending: c.pending + c.waiting,
  };
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

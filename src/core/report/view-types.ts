// The shape of the report as people read it (see view.ts, which builds it): every text already
// sanitised, not yet escaped for Markdown or HTML.
import type { ComparisonGroup } from './comparisons.js';

export interface ReportSigner {
  keyid: string;
  name?: string;
}

export interface ReportRenderOptions {
  /** hex sha256 of the signed payload (the statement). */
  reportSha256: string;
  signers: ReportSigner[];
  /** Where the signed JSON envelope was written, for the verify hint; omitted when unknown. */
  envelopePath?: string;
  /** hex sha256 of the envelope file's bytes, as written beside this report. */
  envelopeSha256?: string;
  /** Per metric id, the rules from the run's checklist (for tolerance bands in charts). */
  rules?: Record<string, MetricRules>;
  /**
   * The checklist's reference sections (contacts, command references…), secrets masked: reading
   * material the readable report appends as written (tables stay tables). Not signed: the
   * statement carries the checklist's digest, not its text.
   */
  reference?: { title: string; notes: string }[];
}

export interface MetricRules {
  better: 'higher' | 'lower' | 'none';
  tolerance: number;
  noise_floor: number;
  warn?: { value: number; relative: boolean };
  fail?: { value: number; relative: boolean };
  max?: number;
  min?: number;
}

export interface NoteView {
  ts: string;
  operator: string;
  text: string;
}

export interface ItemView {
  id: string;
  /** The title, with the id only when another item has the same title. */
  label: string;
  status: string;
  statusWord: string;
  bad: boolean;
  startedAt: string | null;
  finishedAt: string | null;
  duration: string;
  durationMs: number | null;
  result: string;
  notes: NoteView[];
  values: string[];
  overridden: boolean;
  critical: boolean;
}

export interface PhaseView {
  id: string;
  title: string;
  rollback: boolean;
  startedAt: string | null;
  finishedAt: string | null;
  duration: string;
  progress: string;
  /** "2026-… UTC → 2026-… UTC (4 min 00 s)" or "not started". */
  span: string;
  /** A rollback track the run never took: shown as one line, not a table of "Not done". */
  unused: boolean;
  items: ItemView[];
}

export interface OverrideView {
  ts: string;
  kind: string;
  what: string;
  operator: string;
  reason: string;
}

export interface SignoffRow {
  phase: string;
  role: string;
  name: string | null;
  ts: string | null;
  /** The signer's session (user@host), when the run's events say who appended them. */
  from?: string;
}

export interface HandoverRow {
  ts: string;
  from: string;
  to: string;
  host: string;
  note?: string;
}

export interface ComparisonView extends ComparisonGroup {
  /** "Metrics compared with the baseline (after-release vs baseline)". */
  heading: string;
}

export interface ReportView {
  /** The checklist's reference sections, escaped (safeLine title, safeText notes), Markdown as written. */
  reference: { title: string; notes: string }[];
  title: string;
  runId: string;
  finished: boolean;
  /** "NOT FINISHED — status active; this is not a final report", or null. */
  banner: string | null;
  outcome: string;
  facts: [string, string][];
  startedAt: string;
  endedAt: string | null;
  rollback: { startedAt: string; reason: string } | null;
  overrides: OverrideView[];
  summary: string;
  phases: PhaseView[];
  orphans: ItemView[];
  comparisons: ComparisonView[];
  signoffs: SignoffRow[];
  handovers: HandoverRow[];
  notes: NoteView[];
  snapshots: { label: string; file: string; sha256: string; nodata: string }[];
  verify: { reportSha256: string; envelopePath: string | null; envelopeSha256: string | null; signers: string[]; signed: boolean };
  rules: Record<string, MetricRules>;
  tool: string;
}

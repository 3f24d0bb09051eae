// The runsheet deployment-report predicate (in-toto Statement v1 predicate). Field names are
// snake_case like the in-toto predicates auditors already read. docs/report-format.md documents
// every field; bump PREDICATE_TYPE's version when a field changes meaning.
import type { ItemResult, OverrideKind, RunEvent } from '../events.js';
import type { ReportSummary } from './summary.js';

export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const PREDICATE_TYPE = 'https://runsheet.dev/deployment-report/v1';

export interface Subject {
  name: string;
  digest: { sha256: string };
}

export interface ReportItem {
  id: string;
  /** null for an item that has events but is no longer in the checklist. */
  phase: string | null;
  section: string | null;
  title: string;
  kind: string;
  critical: boolean;
  status: string;
  /** One-line result ("exit 0", "HTTP 503 (expected 200)"), null when nothing ran. */
  result: string | null;
  detail: ItemResult | null;
  attempts: number;
  started_at: string | null;
  finished_at: string | null;
  value: string | number | null;
  unit: string | null;
  reason: string | null;
  resolution: string | null;
  notes: string[];
  /** Only for items gated by `when: {answer}`: the choice and the answers it applies for (status n/a otherwise). */
  applies_when?: { item: string; is: string[] };
}

export interface ReportPhase {
  id: string;
  title: string;
  rollback: boolean;
  items: number;
  done: number;
  failed: number;
  started_at: string | null;
  finished_at: string | null;
  duration_ms: number | null;
  signoff_required: string[];
}

export interface DeploymentReportPredicate {
  run_id: string;
  checklist: { title: string; version: number; file: string; sha256: string };
  environment: string | null;
  operator: string;
  host: string;
  /** Everyone who appended an event, in first-seen order. */
  operators: string[];
  started_at: string;
  finished_at: string | null;
  status: string;
  outcome: string | null;
  track: string;
  phases: ReportPhase[];
  items: ReportItem[];
  notes: { ts: string; operator: string; text: string }[];
  overrides: { seq: number; ts: string; kind: OverrideKind; item: string | null; phase: string | null; reason: string; operator: string }[];
  records: { seq: number; ts: string; item: string; value: string | number; unit: string | null; operator: string }[];
  /** `from`: the signer's session, user@host (runs whose events say who appended them). */
  signoffs: { phase: string; name: string; role: string; ts: string; from?: string }[];
  /** runsheet handover: the run went on in another operator's session. */
  handovers?: { ts: string; from: string; to: string; host: string; note?: string }[];
  snapshots: { label: string; item: string | null; file: string; sha256: string; nodata: string[] }[];
  comparisons: { item: string | null; baseline: string; label: string; status: string; rows: unknown[]; ts: string }[];
  rollback: { started_at: string; reason: string } | null;
  summary: ReportSummary;
  events: RunEvent[];
  events_head: string;
  /**
   * Events whose text had a secret value replaced by "***" (src/core/redact.ts) while building
   * the report, with the hash of the original event, so the chain stays checkable without
   * revealing the secret.
   */
  events_redacted: { seq: number; sha256: string }[];
  tool: { name: string; version: string };
}

export interface Statement {
  _type: typeof STATEMENT_TYPE;
  subject: Subject[];
  predicateType: typeof PREDICATE_TYPE;
  predicate: DeploymentReportPredicate;
}

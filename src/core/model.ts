// The normalized checklist model: what every part of runsheet works with after loading.
// The YAML shape (src/core/schema.ts) is looser (optional ids, sections-or-items); loading
// resolves it into this form so nothing downstream has to handle both.

/** Source position of a node in the checklist file, 1-based. */
export interface Pos {
  line: number;
  col: number;
}

// What an item does (the Action union) and what each kind means live in kinds.ts, declared once.
export type { Action, ActionKind, HttpSpec, RecordKind, RunExpect, WatchSpec } from './kinds.js';
import type { Action } from './kinds.js';

export interface Item {
  /** Unique across the whole checklist (main phases and rollback track). */
  id: string;
  title: string;
  action: Action;
  notes?: string;
  docs?: string;
  critical: boolean;
  confirm: boolean;
  cwd?: string;
  env: Record<string, string>;
  shell?: string;
  /** `run` under bash: `set -o pipefail` (default true; other shells are left as they are). */
  pipefail: boolean;
  /** Milliseconds; null means no timeout. */
  timeoutMs: number | null;
  retries: number;
  retryDelayMs: number;
  on_disconnect: 'keep' | 'stop';
  /** env: kept only for these environments (decided at load). answer: see AnswerGate. */
  when?: { env?: string[]; answer?: AnswerGate };
  phaseId: string;
  sectionTitle?: string;
  /**
   * Vars declared without a value (`NAME:` in vars) that this item's command, request, env or
   * cwd uses and that no source gave: asked when it runs, then filled in (see fillItem).
   */
  needs?: string[];
}

/** Where a kept item uses a var declared without a value (for validate's notes). */
export interface UnsetUse {
  name: string;
  item: string;
  title: string;
  pos: Pos;
}

/**
 * `when: {answer: {item, is}}`: the item applies only once the earlier `record: choice` item was
 * answered with one of `is`; any other answer makes it "not applicable" (done, never run). Decided
 * during the run from the recorded value, so re-recording the choice changes it.
 */
export interface AnswerGate {
  item: string;
  is: string[];
  /** The choice item's title, for "answer <title> first" and "<title> is <value>". */
  title: string;
  /** The choice item's own gate, when the choice is itself gated. */
  parent?: AnswerGate;
}

/** Material kept for the operator to read (a runbook's appendix): never part of the run. */
export interface ReferenceSection {
  title: string;
  /** Markdown; may hold tables. */
  notes: string;
}

export interface Section {
  title?: string;
  items: Item[];
}

export interface Phase {
  id: string;
  title: string;
  signoff: string[];
  sections: Section[];
  /** true for the rollback track, which is a phase-like list the operator can switch to. */
  rollback?: boolean;
}

export type Better = 'lower' | 'higher' | 'none';

/** A threshold: relative ('+10%') or absolute ('+50') change in the "worse" direction. */
export interface Threshold {
  value: number;
  relative: boolean;
}

export type MetricSource =
  | { kind: 'prometheus'; url: string; query: string }
  | { kind: 'http'; url: string; json: string }
  | { kind: 'command'; command: string }
  | { kind: 'manual' };

export interface Metric {
  id: string;
  title: string;
  unit?: string;
  source: MetricSource;
  better: Better;
  /** Relative band (fraction, 0.05 = 5%) within which a change is "similar". */
  tolerance: number;
  /** Absolute band in the metric's unit within which a change is "similar". */
  noise_floor: number;
  warn?: Threshold;
  fail?: Threshold;
  max?: number;
  min?: number;
  critical: boolean;
}

export interface Environment {
  name: string;
  vars: Record<string, string>;
  confirm: boolean;
}

export interface Checklist {
  version: 1;
  title: string;
  description?: string;
  vars: Record<string, string>;
  environments: Record<string, Environment>;
  secrets: string[];
  metrics: Metric[];
  samples: number;
  intervalMs: number;
  phases: Phase[];
  rollback?: Phase;
  /** The environment this checklist was resolved for (null: none chosen). */
  env: string | null;
  /** Reading material (command references, contacts, …): shown, never run. */
  reference: ReferenceSection[];
  /** Items left out because their `when` does not match the chosen environment. */
  dropped: { id: string; title: string; reason: string }[];
  /** Kept items' uses of vars declared without a value that no source gave (none: absent or empty). */
  unset?: UnsetUse[];
}

/** Every item, main phases first then rollback, in document order. */
export function allItems(c: Checklist): Item[] {
  const phases = c.rollback ? [...c.phases, c.rollback] : c.phases;
  return phases.flatMap((p) => p.sections.flatMap((s) => s.items));
}

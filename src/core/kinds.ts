// What an item does: each action kind's shape, and everything the rest of runsheet asks about a
// kind, declared once in KINDS. The table is typed over the `Action` union, so a kind added to the
// union without an entry here does not compile (test/core/kinds-exhaustive.test.ts proves it).
// Adding a kind: docs/architecture.md "Adding an item kind".
import { formatDuration } from './duration.js';
import type { ACTION_KEYS } from './schema.js';

export type RecordKind = 'time' | 'text' | 'number' | 'choice';

export interface RunExpect {
  exit: number;
  stdout_contains?: string;
  stdout_matches?: string;
  stderr_matches?: string;
}

export interface HttpSpec {
  url: string;
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  headers?: Record<string, string>;
  body?: string;
  /** Expected status; undefined means any 2xx. */
  status?: number;
  /** Dotted key path → expected value. */
  json?: Record<string, unknown>;
  body_contains?: string;
  max_ms?: number;
}

export interface WatchSpec {
  everyMs: number;
  forMs: number;
}

/** What an item does. Exactly one per item; `manual` when the YAML names no action. */
export type Action =
  | { kind: 'manual' }
  | { kind: 'run'; command: string; expect: RunExpect; check: boolean }
  | { kind: 'http'; http: HttpSpec }
  | { kind: 'require_env'; names: string[] }
  | { kind: 'record'; record: RecordKind; unit?: string; options?: string[] }
  | { kind: 'snapshot'; label: string; metrics?: string[] }
  | { kind: 'compare'; baseline: string; label: string; metrics?: string[]; watch?: WatchSpec };

export type ActionKind = Action['kind'];

/** What Enter does to an item of the kind: runsheet runs it, or a person ticks it or records a value. */
export type Enter = 'run' | 'tick' | 'record';

/** What the operator is asked for, besides the gates (confirm, why-now), when Enter acts. */
export type Asks =
  /** Nothing: runsheet decides the outcome. */
  | { kind: 'nothing' }
  /** That it is done. */
  | { kind: 'tick' }
  | { kind: 'choice'; options: string[] }
  /** A typed value; `hint` says what is expected ("a number in ms"). */
  | { kind: 'value'; hint: string };

/**
 * How a settled item's result is put in words in reports (src/core/report/item-result.ts):
 * `command` "exit 0 in 400 ms: last line", `http` "HTTP 200 in 12 ms", `comparison` the metric
 * verdicts, `summary` the executor's one-line summary, `operator` who ticked or recorded it.
 */
export type ReportWording = 'command' | 'http' | 'comparison' | 'summary' | 'operator';

/** The item fields a description uses (structural, so this file needs nothing from model.ts). */
export interface ItemLike {
  action: Action;
  cwd?: string;
  retries: number;
  retryDelayMs: number;
}

// Methods (not function-valued properties) on purpose: they let a spec of one kind stand for a
// spec of the union (see specOf) without a cast; KINDS pairs each kind with its own spec.
export interface KindSpec<A extends Action> {
  /** Short label on the item's row and in `plan`: action, check, manual, record, snapshot, compare. */
  label(a: A): string;
  /** Read-only: safe to run in parallel (`a` runs all checks) and to re-run without asking. */
  check(a: A): boolean;
  /** What Enter does. `run` is also "runsheet decides the outcome" (isAutomated): `r` re-runs it. */
  enter: Enter;
  asks(a: A): Asks;
  /** Headless: what `--answers` must say for an item a person decides (null: runsheet runs it). */
  answer: string | null;
  /** The exact thing runsheet will do, after variable substitution (callers redact secrets). */
  describe(a: A, item: ItemLike): string;
  reports: ReportWording;
}

export type KindTable = { [K in ActionKind]: KindSpec<Extract<Action, { kind: K }>> };

const MANUAL_ANSWER = '"tick" or "skip: reason"';

export const KINDS: KindTable = {
  manual: {
    label: () => 'manual',
    check: () => false,
    enter: 'tick',
    asks: () => ({ kind: 'tick' }),
    answer: MANUAL_ANSWER,
    describe: () => 'manual: tick when done',
    reports: 'operator',
  },
  run: {
    label: (a) => (a.check ? 'check' : 'action'),
    check: (a) => a.check,
    enter: 'run',
    asks: () => ({ kind: 'nothing' }),
    answer: null,
    describe(a, item) {
      const exp = [
        a.expect.exit !== 0 ? `exit ${a.expect.exit}` : '',
        a.expect.stdout_contains ? `stdout contains ${JSON.stringify(a.expect.stdout_contains)}` : '',
        a.expect.stdout_matches ? `stdout ~ /${a.expect.stdout_matches}/` : '',
        a.expect.stderr_matches ? `stderr ~ /${a.expect.stderr_matches}/` : '',
      ].filter(Boolean);
      return `$ ${a.command}${exp.length ? `  [expect ${exp.join(', ')}]` : ''}${item.cwd ? `  (in ${item.cwd})` : ''}`;
    },
    reports: 'command',
  },
  http: {
    label: (a) => (readOnlyMethod(a.http) ? 'check' : 'action'),
    check: (a) => readOnlyMethod(a.http),
    enter: 'run',
    asks: () => ({ kind: 'nothing' }),
    answer: null,
    describe(a, item) {
      const h = a.http;
      const exp = [
        h.status ? `status ${h.status}` : 'status 2xx',
        ...Object.entries(h.json ?? {}).map(([k, v]) => `${k}=${JSON.stringify(v)}`),
        h.body_contains ? `body contains ${JSON.stringify(h.body_contains)}` : '',
        h.max_ms ? `≤ ${h.max_ms}ms` : '',
      ].filter(Boolean);
      return `${h.method} ${h.url}  [expect ${exp.join(', ')}]${item.retries ? `  (retries ${item.retries}, every ${formatDuration(item.retryDelayMs)})` : ''}`;
    },
    reports: 'http',
  },
  require_env: {
    label: () => 'check',
    check: () => true,
    enter: 'run',
    asks: () => ({ kind: 'nothing' }),
    answer: null,
    describe: (a) => `require env: ${a.names.join(', ')} (set, non-empty, not a placeholder)`,
    reports: 'summary',
  },
  record: {
    label: () => 'record',
    check: () => false,
    enter: 'record',
    asks: (a) =>
      a.record === 'choice' && a.options?.length ? { kind: 'choice', options: a.options } : { kind: 'value', hint: valueHint(a) },
    answer: '"record: VALUE"',
    describe: (a) => `record ${a.record}${a.unit ? ` (${a.unit})` : ''}${a.options ? `: ${a.options.join(' / ')}` : ''}`,
    reports: 'operator',
  },
  snapshot: {
    label: () => 'snapshot',
    check: () => false,
    enter: 'run',
    asks: () => ({ kind: 'nothing' }),
    answer: null,
    describe: (a) => `snapshot metrics as "${a.label}"${a.metrics ? `: ${a.metrics.join(', ')}` : ' (all metrics)'}`,
    reports: 'summary',
  },
  compare: {
    label: () => 'compare',
    check: () => false,
    enter: 'run',
    asks: () => ({ kind: 'nothing' }),
    answer: null,
    describe: (a) =>
      `compare "${a.label}" against "${a.baseline}"${a.metrics ? `: ${a.metrics.join(', ')}` : ''}${a.watch ? ` every ${formatDuration(a.watch.everyMs)} for ${formatDuration(a.watch.forMs)}` : ''}`,
    reports: 'comparison',
  },
};

// Every kind but manual is declared by its own YAML key (schema.ts ACTION_KEYS); a kind with no
// key could never be written in a checklist. `true` only type-checks when none is missing.
type KeylessKind = Exclude<Exclude<ActionKind, 'manual'>, (typeof ACTION_KEYS)[number]>;
export const EVERY_KIND_HAS_A_KEY: [KeylessKind] extends [never] ? true : KeylessKind = true;

function readOnlyMethod(h: HttpSpec): boolean {
  return h.method === 'GET' || h.method === 'HEAD';
}

function valueHint(a: Extract<Action, { kind: 'record' }>): string {
  if (a.record === 'time') return 'Enter for now, HH:MM or an ISO time';
  if (a.record === 'number') return `a number${a.unit ? ` in ${a.unit}` : ''}`;
  return 'text';
}

/** The spec of an action's kind, typed for that action. */
export function specOf<A extends Action>(a: A): KindSpec<A> {
  // KINDS[a.kind] is the spec of a's own kind; the union of specs is assignable because their
  // members are methods (bivariant in their parameter).
  const spec: KindSpec<Action> = KINDS[a.kind];
  return spec;
}

/** Items whose outcome runsheet decides (as opposed to the operator ticking or typing). */
export function isAutomated(item: { action: Action }): boolean {
  return specOf(item.action).enter === 'run';
}

/** Checks are read-only: safe to run in parallel and to re-run. */
export function isCheck(item: { action: Action }): boolean {
  return specOf(item.action).check(item.action);
}

export function enterOf(item: { action: Action }): Enter {
  return specOf(item.action).enter;
}

/** What Enter asks for besides the gates. */
export function asksOf(item: { action: Action }): Asks {
  return specOf(item.action).asks(item.action);
}

/** A kind named in a report (a string from a signed file, maybe one this version does not know). */
export function knownKind(kind: string): kind is ActionKind {
  return Object.hasOwn(KINDS, kind);
}

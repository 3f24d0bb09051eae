// Run events: the append-only, hash-chained record of everything that happened in a run.
// events.jsonl is the source of truth; state.json is a cache derived from it (see state.ts).
import { createHash } from 'node:crypto';
import canonicalizeModule from 'canonicalize';

export const GENESIS = '0'.repeat(64);

/** Command output as it enters events: the full log stays on disk beside the run. */
export interface OutputDigest {
  bytes: number;
  sha256: string;
  /** Last ≤ 4 KiB of output, secrets redacted. */
  tail: string;
  /** Log file name inside the run directory. */
  log?: string;
}

/** The outcome of running one automated item. Never thrown: failures are results. */
export interface ItemResult {
  ok: boolean;
  /** One line an operator can read: "exit 0", "HTTP 503 (expected 200)", "timed out after 60s". */
  summary: string;
  durationMs: number;
  exitCode?: number | null;
  signal?: string | null;
  timedOut?: boolean;
  stdout?: OutputDigest;
  stderr?: OutputDigest;
  http?: { status?: number; latencyMs?: number; bodyExcerpt?: string; attempts: number };
  missing?: string[];
  /** Metric comparison status for compare items: pass | warn | fail. */
  verdict?: 'pass' | 'warn' | 'fail';
  detail?: unknown;
  /** A command left running when runsheet stopped (on_disconnect: keep, or quit leaving it). */
  kept?: KeptProcess;
}

/**
 * Enough to find a kept command again: its pid, and the start time the kernel gives that pid
 * (/proc/PID/stat, in clock ticks since boot, with the boot's id), so a pid reused by another
 * process after it ended is not mistaken for it.
 */
export interface KeptProcess {
  pid: number;
  startTicks: number;
  bootId: string;
  /** File in the run's logs dir where the command's shell writes how it ended (if it can). */
  statusFile?: string;
}

export type EventBody =
  | {
      type: 'run.started';
      runId: string;
      checklist: { path: string; sha256: string; title: string };
      env: string | null;
      vars: Record<string, string>;
    }
  | { type: 'run.resumed'; checklistSha256: string; changed?: { added: string[]; removed: string[] } }
  | { type: 'run.interrupted'; reason: string; running: string[] }
  | { type: 'run.finished'; status: 'passed' | 'failed' | 'incomplete' }
  | { type: 'run.abandoned'; reason: string }
  | { type: 'log.truncated'; droppedBytes: number; reason: string }
  | { type: 'item.started'; item: string; attempt: number; command?: string; request?: string }
  | { type: 'item.passed'; item: string; result: ItemResult }
  | { type: 'item.failed'; item: string; result: ItemResult }
  | { type: 'item.warned'; item: string; result: ItemResult }
  | { type: 'item.interrupted'; item: string; result: ItemResult; left: 'running' | 'stopped' }
  | { type: 'item.resolved'; item: string; outcome: 'passed' | 'failed' | 'rerun'; reason: string }
  | { type: 'item.ticked'; item: string }
  | { type: 'item.unticked'; item: string }
  | { type: 'item.skipped'; item: string; reason: string }
  | { type: 'item.recorded'; item: string; value: string | number; unit?: string }
  | { type: 'note'; item?: string; text: string }
  | { type: 'override'; item?: string; phase?: string; kind: OverrideKind; reason: string }
  | { type: 'signoff'; phase: string; name: string; role: string }
  | { type: 'snapshot.taken'; item?: string; label: string; file: string; sha256: string; probes: number; nodata: string[] }
  | { type: 'comparison'; item?: string; baseline: string; label: string; status: 'pass' | 'warn' | 'fail'; rows: unknown[] }
  | { type: 'rollback.started'; reason: string }
  /** The run goes on in `to`'s session (runsheet handover); `from` is who handed it over. */
  | { type: 'handover'; from: string; to: string; note?: string }
  // A value given during the run for a var declared without one (never for a secret: not persisted).
  | { type: 'var.set'; name: string; value: string };

export type OverrideKind =
  'out-of-order' | 'signoff-with-failures' | 'signoff-incomplete' | 'warn-acknowledged' | 'failed-accepted' | 'checklist-changed';

export type EventType = EventBody['type'];

/**
 * Who appended an event (issue 17: several operators in one run): the operator's name, the OS user
 * and the host of the session. Optional — runs written before it have none and still verify; when
 * present it is part of the event, so the hash chain covers it like every other field.
 */
export interface EventBy {
  name: string;
  user: string;
  host: string;
}

export interface EventMeta {
  seq: number;
  /** UTC ISO-8601 with milliseconds. */
  ts: string;
  operator: string;
  host: string;
  /** hex sha256 of the previous event's canonical JSON; GENESIS for seq 1. */
  prev: string;
  by?: EventBy;
}

export type RunEvent = EventMeta & EventBody;

/** RFC 8785 canonical JSON. */
// canonicalize is CommonJS whose typings claim an ES default export; take whichever is callable.
type Serialize = (input: unknown) => string | undefined;
const canonicalize: Serialize = typeof canonicalizeModule === 'function' ? canonicalizeModule : canonicalizeModule.default;

export function canonicalJson(value: unknown): string {
  const s = canonicalize(value);
  if (s === undefined) throw new Error('value cannot be canonicalized');
  return s;
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function hashEvent(e: RunEvent): string {
  return sha256Hex(canonicalJson(e));
}

/** Problems with a chain (or its continuation `after` an event), first one first; empty when intact. */
export function checkChain(events: RunEvent[], after?: RunEvent): string[] {
  const problems: string[] = [];
  let prev = after ? hashEvent(after) : GENESIS;
  let lastTs = after?.ts ?? '';
  const first = (after?.seq ?? 0) + 1;
  events.forEach((e, i) => {
    if (e.seq !== first + i) problems.push(`event ${first + i}: seq is ${e.seq}, expected ${first + i}`);
    if (e.prev !== prev) problems.push(`event ${e.seq}: prev hash does not match event ${e.seq - 1}`);
    if (lastTs && e.ts < lastTs) problems.push(`event ${e.seq}: timestamp ${e.ts} goes backwards`);
    lastTs = e.ts;
    prev = hashEvent(e);
  });
  return problems;
}

export function chainHead(events: RunEvent[]): string {
  return events.length ? hashEvent(events[events.length - 1]) : GENESIS;
}

/** Builds the next event of a chain. Pure: the caller supplies the clock reading. */
export function makeEvent(
  prev: RunEvent | undefined,
  body: EventBody,
  meta: { ts: string; operator: string; host: string; by?: EventBy },
): RunEvent {
  return {
    seq: prev ? prev.seq + 1 : 1,
    ts: meta.ts,
    operator: meta.operator,
    host: meta.host,
    prev: prev ? hashEvent(prev) : GENESIS,
    ...(meta.by ? { by: meta.by } : {}),
    ...body,
  };
}

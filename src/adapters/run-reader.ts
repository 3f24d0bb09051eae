// Reads a finished (or in-progress) run for reporting: the hash-chained events are the truth;
// state.json is only a cache, so it is compared with the fold of the events and never trusted
// over them.
import { readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { RunEvent } from '../core/events.js';
import type { Checklist } from '../core/model.js';
import type { RunState } from '../core/state.js';
import { foldEvents } from '../core/state.js';
import { UserError } from '../core/errors.js';
import { sha256Hex } from '../core/events.js';
import { readEventLog } from './event-log.js';
import { loadChecklistFromText } from './checklist-file.js';

export interface RunData {
  runId: string;
  dir: string;
  events: RunEvent[];
  /** Fold of the events (state.json is only compared against it). */
  state: RunState;
  checklistText: string;
  /** sha256 of the checklist copy in the run directory. */
  checklistSha256: string;
  /** File name the run was started from (for the report subject). */
  checklistName: string;
  warnings: string[];
}

export async function readRun(home: string, runId: string): Promise<RunData> {
  // Run ids become paths: refuse anything that could leave runs/.
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(runId)) {
    throw new UserError(`"${runId}" is not a valid run id (letters, digits, ".", "_", "-"; see \`runsheet runs\`)`);
  }
  const dir = join(home, 'runs', runId);
  try {
    if (!(await stat(dir)).isDirectory()) throw new Error('not a directory');
  } catch {
    throw new UserError(`no run "${runId}" in ${join(home, 'runs')} (list runs with \`runsheet runs\`)`);
  }
  const log = await readEventLog(join(dir, 'events.jsonl'));
  if (log.events.length === 0) throw new UserError(`run "${runId}" has no events: there is nothing to report`);
  const warnings = [...log.warnings];
  const state = foldEvents(log.events);

  // Only compared, never used: a garbage or missing cache is a warning, not a failure.
  let cached: Partial<RunState> | null | 'corrupt' = null;
  try {
    const v = JSON.parse(await readFile(join(dir, 'state.json'), 'utf8')) as unknown;
    cached = v && typeof v === 'object' && !Array.isArray(v) ? v : 'corrupt';
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') cached = 'corrupt';
  }
  if (cached === 'corrupt') warnings.push('state.json is unreadable (corrupt); the report uses the events');
  else if (cached && cached.eventsHead !== state.eventsHead) {
    warnings.push(
      typeof cached.lastSeq === 'number' && cached.lastSeq > state.lastSeq
        ? `state.json records ${cached.lastSeq} events but events.jsonl holds ${state.lastSeq}: events may be missing from the log; the report uses the events`
        : 'state.json is behind events.jsonl; the report uses the events',
    );
  }

  let bytes: Buffer;
  try {
    bytes = await readFile(join(dir, 'checklist.yaml'));
  } catch {
    throw new UserError(`run "${runId}" has no checklist.yaml copy in ${dir}: the report needs the checklist the run used`);
  }
  // Hash the bytes, as the run did, so the subject digest matches `sha256sum checklist.yaml`.
  const checklistSha256 = sha256Hex(bytes);
  const checklistText = bytes.toString('utf8').replace(/^\uFEFF/, '');
  if (state.checklist.sha256 && state.checklist.sha256 !== checklistSha256) {
    warnings.push(
      `checklist.yaml in the run directory (sha256 ${checklistSha256.slice(0, 12)}) differs from the one the events record (${state.checklist.sha256.slice(0, 12)})`,
    );
  }
  return {
    runId,
    dir,
    events: log.events,
    state,
    checklistText,
    checklistSha256,
    checklistName: basename(state.checklist.path || 'checklist.yaml'),
    warnings,
  };
}

/** Loads the run's checklist copy the way the run did (same environment and variables). */
export function loadRunChecklist(run: RunData, processEnv: Record<string, string | undefined>): Checklist {
  const started = run.events.find((e) => e.type === 'run.started');
  const vars = started?.type === 'run.started' ? started.vars : {};
  return loadChecklistFromText(run.checklistText, join(run.dir, 'checklist.yaml'), { env: run.state.env, set: vars, processEnv }).checklist;
}

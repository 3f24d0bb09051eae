// Opening a run, shared by the TUI and headless mode: load the checklist, find an unfinished run
// to resume (or start fresh), take the run's lock, and assemble the engine with real adapters.
import { dirname, resolve as resolvePath, join } from 'node:path';
import { userInfo } from 'node:os';
import { existsSync } from 'node:fs';
import { loadChecklistFromText, sha256 } from '../adapters/checklist-file.js';
import { checklistSource } from './checklist-source.js';
import { newRunId, runDir } from '../adapters/run-store.js';
import { openBackend, type OpenRun, type RunBackend } from '../adapters/store.js';
import { keptStatus } from '../adapters/kept-process.js';
import type { RunState } from '../core/state.js';
import { createExecutor } from '../adapters/executor.js';
import { RunEngine } from '../core/engine.js';
import type { Checklist } from '../core/model.js';
import { progressLine, runProgress } from '../core/progress.js';
import { MASK, checklistSecrets, redact, redactDeep } from '../core/redact.js';
import { UserError } from '../core/errors.js';
import { secretArgvWarnings } from '../core/secret-argv.js';
import { checklistDiff } from './checklist-diff.js';
import { readVarOptions, refuseDeclaredSecretSets, type VarOptions } from './options.js';
import type { CliIo } from './io.js';

export interface SessionOptions extends VarOptions {
  file?: string;
  resumeId?: string;
  env?: string;
  operator?: string;
  fresh?: boolean;
  snapshots?: string;
  /** postgres://… keeps the run in that database (default: RUNSHEET_STORE, else local files). */
  store?: string;
}

export interface SessionPrompts {
  /** An unfinished run exists: resume it (default) or start fresh? */
  resumeOrFresh(run: {
    runId: string;
    startedAt: string;
    operator: string;
    /** "14/20 done, 1 failed" (progress.ts progressLine). */
    progress: string;
    keptRunning?: string[];
  }): Promise<'resume' | 'fresh'>;
  /** Environment with confirm: true — the operator must type its name. */
  confirmEnvironment(name: string): Promise<boolean>;
}

export interface Session {
  engine: RunEngine;
  store: OpenRun;
  backend: RunBackend;
  checklist: Checklist;
  runId: string;
  operator: string;
  warnings: string[];
  secrets: string[];
  /** A team run (database store): other sessions may write it too (docs/team-store.md). */
  team: boolean;
  close(): Promise<void>;
}

export function operatorName(io: CliIo, given?: string): string {
  if (given?.trim()) return given.trim();
  if (io.env.RUNSHEET_OPERATOR) return io.env.RUNSHEET_OPERATOR;
  try {
    return userInfo().username;
  } catch {
    return io.env.USER ?? 'operator';
  }
}

export async function openSession(io: CliIo, opts: SessionOptions, prompts: SessionPrompts): Promise<Session> {
  const operator = operatorName(io, opts.operator);
  const backend = await openBackend(io, opts.store);
  try {
    return await openWith(backend, io, opts, prompts, operator);
  } catch (e) {
    await backend.close();
    throw e;
  }
}

async function openWith(backend: RunBackend, io: CliIo, opts: SessionOptions, prompts: SessionPrompts, operator: string): Promise<Session> {
  const now = () => new Date();
  // A database store is a team store: every session on a run writes it (docs/team-store.md).
  const team = backend.kind === 'postgres';
  let set = await readVarOptions(opts, io.env, io.cwd);
  let env = opts.env ?? null;
  let runId: string | undefined;
  let path: string;
  let copy: string | undefined;
  if (opts.resumeId) {
    const probe = await backend.open(opts.resumeId, { operator, readOnly: true });
    await probe.close();
    const started = probe.events.find((e) => e.type === 'run.started');
    // Killed before its first event was durable: nothing ran, there is nothing to resume.
    if (!started)
      throw new UserError(`run "${opts.resumeId}" never started (its first event was not saved before runsheet stopped): start a new run`);
    runId = opts.resumeId;
    env = probe.state.env;
    // A secret's value was recorded as *** : it comes back from the environment, --set-from-env or
    // --vars-file, never as the mask itself.
    if (started.type === 'run.started') set = { ...Object.fromEntries(Object.entries(started.vars).filter(([, v]) => v !== MASK)), ...set };
    path = probe.state.checklist.path;
    // The checklist file is not on this host (another operator's, or moved): the run's copy.
    if (!existsSync(path)) {
      if (backend.kind === 'files') path = join(runDir(io.home, runId), 'checklist.yaml');
      else copy = await backend.readChecklist(runId);
    }
  } else {
    if (!opts.file) throw new UserError('name a checklist file (or use `runsheet resume RUN_ID`)');
    path = resolvePath(io.cwd, opts.file);
  }
  const source = copy !== undefined ? { text: copy, sha256: sha256(Buffer.from(copy)) } : await checklistSource(path);
  const { checklist } = loadChecklistFromText(source.text, opts.file ?? path, { env, set, processEnv: io.env });
  refuseDeclaredSecretSets(opts.set, checklist.secrets);
  const envDef = env ? checklist.environments[env] : undefined;

  if (!runId && !opts.fresh) {
    const open = await backend.findOpenRun(path, env);
    if (open) {
      const keptRunning = stillRunning(open.state, join(runDir(io.home, open.runId), 'logs'));
      const answer = await prompts.resumeOrFresh({
        runId: open.runId,
        startedAt: open.state.startedAt,
        operator: open.state.operator,
        // Counted as the header and `runs` count it: the main track, n/a as done (progress.ts).
        progress: progressLine(runProgress(checklist, open.state), open.state.track),
        keptRunning,
      });
      if (answer === 'resume') runId = open.runId;
    }
  }
  if (!runId && envDef?.confirm && !(await prompts.confirmEnvironment(env!))) {
    throw new UserError(`environment "${env}" was not confirmed: nothing was run`, { exitCode: 2 });
  }

  const secrets = checklistSecrets(checklist, io.env);
  let store: OpenRun;
  const warnings: string[] = secretArgvWarnings(checklist, io.env).map((w) => `${w.where}: ${w.message}`);
  if (runId) {
    store = await backend.open(runId, { operator, now, shared: team });
    store.secrets = secrets;
    warnings.push(...store.warnings);
    if (!store.readOnly) {
      const changed =
        store.state.checklist.sha256 !== source.sha256
          ? await describeChange(io, backend, runId, source.text, checklist, env, set)
          : undefined;
      if (changed) {
        warnings.push(
          `the checklist changed since this run started: ${changed.added.length} item(s) added${changed.added.length ? ` (${changed.added.join(', ')})` : ''}, ${changed.removed.length} removed${changed.removed.length ? ` (${changed.removed.join(', ')})` : ''}`,
        );
        await backend.saveChecklist(runId, backend.kind === 'files' ? source.text : redact(source.text, secrets));
      }
      await store.append({ type: 'run.resumed', checklistSha256: source.sha256, ...(changed ? { changed } : {}) });
      // Items still "running" in the log were cut off by a crash or kill -9: say so, durably,
      // so an action is never assumed finished (or silently re-run). In a team run another
      // session may be running them: only those whose holder's lease ran out are interrupted.
      // A started item always holds a claim (taken before item.started), so in a team run one with
      // no live claim was cut off too.
      if (team) await store.recordExpiredClaims();
      const held = new Set(team ? (await store.claims()).map((c) => c.item) : []);
      for (const [id, st] of Object.entries(store.state.items)) {
        if (st.status !== 'running' || held.has(id)) continue;
        await store.append({
          type: 'item.interrupted',
          item: id,
          left: 'running',
          result: {
            ok: false,
            summary: 'runsheet stopped while this was running (crash or kill): its outcome is unknown and it may still be running',
            durationMs: 0,
          },
        });
      }
    }
  } else {
    runId = newRunId(checklist.title, now());
    // A database never gets a secret value, not even one written into the checklist itself.
    store = await backend.create(
      runId,
      backend.kind === 'files' ? source.text : redact(source.text, secrets),
      { title: checklist.title, path, env },
      { operator, now, shared: team },
    );
    store.secrets = secrets;
    await store.append({
      type: 'run.started',
      runId,
      checklist: { path, sha256: source.sha256, title: checklist.title },
      env,
      vars: redactDeep(set, secrets),
    });
  }
  const executor = createExecutor({
    checklist,
    runId,
    snapshotsDir: opts.snapshots ? resolvePath(io.cwd, opts.snapshots) : resolvePath(io.cwd, 'snapshots'),
    processEnv: io.env,
    secrets,
    logPrefix: (item, attempt) => store.logPath(`${item.id}.${attempt}`),
    baseDir: dirname(path),
  });
  const engine = new RunEngine(checklist, store, executor);
  // In a team run a sign-off is given from the signer's own session, under their name.
  if (team && !store.readOnly) engine.signsAs = operator;
  // A secret var's value given during the run joins the one list every writer masks with (the
  // store, the executor's output redaction and the screen share it), longest first.
  engine.onSecretValue = (value) => {
    if (value.length < 4 || secrets.includes(value)) return;
    secrets.push(value);
    secrets.sort((a, b) => b.length - a.length);
  };
  return {
    engine,
    store,
    checklist,
    runId,
    operator,
    warnings,
    secrets,
    backend,
    team,
    close: async () => {
      await store.close();
      await backend.close();
    },
  };
}

async function describeChange(
  io: CliIo,
  backend: RunBackend,
  runId: string,
  _text: string,
  now: Checklist,
  env: string | null,
  set: Record<string, string>,
) {
  try {
    const oldText = await backend.readChecklist(runId);
    const before = loadChecklistFromText(oldText, 'previous checklist', { env, set, processEnv: io.env }).checklist;
    return checklistDiff(before, now);
  } catch {
    return { added: [], removed: [] };
  }
}

/** "migrate (PID 29051)" for each command of the run left running that still runs. */
function stillRunning(state: RunState, logsDir: string): string[] {
  return Object.entries(state.items).flatMap(([id, st]) => {
    const kept = st.status === 'interrupted' ? st.result?.kept : undefined;
    return kept && keptStatus(kept, logsDir).state === 'running' ? [`${id} (PID ${kept.pid})`] : [];
  });
}

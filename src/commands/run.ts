// `runsheet run FILE` / `runsheet resume RUN_ID`: open the run, then drive it with the Ink TUI
// or, with no terminal (or --auto, or CI), headless. Terminal loss and SIGTERM save and exit.
import { readTail } from '../adapters/read-tail.js';
import { capYoungGeneration } from '../adapters/heap.js';
import { wantScreenCodeCache } from '../adapters/bundle-loader.js';
import { UserError } from '../core/errors.js';
import { canonicalJson } from '../core/events.js';
import { safeJsonText, safeLine } from '../core/safe-text.js';
import { openSession, type Session, type SessionOptions, type SessionPrompts } from './session.js';
import { readAnswers, unknownAnswerIds, type Answers } from '../headless/answers.js';
import { RunSignals, type Stop } from './signals.js';
import { runHeadless } from '../headless/drive.js';
import { answersAsk } from '../headless/ask.js';
import { askNumberWith } from '../core/flows/number.js';
import { finishIfComplete } from '../core/flows/finish.js';
import { eventLine } from './event-line.js';
import { joinTeam } from './team.js';
import { storeSpec } from '../adapters/store.js';
import { parsePositiveInt } from './options.js';
import type { CliIo } from './io.js';

// The pager shows at most the last 4 MiB of a log: enough to read, never a memory hazard.
const PAGER_MAX_BYTES = 4 * 1024 * 1024;
// How often a read-only view looks for what the process holding the run did.
const FOLLOW_MS = 1000;

export interface RunOptions extends SessionOptions {
  auto?: boolean;
  answers?: string;
  json?: boolean;
  jobs?: string;
  yes?: boolean;
  confirmEnv?: string;
  color?: boolean;
  /** `runsheet join`: a team run only (database store). */
  join?: boolean;
}

export async function runCommand(opts: RunOptions, io: CliIo): Promise<number> {
  const jobs = parsePositiveInt(opts.jobs, '--jobs', 4);
  if (opts.join && !storeSpec(opts.store, io.env))
    throw new UserError(
      'join is for team runs kept in a database: pass --store postgres://USER@HOST/DB (or set RUNSHEET_STORE); a run in local files is resumed with `runsheet resume RUN_ID`',
    );
  const headless = Boolean(opts.auto || !io.isTTY || io.env.CI);
  const answers = await readAnswers(opts.answers, io.cwd);
  const signals = new RunSignals(!headless);
  try {
    const prompts: SessionPrompts = headless
      ? {
          resumeOrFresh: async () => 'resume',
          confirmEnvironment: async (name) => {
            if (opts.confirmEnv === name) return true;
            throw new UserError(`environment "${name}" must be confirmed: pass --confirm-env ${name} to run it headless`);
          },
        }
      : await tuiPrompts(signals.signal);
    return await openAndRun(opts, io, { headless, jobs, answers, prompts, signals });
  } catch (e) {
    // Stopped during start-up (a start-up question gives up on the stop): the stop's exit code,
    // not whatever failed on the way down.
    if (signals.pending) return signals.pending.code;
    throw e;
  } finally {
    signals.dispose();
  }
}

async function openAndRun(
  opts: RunOptions,
  io: CliIo,
  {
    headless,
    jobs,
    answers,
    prompts,
    signals,
  }: { headless: boolean; jobs: number; answers: Answers; prompts: SessionPrompts; signals: RunSignals },
): Promise<number> {
  const session = await openSession(io, opts, prompts);
  if (headless && session.store.readOnly) {
    // Headless cannot use a read-only view: one line saying who holds the run and what to do.
    const holder = (session.warnings.find((w) => w.includes('open in process')) ?? 'run is locked by another process').replace(
      /: opened read-only$/,
      '',
    );
    await session.close();
    throw new UserError(`${session.runId}: ${holder}; wait for it to end, or pass --fresh to start a separate run`);
  }
  // Stopped while opening: record it and go, without starting anything.
  const early = signals.pending;
  if (early && !session.store.readOnly) {
    await session.engine.interrupt(early.reason);
    await session.close();
    return early.code;
  }
  // After start-up (which needs a roomy young generation to parse a big checklist quickly).
  capYoungGeneration();
  for (const w of session.warnings) io.stderr(`runsheet: warning: ${w}\n`);
  for (const w of unknownAnswerIds(answers, session.checklist)) io.stderr(`runsheet: warning: ${w}\n`);
  return headless
    ? headlessRun(session, io, signals, { jobs, answers, yes: Boolean(opts.yes), json: Boolean(opts.json) })
    : tuiRun(session, io, signals, jobs, opts.color !== false && !io.env.NO_COLOR);
}

/** The start-up questions, each given up (rejected) when the run is stopped while it is open. */
async function tuiPrompts(signal: AbortSignal): Promise<SessionPrompts> {
  wantScreenCodeCache();
  const ui = await import('../ui/app.js');
  return {
    resumeOrFresh: (r) =>
      ui.promptChoice(
        `An unfinished run of this checklist exists: ${r.runId} (started ${r.startedAt} by ${r.operator}, ${r.progress}).${r.keptRunning?.length ? ` Left running and still running: ${r.keptRunning.join(', ')}.` : ''}`,
        [
          { label: 'Resume it', value: 'resume' as const },
          { label: 'Start a fresh run', value: 'fresh' as const },
        ],
        { signal },
      ),
    confirmEnvironment: (name) =>
      ui.promptTypeToConfirm(`Environment "${name}" requires confirmation. Type its name to continue:`, name, { signal }),
  };
}

async function headlessRun(
  session: Session,
  io: CliIo,
  signals: RunSignals,
  o: { jobs: number; answers: Awaited<ReturnType<typeof readAnswers>>; yes: boolean; json: boolean },
): Promise<number> {
  const { engine, checklist } = session;
  const title = (id: string) => engine.item(id).title;
  // Manual metric probes take their value from --answers (metric id → {record: N}).
  engine.askNumber = askNumberWith(answersAsk(engine, o, {}, () => {}));
  const print = (e: NonNullable<ReturnType<typeof engine.view.getState>['lastEvent']>) =>
    io.stdout(o.json ? `${safeJsonText(canonicalJson(e))}\n` : `${eventLine(e, title)}\n`);
  for (const e of session.store.events) print(e);
  const unsub = engine.view.subscribe((v, prev) => v.lastEvent && v.lastEvent !== prev.lastEvent && print(v.lastEvent));
  let interrupted: ((code: number) => void) | null = null;
  const interruptedP = new Promise<number>((r) => (interrupted = r));
  let stopping = false;
  signals.handle(async (stop) => {
    if (stopping) return;
    stopping = true;
    try {
      await engine.interrupt(stop.reason);
    } catch (e) {
      // Could not record it (a full disk): still stop with the signal's code, and say why.
      io.stderr(`runsheet: could not record the interruption: ${e instanceof Error ? e.message : String(e)}\n`);
    } finally {
      interrupted?.(stop.code);
    }
  });
  try {
    // Once a signal is being handled, the run's own ending (e.g. "not started: stopping") is moot.
    const asInterrupted = interruptedP.then((code) => ({ code, needs: [] as string[], failed: [] as string[] }));
    const run = runHeadless(engine, checklist, o).catch((e: unknown) => (stopping ? asInterrupted : Promise.reject(e)));
    const result = await Promise.race([run, asInterrupted]);
    if (stopping) {
      const code = await interruptedP;
      return code;
    }
    if (result.code === 0) await finishIfComplete(engine);
    // On stderr even with --json (stdout is the event stream): exit 3 must say what is waiting.
    if (result.needs.length)
      io.stderr(
        `runsheet: run ${session.runId} needs an operator:\n${result.needs.map((n) => `  - ${safeLine(n)}\n`).join('')}runsheet: resume with \`runsheet resume ${session.runId}\`\n`,
      );
    if (result.failed.length) io.stderr(`runsheet: run ${session.runId} failed at: ${result.failed.join(', ')}\n`);
    return result.code;
  } finally {
    unsub();
    await session.close();
  }
}

async function tuiRun(session: Session, io: CliIo, signals: RunSignals, jobs: number, color: boolean): Promise<number> {
  const { runTui } = await import('../ui/app.js');
  // A stop (signal, lost terminal) takes the screen down; the interruption is recorded below,
  // after Ink is gone, and the exit code goes back through the CLI like any other.
  const screen = new AbortController();
  let stopped: Stop | null = null;
  signals.handle((stop) => {
    if (stopped) return;
    stopped = stop;
    screen.abort(stop);
  });
  const stopFollowing = session.store.readOnly ? followRun(session) : () => {};
  // A team run: other sessions' actions, presence and the store's reachability, live.
  const team =
    session.team && !session.store.readOnly
      ? joinTeam(session.store, session.engine, session.operator, (m) => session.engine.view.setState({ error: m }))
      : null;
  try {
    await runTui({
      engine: session.engine,
      runId: session.runId,
      operator: session.operator,
      env: session.checklist.env,
      jobs,
      readOnly: session.store.readOnly,
      runDir: session.store.dir,
      warnings: session.warnings,
      // The detail pane shows commands and URLs after substitution: mask what the run masks.
      secrets: session.secrets,
      color,
      signal: screen.signal,
      ...(team ? { team: team.feed } : {}),
      readFullOutput: async (id: string) => {
        const st = session.engine.state.items[id];
        const logs = [st?.result?.stdout?.log, st?.result?.stderr?.log].filter((x): x is string => !!x);
        const parts = await Promise.all(logs.map((l) => readTail(session.store.logPath(l), PAGER_MAX_BYTES)));
        return parts.filter(Boolean).join('\n') || (st?.result?.summary ?? 'no output recorded');
      },
    });
    const stop = stopped as Stop | null;
    if (stop) await interruptRun(session, io, stop);
    return stop ? stop.code : 0;
  } finally {
    team?.stop();
    stopFollowing();
    await session.close();
  }
}

/**
 * Records a stop that ended the screen: running items interrupted (or left running), then
 * run.interrupted. A run the operator already finished or interrupted (quit, leaving commands
 * running) has nothing more to say.
 */
async function interruptRun(session: Session, io: CliIo, stop: Stop): Promise<void> {
  const { engine } = session;
  if (session.store.readOnly || engine.state.status !== 'active') return;
  try {
    await engine.interrupt(stop.reason);
  } catch (e) {
    // Could not record it (a full disk): the stop still ends with its own code; on resume the
    // items still "running" in the log are marked interrupted.
    io.stderr(`runsheet: could not record the interruption: ${e instanceof Error ? e.message : String(e)}\n`);
  }
}

/**
 * A read-only view (the run is open in another process) shows what that process does: every
 * FOLLOW_MS it folds in the events appended since, and redraws. A log that stops making sense
 * ends the following, with the reason on the status line; the view stays.
 */
function followRun(session: Session): () => void {
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    session.store
      .follow()
      .then((events) => session.engine.showAppended(events))
      .catch((e: unknown) => {
        clearInterval(timer);
        session.engine.view.setState({ error: `stopped following the run: ${e instanceof Error ? e.message : String(e)}` });
      })
      .finally(() => (busy = false));
  }, FOLLOW_MS);
  timer.unref();
  return () => clearInterval(timer);
}

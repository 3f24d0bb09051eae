// The real Executor: commands via execa, HTTP via undici, metric snapshots via the probes.
import type { Action, Checklist, Item } from '../core/model.js';
import { allItems } from '../core/model.js';
import type { Executor, ItemHandle, RunHooks } from '../core/executor.js';
import { settled } from '../core/executor.js';
import type { ItemResult } from '../core/events.js';
import { judgeCommand, missingEnv } from '../core/expect.js';
import { formatDuration } from '../core/duration.js';
import type { startCommand as StartCommandFn } from './shell.js';
import { httpCheck, loadUndici } from './http.js';
import type { MetricsContext } from './metrics-item.js';
import { dirname, resolve, isAbsolute } from 'node:path';
import { statSync } from 'node:fs';
import { keptStatus } from './kept-process.js';

export interface ExecutorContext extends MetricsContext {
  checklist: Checklist;
  processEnv: Record<string, string | undefined>;
  secrets: readonly string[];
  /** Where logs go: a function of the item id and attempt. */
  logPrefix: (item: Item, attempt: number) => string;
  /** Base directory for relative `cwd` (the checklist's directory). */
  baseDir: string;
  graceMs?: number;
}

// execa (with its signal tables and stream helpers) loads with the first command, like undici
// with the first request: start-up to the first frame is faster without them.
const loadShell = () => import('./shell.js');
const loadMetrics = () => import('./metrics-item.js');

export function createExecutor(ctx: ExecutorContext): Executor {
  // When the checklist will need them, load them once the first frame is up, so no item waits.
  const kinds = new Set(allItems(ctx.checklist).map((i) => i.action.kind));
  const soon = (load: () => Promise<unknown>) => setTimeout(() => void load().catch(() => {}), 500).unref();
  if (kinds.has('http') || kinds.has('snapshot') || kinds.has('compare')) soon(loadUndici);
  if (kinds.has('snapshot') || kinds.has('compare')) soon(loadMetrics);
  if (kinds.has('run')) soon(loadShell);
  return {
    keptStatus: (item, attempt, kept) => keptStatus(kept, dirname(ctx.logPrefix(item, attempt))),
    start(item: Item, attempt: number, hooks: RunHooks): ItemHandle {
      const a = item.action;
      switch (a.kind) {
        case 'run':
          return startRun(ctx, item, a, attempt, hooks);
        case 'http': {
          const ac = new AbortController();
          const done = httpCheck({
            spec: a.http,
            retries: item.retries,
            retryDelayMs: item.retryDelayMs,
            timeoutMs: item.timeoutMs,
            secrets: ctx.secrets,
            signal: ac.signal,
            onAttempt: (n, summary) => hooks.onProgress?.(`attempt ${n}/${item.retries + 1}: ${summary}`),
          });
          return { done, stop: () => ac.abort(), abandon: () => ac.abort() };
        }
        case 'require_env': {
          const env = { ...ctx.processEnv, ...ctx.checklist.vars };
          const missing = missingEnv(a.names, env);
          return settled({
            ok: missing.length === 0,
            summary: missing.length ? missing.map((m) => `${m.name} ${m.why}`).join(', ') : `all ${a.names.length} set`,
            durationMs: 0,
            missing: missing.map((m) => m.name),
          });
        }
        case 'snapshot':
        case 'compare':
          return whenLoaded(loadMetrics, ({ startMetricsItem }) => startMetricsItem(ctx, item, hooks));
        case 'manual':
        case 'record':
          // The engine refuses to run these before they get here (a person ticks or records them).
          return settled({ ok: false, summary: `${a.kind} items are not run`, durationMs: 0 });
        default:
          // A new action kind must be handled above: this line stops the build until it is.
          return unreachable(a);
      }
    },
  };
}

type RunAction = Extract<Action, { kind: 'run' }>;

function startRun(ctx: ExecutorContext, item: Item, a: RunAction, attempt: number, hooks: RunHooks): ItemHandle {
  const cwd = item.cwd ? (isAbsolute(item.cwd) ? item.cwd : resolve(ctx.baseDir, item.cwd)) : ctx.baseDir;
  // Spawning in a missing directory fails as "spawn /bin/bash ENOENT", which blames the shell.
  const badCwd = cwdProblem(cwd);
  if (badCwd) return settled({ ok: false, summary: `could not start: ${badCwd}`, durationMs: 0 });
  return whenLoaded(loadShell, ({ startCommand }) => startRunning(ctx, item, a, attempt, hooks, cwd, startCommand));
}

function startRunning(
  ctx: ExecutorContext,
  item: Item,
  a: RunAction,
  attempt: number,
  hooks: RunHooks,
  cwd: string,
  startCommand: StartCommand,
): ItemHandle {
  const h = startCommand({
    command: a.command,
    shell: item.shell,
    pipefail: item.pipefail,
    cwd,
    env: { ...ctx.processEnv, ...ctx.checklist.vars, ...item.env },
    timeoutMs: item.timeoutMs,
    logPrefix: ctx.logPrefix(item, attempt),
    secrets: ctx.secrets,
    onOutput: hooks.onOutput,
    graceMs: ctx.graceMs,
    ...(item.on_disconnect === 'keep' ? { statusFile: `${ctx.logPrefix(item, attempt)}.exit` } : {}),
  });
  const done = h.done.then((o): ItemResult => {
    const j = judgeCommand(o, a.expect, formatDuration);
    return {
      ok: j.ok,
      summary: j.summary,
      durationMs: o.durationMs,
      exitCode: o.exitCode,
      signal: o.signal,
      timedOut: o.timedOut,
      stdout: o.stdoutDigest,
      stderr: o.stderrDigest,
      ...(o.kept ? { kept: o.kept } : {}),
    };
  });
  return { done, stop: h.stop, abandon: h.abandon };
}

type StartCommand = typeof StartCommandFn;

/**
 * A handle for an item whose code is still loading: a stop or abandon asked for meanwhile is
 * passed on as soon as it has started. `done` still never rejects.
 */
function whenLoaded<M>(load: () => Promise<M>, start: (m: M) => ItemHandle): ItemHandle {
  let handle: ItemHandle | null = null;
  let asked: 'stop' | 'abandon' | null = null;
  const done = load().then(
    (m) => {
      try {
        handle = start(m);
      } catch (e) {
        return { ok: false, summary: `could not start: ${e instanceof Error ? e.message : String(e)}`, durationMs: 0 } satisfies ItemResult;
      }
      if (asked) handle[asked]();
      return handle.done;
    },
    (e: unknown): ItemResult => ({ ok: false, summary: `could not start: ${e instanceof Error ? e.message : String(e)}`, durationMs: 0 }),
  );
  return {
    done,
    stop: () => (handle ? handle.stop() : (asked = 'stop')),
    abandon: () => (handle ? handle.abandon() : (asked ??= 'abandon')),
  };
}

function cwdProblem(cwd: string): string | null {
  try {
    return statSync(cwd).isDirectory() ? null : `working directory ${cwd} is not a directory`;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? `working directory ${cwd} does not exist` : `working directory ${cwd} is not usable (${code})`;
  }
}

function unreachable(a: never): never {
  throw new Error(`executor: unhandled action kind ${JSON.stringify(a)}`);
}

// The real Executor: commands via execa, HTTP via undici, metric snapshots via the probes.
import type { Checklist, Item } from '../core/model.js';
import { allItems } from '../core/model.js';
import type { Executor, ItemHandle, RunHooks } from '../core/executor.js';
import { settled } from '../core/executor.js';
import type { ItemResult } from '../core/events.js';
import { judgeCommand, missingEnv } from '../core/expect.js';
import { formatDuration } from '../core/duration.js';
import { startCommand } from './shell.js';
import { httpCheck, loadUndici } from './http.js';
import { startMetricsItem, type MetricsContext } from './metrics-item.js';
import { resolve, isAbsolute } from 'node:path';
import { statSync } from 'node:fs';

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

export function createExecutor(ctx: ExecutorContext): Executor {
  // undici loads with the first request (start-up is faster without it); when the checklist will
  // need it, load it once the first frame is up, so no check waits for it either.
  if (allItems(ctx.checklist).some((i) => ['http', 'snapshot', 'compare'].includes(i.action.kind))) {
    setTimeout(() => void loadUndici().catch(() => {}), 500).unref();
  }
  return {
    start(item: Item, attempt: number, hooks: RunHooks): ItemHandle {
      const a = item.action;
      switch (a.kind) {
        case 'run':
          return startRun(ctx, item, a.command, attempt, hooks);
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
          return startMetricsItem(ctx, item, hooks);
        default:
          return settled({ ok: false, summary: `${a.kind} items are not run`, durationMs: 0 });
      }
    },
  };
}

function startRun(ctx: ExecutorContext, item: Item, command: string, attempt: number, hooks: RunHooks): ItemHandle {
  const e = item.action.kind === 'run' ? item.action.expect : { exit: 0 };
  const cwd = item.cwd ? (isAbsolute(item.cwd) ? item.cwd : resolve(ctx.baseDir, item.cwd)) : ctx.baseDir;
  // Spawning in a missing directory fails as "spawn /bin/bash ENOENT", which blames the shell.
  const badCwd = cwdProblem(cwd);
  if (badCwd) return settled({ ok: false, summary: `could not start: ${badCwd}`, durationMs: 0 });
  const h = startCommand({
    command,
    shell: item.shell,
    cwd,
    env: { ...ctx.processEnv, ...ctx.checklist.vars, ...item.env },
    timeoutMs: item.timeoutMs,
    logPrefix: ctx.logPrefix(item, attempt),
    secrets: ctx.secrets,
    onOutput: hooks.onOutput,
    graceMs: ctx.graceMs,
  });
  const done = h.done.then((o): ItemResult => {
    const j = judgeCommand(o, e, formatDuration);
    return {
      ok: j.ok,
      summary: j.summary,
      durationMs: o.durationMs,
      exitCode: o.exitCode,
      signal: o.signal,
      timedOut: o.timedOut,
      stdout: o.stdoutDigest,
      stderr: o.stderrDigest,
    };
  });
  return { done, stop: h.stop, abandon: h.abandon };
}

function cwdProblem(cwd: string): string | null {
  try {
    return statSync(cwd).isDirectory() ? null : `working directory ${cwd} is not a directory`;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? `working directory ${cwd} does not exist` : `working directory ${cwd} is not usable (${code})`;
  }
}

// Pass/fail rules for command results. Pure, so every front end and the tests agree.
import type { RunExpect } from './model.js';

export interface CommandOutcome {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  cancelled: boolean;
  stdout: string;
  stderr: string;
  timeoutMs: number | null;
  spawnError?: string;
}

export function judgeCommand(o: CommandOutcome, e: RunExpect, fmt: (ms: number) => string): { ok: boolean; summary: string } {
  if (o.spawnError) return { ok: false, summary: `could not start: ${o.spawnError}` };
  if (o.timedOut) return { ok: false, summary: `timed out after ${fmt(o.timeoutMs ?? 0)} (process group stopped)` };
  if (o.cancelled) return { ok: false, summary: 'stopped by the operator' };
  if (o.exitCode === null) return { ok: false, summary: `killed by ${o.signal ?? 'a signal'}` };
  if (o.exitCode !== e.exit) return { ok: false, summary: `exit ${o.exitCode} (expected ${e.exit})` };
  if (e.stdout_contains !== undefined && !o.stdout.includes(e.stdout_contains)) {
    return { ok: false, summary: `exit ${o.exitCode}, but stdout does not contain ${JSON.stringify(e.stdout_contains)}` };
  }
  if (e.stdout_matches !== undefined && !new RegExp(e.stdout_matches, 'm').test(o.stdout)) {
    return { ok: false, summary: `exit ${o.exitCode}, but stdout does not match /${e.stdout_matches}/` };
  }
  if (e.stderr_matches !== undefined && !new RegExp(e.stderr_matches, 'm').test(o.stderr)) {
    return { ok: false, summary: `exit ${o.exitCode}, but stderr does not match /${e.stderr_matches}/` };
  }
  return { ok: true, summary: `exit ${o.exitCode}` };
}

const PLACEHOLDER = /^(changeme|change_me|xxx+|todo|tbd|fixme|<.*>|your[_-].*|\.\.\.|placeholder|replace[_-]?me)$/i;

/** require_env: names that are unset, empty, or still a placeholder. Values never leave here. */
export function missingEnv(
  names: string[],
  env: Record<string, string | undefined>,
): { name: string; why: 'unset' | 'empty' | 'placeholder' }[] {
  const out: { name: string; why: 'unset' | 'empty' | 'placeholder' }[] = [];
  for (const name of names) {
    const v = env[name];
    if (v === undefined) out.push({ name, why: 'unset' });
    else if (v.trim() === '') out.push({ name, why: 'empty' });
    else if (PLACEHOLDER.test(v.trim())) out.push({ name, why: 'placeholder' });
  }
  return out;
}

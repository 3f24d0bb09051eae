// Finding a kept command again (on_disconnect: keep): its identity when it was left (pid, and
// the start time the kernel gives that pid, so a reused pid is never taken for it), whether it
// still runs, and how it ended — read from the status file its shell writes on the way out
// (see keepStatusPrefix: the command's parent is gone by then, so nobody else can wait for it).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KeptProcess } from '../core/events.js';
import type { KeptStatus } from '../core/kept.js';

function bootId(): string {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return '';
  }
}

/** pid's start time (clock ticks since boot) and run state letter, or null when it is gone. */
function procStat(pid: number): { startTicks: number; state: string } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces or ")": fields after the last ")".
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // rest[0] is field 3 (state); field 22 (starttime) is rest[19].
    return { state: rest[0], startTicks: Number(rest[19]) };
  } catch {
    return null;
  }
}

/** The identity of a live process, to record when it is left running; null when unknown. */
export function keptIdentity(pid: number | undefined, statusFile?: string): KeptProcess | undefined {
  if (!pid) return undefined;
  const st = procStat(pid);
  if (!st) return undefined;
  return { pid, startTicks: st.startTicks, bootId: bootId(), ...(statusFile ? { statusFile } : {}) };
}

/** Still running (same pid, same start, same boot, not a zombie), or how it ended. */
export function keptStatus(k: KeptProcess, logsDir: string): KeptStatus {
  const st = procStat(k.pid);
  if (st && st.startTicks === k.startTicks && k.bootId === bootId() && st.state !== 'Z') return { state: 'running' };
  return { state: 'ended', ...readStatusFile(k.statusFile ? join(logsDir, k.statusFile) : null) };
}

function readStatusFile(path: string | null): { exitCode?: number | null; signal?: string | null } {
  if (!path) return {};
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return {};
  }
  const exit = /^exit (\d+)\s*$/.exec(text);
  if (exit) return { exitCode: Number(exit[1]) };
  const sig = /^signal ([A-Z]+)\s*$/.exec(text);
  if (sig) return { exitCode: null, signal: `SIG${sig[1]}` };
  return {};
}

const TRAPPED = ['HUP', 'INT', 'TERM'] as const;

/**
 * Shell text put in front of a kept command (bash only) so the shell itself writes how it
 * ended to `file`: `exit N` from an EXIT trap, or `signal NAME` when a signal ends it (bash
 * would otherwise run the EXIT trap with a misleading $? of the last command). After noting a
 * signal it takes it again with the default action, so it still dies of that signal. On the same
 * line as the command, so bash's "line N" in error messages stays right.
 */
export function keepStatusPrefix(file: string): string {
  const q = `'${file.replace(/'/g, `'\\''`)}'`;
  const onSignal = TRAPPED.map(
    (s) => `trap 'printf "signal ${s}\\n" > ${q.replace(/'/g, `'\\''`)}; trap - EXIT ${s}; kill -${s} $$' ${s}`,
  ).join('; ');
  return `trap 'printf "exit %s\\n" "$?" > ${q.replace(/'/g, `'\\''`)}' EXIT; ${onSignal}; `;
}

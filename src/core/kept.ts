// A command left running when runsheet stopped: what is known about it on resume, in words an
// operator can act on ("still running (PID 29051, 4 min)", "ended: exit 0"), and which answers
// make sense. Pure: the adapters look at /proc and the status file (src/adapters/kept-process.ts).
import type { KeptProcess } from './events.js';
import { formatDuration } from './duration.js';

export type KeptStatus =
  | { state: 'running' }
  /** Ended; exitCode null with signal: killed by it; both absent: nobody recorded how. */
  | { state: 'ended'; exitCode?: number | null; signal?: string | null };

export interface KeptInfo {
  kept: KeptProcess;
  status: KeptStatus;
  /** When the command was started (its item.started). */
  since?: string;
  /** The command's live stdout log. */
  log?: string;
}

export function keptRunning(k: KeptInfo | null | undefined): boolean {
  return k?.status.state === 'running';
}

/** "still running (PID 29051, 4 min); live log: …" or "it has ended: exit 3". */
export function describeKept(k: KeptInfo, now: Date): string {
  if (k.status.state === 'running') {
    const age = k.since ? `, ${formatDuration(Math.max(0, now.getTime() - Date.parse(k.since)))}` : '';
    return `still running (PID ${k.kept.pid}${age})${k.log ? `; live log: ${k.log}` : ''}`;
  }
  return `it has ended (${endedHow(k.status)})`;
}

export function endedHow(s: KeptStatus): string {
  if (s.state === 'running') return 'still running';
  if (typeof s.exitCode === 'number') return `exit ${s.exitCode}`;
  if (s.signal) return `killed by ${s.signal}`;
  return 'its exit status was not recorded (killed outright, or the machine restarted)';
}

/** What the recorded ending says, against the exit code the item expects: passed, failed or unknown. */
export function keptVerdict(s: KeptStatus, expectedExit: number): 'passed' | 'failed' | null {
  if (s.state !== 'ended') return null;
  if (typeof s.exitCode === 'number') return s.exitCode === expectedExit ? 'passed' : 'failed';
  return s.signal ? 'failed' : null;
}

// One human line per run event, for headless output and `status`.
import type { RunEvent } from '../core/events.js';
import { safeLine } from '../core/safe-text.js';

const MARK: Record<string, string> = {
  'item.started': '…',
  'item.passed': '✓',
  'item.failed': '✗',
  'item.warned': '!',
  'item.interrupted': '?',
  'item.ticked': 'x',
  'item.unticked': ' ',
  'item.skipped': '-',
  'item.recorded': '=',
};

/** The event as one line, its titles, answers, reasons and notes escaped (they are untrusted text). */
export function eventLine(e: RunEvent, title: (id: string) => string): string {
  return safeLine(rawLine(e, title));
}

function rawLine(e: RunEvent, title: (id: string) => string): string {
  const time = e.ts.slice(11, 19);
  const it = 'item' in e && e.item ? `${e.item} "${title(e.item)}"` : '';
  switch (e.type) {
    case 'run.started':
      return `${time} run ${e.runId} started: ${e.checklist.title}${e.env ? ` [${e.env}]` : ''} by ${e.operator}@${e.host}`;
    case 'run.resumed':
      return `${time} run resumed by ${e.operator}@${e.host}`;
    case 'run.interrupted':
      return `${time} run interrupted: ${e.reason}${e.running.length ? ` (running: ${e.running.join(', ')})` : ''}`;
    case 'run.finished':
      return `${time} run finished: ${e.status}`;
    case 'run.abandoned':
      return `${time} run abandoned: ${e.reason}`;
    case 'item.started':
      return `${time} ${MARK[e.type]} ${it} started (attempt ${e.attempt})${e.command ? `: $ ${e.command}` : e.request ? `: ${e.request}` : ''}`;
    case 'item.passed':
    case 'item.failed':
    case 'item.warned':
    case 'item.interrupted':
      return `${time} ${MARK[e.type]} ${it} ${e.type.slice(5)}: ${e.result.summary} (${(e.result.durationMs / 1000).toFixed(1)}s)`;
    case 'item.skipped':
      return `${time} ${MARK[e.type]} ${it} skipped: ${e.reason}`;
    case 'item.recorded':
      return `${time} ${MARK[e.type]} ${it} recorded: ${e.value}${e.unit ? ` ${e.unit}` : ''}`;
    case 'item.ticked':
    case 'item.unticked':
      return `${time} ${MARK[e.type]} ${it} ${e.type.slice(5)}`;
    case 'item.resolved':
      return `${time} ${it} resolved as ${e.outcome}: ${e.reason}`;
    case 'note':
      return `${time} note${it ? ` on ${it}` : ''}: ${e.text}`;
    case 'override':
      return `${time} override (${e.kind})${it ? ` on ${it}` : e.phase ? ` on phase ${e.phase}` : ''}: ${e.reason}`;
    case 'signoff':
      return `${time} sign-off of ${e.phase}: ${e.name} as ${e.role}`;
    case 'snapshot.taken':
      return `${time} snapshot "${e.label}" taken: ${e.probes} probes${e.nodata.length ? `, no data: ${e.nodata.join(', ')}` : ''} → ${e.file}`;
    case 'comparison':
      return `${time} comparison ${e.label} vs ${e.baseline}: ${e.status}`;
    case 'rollback.started':
      return `${time} ROLLBACK started: ${e.reason}`;
    case 'log.truncated':
      return `${time} log truncated: ${e.reason}`;
    case 'handover':
      return `${time} handed over from ${e.from} to ${e.to}${e.note ? `: ${e.note}` : ''}`;
    case 'var.set':
      return `${time} \${${e.name}} set to "${e.value}"`;
  }
}

// A team run's line under the header: who else is in the run, or — while the database cannot be
// reached — that the store is unreachable and being retried, with the cause and how many results
// wait in the local spool. Names and hosts come from other operators' sessions: safeLine.
import { memo } from 'react';
import { useStore } from 'zustand';
import { safeLine } from '../core/safe-text.js';
import { Line } from './theme.js';
import { fitEnd } from './fit.js';
import type { ScreenStore } from './screen-store.js';
import type { TeamMember, TeamView } from './team-types.js';
import type { RunEvent } from '../core/events.js';

export function teamLine(view: TeamView, self: TeamMember): { text: string; tone: 'info' | 'error' } {
  const s = view.status;
  if (!s.reachable)
    return {
      text: `store unreachable — retrying${s.cause ? ` (${safeLine(s.cause)})` : ''}${s.spooled ? ` · ${s.spooled} result(s) kept locally until it is back` : ''}`,
      tone: 'error',
    };
  const who = (m: TeamMember) => `${safeLine(m.name)}@${safeLine(m.host)}`;
  const isSelf = (m: TeamMember) => m.name === self.name && m.host === self.host && (m.pid === undefined || m.pid === self.pid);
  const others = view.sessions.filter((m) => !isSelf(m));
  const spool = s.spooled ? ` · ${s.spooled} result(s) being written` : '';
  return { text: `in this run: ${[`${who(self)} (you)`, ...others.map(who)].join(' · ')}${spool}`, tone: 'info' };
}

export const TeamLine = memo(function TeamLine({ store, self, width }: { store: ScreenStore; self: TeamMember; width: number }) {
  const view = useStore(store, (s) => s.team);
  if (!view) return <Line> </Line>;
  const { text, tone } = teamLine(view, self);
  return <Line style={tone === 'error' ? { color: 'red', bold: true } : { dim: true }}>{fitEnd(text, width)}</Line>;
});

/**
 * What another operator just did, for the status line: who, where, and what ("bo@db-bastion
 * ticked "Backup verified""). null for events that say nothing to the operator (a run resumed, a
 * value recorded for a var). Names, hosts and titles are untrusted: safeLine.
 */
export function othersLine(e: RunEvent, title: (id: string) => string): string | null {
  const who = `${safeLine(e.operator)}@${safeLine(e.host)}`;
  const it = 'item' in e && typeof e.item === 'string' ? `"${safeLine(title(e.item))}"` : '';
  switch (e.type) {
    case 'item.started':
      return `${who} started ${it}`;
    case 'item.passed':
      return `${who}: ${it} passed`;
    case 'item.failed':
      return `${who}: ${it} failed`;
    case 'item.warned':
      return `${who}: ${it} warned`;
    case 'item.interrupted':
      return `${it} was interrupted (${who})`;
    case 'item.ticked':
      return `${who} ticked ${it}`;
    case 'item.unticked':
      return `${who} unticked ${it}`;
    case 'item.skipped':
      return `${who} skipped ${it}`;
    case 'item.recorded':
      return `${who} recorded ${safeLine(String(e.value))}${e.unit ? ` ${safeLine(e.unit)}` : ''} for ${it}`;
    case 'item.resolved':
      return `${who} resolved ${it} as ${e.outcome}`;
    case 'note':
      return `${who} added a note${it ? ` on ${it}` : ''}`;
    case 'override':
      return `${who} recorded an override (${e.kind})${it ? ` on ${it}` : ''}`;
    case 'signoff':
      return `${who} signed off as ${safeLine(e.role)}`;
    case 'rollback.started':
      return `${who} switched to the ROLLBACK track`;
    case 'handover':
      return `${who} handed the run over to ${safeLine(e.to)}`;
    case 'run.finished':
      return `${who} finished the run (${e.status})`;
    default:
      return null;
  }
}

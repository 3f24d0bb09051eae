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

// Top two lines: run identity with elapsed time and progress, then the phase tabs.
import { useEffect, useState } from 'react';
import { Box, Text } from 'ink';
import type { Phase } from '../core/model.js';
import type { RunState } from '../core/state.js';
import { phaseProgress, runProgress, phaseComplete } from '../core/policy.js';
import type { Checklist } from '../core/model.js';
import { Line, useColor } from './theme.js';
import { elapsed } from './text.js';

function useNow(tickMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!tickMs) return;
    const t = setInterval(() => setNow(Date.now()), tickMs);
    return () => clearInterval(t);
  }, [tickMs]);
  return now;
}

function fit(left: string, right: string, width: number): string {
  const room = width - [...right].length - 1;
  const l = [...left];
  const shown = l.length > room ? l.slice(0, Math.max(0, room - 1)).join('') + '…' : left;
  return shown + ' '.repeat(Math.max(1, width - [...shown].length - [...right].length)) + right;
}

export function Header(props: { checklist: Checklist; state: RunState; env: string | null; operator: string; runId: string; readOnly: boolean; width: number; tickMs: number }) {
  const now = useNow(props.tickMs);
  const { state } = props;
  const pr = runProgress(props.checklist, state);
  const started = Date.parse(state.startedAt);
  const flags = `${props.readOnly ? '[READ-ONLY] ' : ''}${state.track === 'rollback' ? '[ROLLBACK] ' : ''}`;
  const left = `${flags}${props.checklist.title} · env ${props.env ?? '-'} · ${props.operator} · ${props.runId}`;
  const right = `${Number.isNaN(started) ? '--:--' : elapsed(now - started)}  ${pr.done}/${pr.total} done${pr.failed ? `, ${pr.failed} failed` : ''}`;
  return <Line style={{ bold: true, color: state.track === 'rollback' ? 'red' : undefined }}>{fit(left, right, props.width)}</Line>;
}

export function phaseLabel(p: Phase, i: number, s: RunState): string {
  const pr = phaseProgress(p, s);
  const done = phaseComplete(p, s) ? ' ✓' : '';
  return `${p.rollback ? '↺' : i + 1} ${p.title} ${pr.done}/${pr.total}${pr.failed ? ` ✗${pr.failed}` : ''}${done}`;
}

/** Phase tabs; when they do not fit, a window around the current one with ‹ › marks. */
export function PhaseTabs(props: { phases: Phase[]; current: number; state: RunState; filter: string; width: number }) {
  const color = useColor();
  const labels = props.phases.map((p, i) => (i === props.current ? `[${phaseLabel(p, i, props.state)}]` : ` ${phaseLabel(p, i, props.state)} `));
  const suffix = props.filter ? `  /${props.filter}` : '';
  const room = props.width - [...suffix].length - 2;
  let lo = props.current;
  let hi = props.current + 1;
  let used = [...labels[props.current]].length;
  while (true) {
    const next = hi < labels.length ? [...labels[hi]].length : Infinity;
    const prev = lo > 0 ? [...labels[lo - 1]].length : Infinity;
    if (Math.min(next, prev) === Infinity || used + Math.min(next, prev) > room) break;
    if (next <= prev) used += [...labels[hi++]].length;
    else used += [...labels[--lo]].length;
  }
  return (
    <Box width={props.width} height={1} overflow="hidden">
      <Text wrap="truncate-end">
        {lo > 0 ? '‹' : ' '}
        {labels.slice(lo, hi).map((l, j) => {
          const i = lo + j;
          const cur = i === props.current;
          const rb = props.phases[i].rollback;
          return color ? (
            <Text key={i} bold={cur} inverse={cur} color={rb ? 'red' : undefined}>
              {l}
            </Text>
          ) : (
            l
          );
        })}
        {hi < labels.length ? '›' : ' '}
        {suffix}
      </Text>
    </Box>
  );
}

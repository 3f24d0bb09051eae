// Top two lines: run identity with elapsed time and progress, then the phase tabs.
import { memo, useEffect, useState } from 'react';
import { Box, Text } from 'ink';
import { useStore } from 'zustand';
import type { Phase } from '../core/model.js';
import type { RunState } from '../core/state.js';
import { phaseComplete } from '../core/policy.js';
import { phaseProgress, progressLine, progressMarks, runProgress, type RunProgress } from '../core/progress.js';
import type { Checklist } from '../core/model.js';
import { Line, useColor } from './theme.js';
import { elapsed } from './text.js';
import { safeLine } from '../core/safe-text.js';
import type { ScreenStore } from './screen-store.js';

function useNow(tickMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!tickMs) return;
    const t = setInterval(() => setNow(Date.now()), tickMs);
    return () => clearInterval(t);
  }, [tickMs]);
  return now;
}

const len = (s: string) => [...s].length;

function cut(s: string, n: number): string {
  if (n <= 0) return '';
  return len(s) <= n
    ? s
    : [...s]
        .slice(0, Math.max(0, n - 1))
        .join('')
        .trimEnd() + '…';
}

/**
 * A run id that does not fit keeps its date-time and its random suffix (what tells two runs
 * apart); shorter than that it says nothing, and the help screen has it in full.
 */
function cutMiddle(id: string, n: number): string {
  if (len(id) <= n) return id;
  const c = [...id];
  return n >= 24 ? `${c.slice(0, n - 6).join('')}…${c.slice(-5).join('')}` : '';
}

/**
 * The identity line in `width` columns: the title gives way first (down to a stub), then the
 * run id (its date-time prefix stays), then the operator; elapsed time and progress always stay.
 */
export function headerText(raw: {
  flags: string;
  title: string;
  env: string | null;
  operator: string;
  runId: string;
  right: string;
  width: number;
}): string {
  // Title, env, operator (and an id read from disk) are untrusted: escaped before measuring.
  const o = {
    ...raw,
    title: safeLine(raw.title),
    env: raw.env === null ? null : safeLine(raw.env),
    operator: safeLine(raw.operator),
    runId: safeLine(raw.runId),
  };
  const room = o.width - len(o.right) - 1;
  const env = ` · env ${o.env ?? '-'}`;
  const fixed = len(o.flags) + len(env);
  let op = ` · ${o.operator}`;
  let id = ` · ${o.runId}`;
  const titleMin = Math.min(len(o.title), Math.max(12, Math.floor(room * 0.35)));
  if (fixed + titleMin + len(op) + len(id) > room) id = cutMiddle(id, room - fixed - titleMin - len(op));
  if (fixed + titleMin + len(op) + len(id) > room) op = cut(op, Math.max(0, room - fixed - titleMin));
  if (len(op) < 4) op = '';
  const title = cut(o.title, room - fixed - len(op) - len(id));
  const left = cut(`${o.flags}${title}${env}${op}${id}`, room);
  return left + ' '.repeat(Math.max(1, o.width - len(left) - len(o.right))) + o.right;
}

/** Memoised: it redraws on its clock and on the run's events (its own subscription), not on every key. */
export const Header = memo(function Header(props: {
  store: ScreenStore;
  checklist: Checklist;
  env: string | null;
  operator: string;
  runId: string;
  readOnly: boolean;
  width: number;
  tickMs: number;
}) {
  const now = useNow(props.tickMs);
  const { state } = useStore(props.store, (s) => s.fold);
  const pr = runProgress(props.checklist, state);
  const started = Date.parse(state.startedAt);
  const flags = `${props.readOnly ? '[READ-ONLY] ' : ''}${state.track === 'rollback' ? '[ROLLBACK] ' : ''}`;
  const right = headerProgress(Number.isNaN(started) ? '--:--' : elapsed(now - started), pr, state.track, props.width);
  const text = headerText({
    flags,
    title: props.checklist.title,
    env: props.env,
    operator: props.operator,
    runId: props.runId,
    right,
    width: props.width,
  });
  return <Line style={{ bold: true, color: state.track === 'rollback' ? 'red' : undefined }}>{text}</Line>;
});

/** Room the identity keeps (flags, a stub of the title, env) before progress goes short. */
const IDENTITY_MIN = 32;

/**
 * Elapsed time and progress, worded as `runs`, `status` and the resume prompt word it; in the
 * marks of the item list (✗ w ?) when the words would crowd out the run's identity.
 */
export function headerProgress(time: string, pr: RunProgress, track: 'main' | 'rollback', width: number): string {
  const words = `${time}  ${progressLine(pr, track)}`;
  return len(words) + IDENTITY_MIN <= width ? words : `${time}  ${progressMarks(pr, track)}`;
}

export function phaseLabel(p: Phase, i: number, s: RunState): string {
  const pr = phaseProgress(p, s);
  const done = phaseComplete(p, s) ? ' ✓' : '';
  // Failed, warned and interrupted apart, each with its item mark (✗, w, ?): a warning is not a failure.
  const bad = [pr.failed ? ` ✗${pr.failed}` : '', pr.warned ? ` w${pr.warned}` : '', pr.interrupted ? ` ?${pr.interrupted}` : ''].join('');
  return `${p.rollback ? '↺' : i + 1} ${safeLine(p.title)} ${pr.done}/${pr.total}${bad}${done}`;
}

/** Phase tabs; when they do not fit, a window around the current one with ‹ › marks. */
export const PhaseTabs = memo(function PhaseTabs(props: {
  store: ScreenStore;
  phases: Phase[];
  current: number;
  filter: string;
  width: number;
}) {
  const color = useColor();
  const { state } = useStore(props.store, (s) => s.fold);
  const labels = props.phases.map((p, i) => (i === props.current ? `[${phaseLabel(p, i, state)}]` : ` ${phaseLabel(p, i, state)} `));
  const suffix = props.filter ? `  /${safeLine(props.filter)}` : '';
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
});

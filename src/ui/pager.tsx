// A scrollable view of many lines that renders only the visible ones: the full output pager
// (`o`) and the help overlay (`?`) both use it. Its position is a plain object changed by
// pagerKey (see dialogs.ts for why keys never go through per-component React state).
import type { Key } from 'ink';
import { Box } from 'ink';
import { Line, type Styled } from './theme.js';
import { safeLine } from '../core/safe-text.js';

export interface PagerLine {
  text: string;
  style?: Styled;
}

export interface PagerState {
  title: string;
  lines: PagerLine[];
  /** First line shown; Infinity means "the end" (clamped when drawn). */
  top: number;
  /** Keys besides q / Esc that close it (`?` closes help). */
  closeKeys?: string[];
}

const bodyOf = (height: number) => Math.max(1, height - 1);
const maxTop = (p: PagerState, height: number) => Math.max(0, p.lines.length - bodyOf(height));

/** Applies a key; returns 'close' when the pager should close. */
export function pagerKey(p: PagerState, height: number, input: string, key: Key): 'close' | undefined {
  const body = bodyOf(height);
  const max = maxTop(p, height);
  const move = (d: number) => (p.top = Math.max(0, Math.min(max, Math.min(p.top, max) + d)));
  if (key.escape || input === 'q' || p.closeKeys?.includes(input)) return 'close';
  if (key.upArrow || input === 'k') move(-1);
  else if (key.downArrow || input === 'j' || key.return) move(1);
  else if (key.pageUp || input === 'b') move(-body);
  else if (key.pageDown || input === ' ') move(body);
  else if (key.home || input === 'g') p.top = 0;
  else if (key.end || input === 'G') p.top = max;
  return undefined;
}

export function Pager({ pager, width, height }: { pager: PagerState; width: number; height: number }) {
  const body = bodyOf(height);
  const top = Math.min(pager.top, maxTop(pager, height));
  const shown = pager.lines.slice(top, top + body);
  const n = pager.lines.length;
  const pos = n ? `${top + 1}-${top + shown.length} of ${n}` : 'empty';
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <Line style={{ bold: true, inverse: true }}>{`${safeLine(pager.title)} · ${pos} · ↑↓ PgUp/PgDn g/G · q/Esc close`}</Line>
      {shown.map((l, i) => (
        <Line key={top + i} style={l.style}>
          {l.text || ' '}
        </Line>
      ))}
    </Box>
  );
}

// A scrollable view of many lines that renders only the visible ones: the full output pager
// (`o`) and the help overlay (`?`) both use it. Its position lives in the screen's store and each
// key replaces it through pagerKey (see dialogs.ts for why keys never go through per-component
// React state).
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

/** The pager as a key leaves it (a new object when it moved), or 'close' when it should close. */
export function pagerKey(p: PagerState, height: number, input: string, key: Key): PagerState | 'close' {
  const body = bodyOf(height);
  const max = maxTop(p, height);
  const at = (top: number) => (top === p.top ? p : { ...p, top });
  const move = (d: number) => at(Math.max(0, Math.min(max, Math.min(p.top, max) + d)));
  if (key.escape || input === 'q' || p.closeKeys?.includes(input)) return 'close';
  if (key.upArrow || input === 'k') return move(-1);
  if (key.downArrow || input === 'j' || key.return) return move(1);
  if (key.pageUp || input === 'b') return move(-body);
  if (key.pageDown || input === ' ') return move(body);
  if (key.home || input === 'g') return at(0);
  if (key.end || input === 'G') return at(max);
  return p;
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

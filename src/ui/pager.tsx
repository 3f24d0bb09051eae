// A scrollable view of many lines that renders only the visible ones: the full output pager
// (`o`) and the help overlay (`?`) both use it.
import { useState } from 'react';
import { Box, useInput } from 'ink';
import { Line, type Styled } from './theme.js';

export interface PagerLine {
  text: string;
  style?: Styled;
}

export function Pager(props: { title: string; lines: PagerLine[]; width: number; height: number; active: boolean; onClose: () => void; closeKeys?: string[]; startAtEnd?: boolean }) {
  const body = Math.max(1, props.height - 1);
  const max = Math.max(0, props.lines.length - body);
  const [top, setTop] = useState(props.startAtEnd ? max : 0);
  useInput(
    (input, key) => {
      const move = (d: number) => setTop((t) => Math.max(0, Math.min(max, t + d)));
      if (key.escape || input === 'q' || props.closeKeys?.includes(input)) return props.onClose();
      if (key.upArrow || input === 'k') return move(-1);
      if (key.downArrow || input === 'j' || key.return) return move(1);
      if (key.pageUp || input === 'b') return move(-body);
      if (key.pageDown || input === ' ') return move(body);
      if (key.home || input === 'g') return setTop(0);
      if (key.end || input === 'G') return setTop(max);
    },
    { isActive: props.active },
  );
  const shown = props.lines.slice(top, top + body);
  const pos = props.lines.length ? `${top + 1}-${top + shown.length} of ${props.lines.length}` : 'empty';
  return (
    <Box flexDirection="column" width={props.width} height={props.height} overflow="hidden">
      <Line style={{ bold: true, inverse: true }}>{`${props.title} · ${pos} · ↑↓ PgUp/PgDn g/G · q/Esc close`}</Line>
      {shown.map((l, i) => (
        <Line key={top + i} style={l.style}>
          {l.text || ' '}
        </Line>
      ))}
    </Box>
  );
}

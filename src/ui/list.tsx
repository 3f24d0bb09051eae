// The item list: only the rows in the window are rendered (virtualised), so a 500-item phase
// costs the same as a 10-item one and a cursor move redraws two lines.
import { memo, useRef } from 'react';
import { Box } from 'ink';
import { useStore } from 'zustand';
import { itemState } from '../core/policy.js';
import { Line, statusMark } from './theme.js';
import { itemRowText, sectionRowText, type Row } from './rows.js';
import { listWindow } from './list-window.js';
import type { ScreenStore } from './screen-store.js';

interface Props {
  rows: Row[];
  cursorRow: number;
  height: number;
  width: number;
  /** The list redraws from its fold (each row's status) on every durable event. */
  store: ScreenStore;
  frame: number;
  emptyText: string;
}

function ItemListImpl(p: Props) {
  const { state } = useStore(p.store, (s) => s.fold);
  const top = useRef(0);
  const win = listWindow(p.rows, p.cursorRow, p.height, top.current);
  top.current = win.top;
  const visible = p.rows.slice(win.top, win.top + win.count);
  const lines = visible.map((row, i) => {
    const r = win.top + i;
    if (row.kind === 'section') {
      return (
        <Line key={`s${r}`} style={{ bold: true, color: 'blue' }}>
          {sectionRowText(row.title, p.width)}
        </Line>
      );
    }
    const st = itemState(state, row.item);
    const { mark, color } = statusMark(st.status, p.frame);
    const cur = r === p.cursorRow;
    return (
      <Box key={`i${row.item.id}`} width={p.width} height={1}>
        <Line style={cur ? { inverse: true, color } : { color }}>{itemRowText(row.item, mark, cur, p.width)}</Line>
      </Box>
    );
  });
  const marker = (key: string, text: string) => (
    <Line key={key} style={{ dim: true }}>
      {text}
    </Line>
  );
  if (win.above) lines.unshift(marker('above', `  ↑ ${win.above} more`));
  if (win.below) lines.push(marker('below', `  ↓ ${win.below} more`));
  if (!p.rows.length)
    lines.push(
      <Line key="empty" style={{ dim: true }}>
        {p.emptyText}
      </Line>,
    );
  return (
    <Box flexDirection="column" width={p.width} height={p.height} overflow="hidden">
      {lines}
    </Box>
  );
}

export const ItemList = memo(ItemListImpl);

// Colour is decoration only: every status has a distinct mark, so the screen reads the same with
// NO_COLOR or --no-color. When colour is off, components emit no styling escapes at all.
import { createContext, useContext, type ReactNode } from 'react';
import { Text } from 'ink';
import type { ItemStatus } from '../core/state.js';

export const ColorContext = createContext(true);

export function useColor(): boolean {
  return useContext(ColorContext);
}

export interface Styled {
  color?: string;
  bold?: boolean;
  dim?: boolean;
  inverse?: boolean;
}

/** A single-line Text that drops every style when colour is off and truncates to its box. */
export function Line({ children, style }: { children: ReactNode; style?: Styled }) {
  const color = useColor();
  if (!color || !style) return <Text wrap="truncate-end">{children}</Text>;
  return (
    <Text wrap="truncate-end" color={style.color} bold={style.bold} dimColor={style.dim} inverse={style.inverse}>
      {children}
    </Text>
  );
}

export const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

const MARKS: Record<ItemStatus, { mark: string; color?: string }> = {
  pending: { mark: '[ ]' },
  running: { mark: '[~]', color: 'cyan' },
  passed: { mark: '[✓]', color: 'green' },
  failed: { mark: '[✗]', color: 'red' },
  warn: { mark: '[w]', color: 'yellow' },
  ticked: { mark: '[x]', color: 'green' },
  skipped: { mark: '[-]', color: 'gray' },
  recorded: { mark: '[=]', color: 'green' },
  overridden: { mark: '[!]', color: 'magenta' },
  interrupted: { mark: '[?]', color: 'yellow' },
  'n/a': { mark: 'n/a', color: 'gray' },
};

/** The status mark; a running item shows a spinner frame inside the brackets. */
export function statusMark(status: ItemStatus, frame = 0): { mark: string; color?: string } {
  if (status === 'running') return { mark: `[${SPINNER[frame % SPINNER.length]}]`, color: MARKS.running.color };
  return MARKS[status];
}

export const LEGEND: [ItemStatus, string][] = [
  ['pending', 'pending'],
  ['running', 'running'],
  ['passed', 'passed'],
  ['failed', 'failed'],
  ['warn', 'warning'],
  ['ticked', 'ticked'],
  ['skipped', 'skipped'],
  ['recorded', 'recorded'],
  ['overridden', 'overridden'],
  ['interrupted', 'interrupted'],
  ['n/a', 'not applicable: an earlier choice was answered otherwise'],
];

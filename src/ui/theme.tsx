// Colour is decoration only: every status has a distinct mark, so the screen reads the same with
// NO_COLOR or --no-color. When colour is off, components emit no styling escapes at all.
import { Children, createContext, useContext, type ReactNode } from 'react';
import { Text } from 'ink';
import type { ItemStatus } from '../core/state.js';
import { safeLine } from '../core/safe-text.js';

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

/**
 * The TUI's output boundary for text: every string drawn passes safeLine, so a title, note, answer
 * or output line holding an escape sequence shows it as `\x1b…` and never drives the terminal.
 * (The builders escape first so widths are right; here it is a no-op for them, and the net for
 * anything else.)
 */
export function safeNode(children: ReactNode): ReactNode {
  if (typeof children === 'string') return safeLine(children);
  if (Array.isArray(children)) return Children.map(children, safeNode);
  return children;
}

/** A single-line Text that drops every style when colour is off and truncates to its box. */
export function Line({ children, style }: { children: ReactNode; style?: Styled }) {
  const color = useColor();
  const text = safeNode(children);
  if (!color || !style) return <Text wrap="truncate-end">{text}</Text>;
  return (
    <Text wrap="truncate-end" color={style.color} bold={style.bold} dimColor={style.dim} inverse={style.inverse}>
      {text}
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

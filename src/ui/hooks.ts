// Small hooks: terminal size that follows resizes, and a ticker for spinners and clocks.
import { useEffect, useState } from 'react';
import { useStdout } from 'ink';

export interface Size {
  columns: number;
  rows: number;
}

/** The terminal size, re-read on every resize; `fixed` pins it (tests). */
export function useTerminalSize(fixed?: Size): Size {
  const { stdout } = useStdout();
  const read = (): Size => fixed ?? { columns: stdout.columns || 80, rows: stdout.rows || 24 };
  const [size, setSize] = useState(read);
  useEffect(() => {
    if (fixed) return;
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [stdout, fixed]);
  return fixed ?? size;
}

/** A counter that advances every `ms` while `active` (0 disables it). */
export function useTicker(active: boolean, ms: number): number {
  const [n, setN] = useState(0);
  useEffect(() => {
    if (!active || !ms) return;
    const t = setInterval(() => setN((x) => x + 1), ms);
    return () => clearInterval(t);
  }, [active, ms]);
  return n;
}

/** Pane heights for a terminal of `rows` lines; one line is left free so Ink never has to clear the screen. */
export function layout(rows: number): { list: number; detail: number } {
  const free = Math.max(4, rows - 6);
  const detail = Math.max(3, Math.floor(free * 0.4));
  return { list: Math.max(1, free - detail), detail };
}

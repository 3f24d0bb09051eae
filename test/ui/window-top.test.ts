// The list window (src/ui/rows.ts windowTop): the cursor is always visible, moves inside the
// window leave it still, and leaving it jumps by half a screen so a full redraw of the list is
// paid once per half screen, not on every keystroke (docs/performance.md, bytes per move).
import { describe, expect, it } from 'vitest';
import { windowTop } from '../../src/ui/rows.js';

/** Window tops seen while the cursor walks from `from` to `to` one row at a time. */
function walk(rowCount: number, height: number, from: number, to: number, top = 0): number[] {
  const tops: number[] = [];
  const step = from <= to ? 1 : -1;
  for (let row = from; row !== to + step; row += step) {
    top = windowTop(rowCount, row, height, top);
    expect(row, `row ${row} visible in [${top}, ${top + height})`).toBeGreaterThanOrEqual(top);
    expect(row).toBeLessThan(top + height);
    tops.push(top);
  }
  return tops;
}

describe('windowTop', () => {
  it('keeps the cursor visible at every row, going down and back up', () => {
    for (const height of [1, 2, 3, 11, 32]) {
      const down = walk(500, height, 0, 499);
      walk(500, height, 499, 0, down.at(-1));
    }
  });

  it('scrolls by half a screen, so 100 moves through an 11-row list scroll about 20 times, not 90', () => {
    const tops = walk(500, 11, 0, 100);
    const scrolls = tops.filter((t, i) => i > 0 && t !== tops[i - 1]).length;
    expect(scrolls).toBeGreaterThan(10);
    expect(scrolls).toBeLessThanOrEqual(100 / 5 + 1);
    // Each scroll moves the window by the jump (5 rows for a height of 11).
    const jumps = tops.map((t, i) => t - (tops[i - 1] ?? t)).filter((d) => d !== 0);
    expect(new Set(jumps)).toEqual(new Set([5]));
  });

  it('shows everything from the top when the list fits, and never scrolls past the end', () => {
    expect(windowTop(8, 7, 11, 0)).toBe(0);
    expect(windowTop(20, 19, 11, 0)).toBe(9);
    expect(windowTop(20, 19, 11, 9)).toBe(9);
  });
});

// The list window with "↑ n more / ↓ n more" markers (src/ui/list-window.ts): the cursor is
// always drawn, markers count the hidden items, a heading never sits alone at the bottom, and
// scrolling still jumps by half a screen.
import { describe, expect, it } from 'vitest';
import { listWindow } from '../../src/ui/list-window.js';
import type { Row } from '../../src/ui/rows.js';
import type { Item } from '../../src/core/model.js';

/** Rows of sections of the given sizes: a heading, then its items. */
function rowsOf(sizes: number[]): Row[] {
  const rows: Row[] = [];
  let index = 0;
  sizes.forEach((n, s) => {
    rows.push({ kind: 'section', title: `S${s}` });
    for (let i = 0; i < n; i++) rows.push({ kind: 'item', item: { id: `i${index}` } as Item, index: index++ });
  });
  return rows;
}

function check(rows: Row[], height: number, cursorRow: number, prev: number) {
  const w = listWindow(rows, cursorRow, height, prev);
  const lines = w.count + (w.above ? 1 : 0) + (w.below ? 1 : 0);
  expect(lines, `lines at cursor ${cursorRow}`).toBeLessThanOrEqual(height);
  expect(cursorRow).toBeGreaterThanOrEqual(w.top);
  expect(cursorRow).toBeLessThan(w.top + w.count);
  const items = rows.filter((r) => r.kind === 'item').length;
  const shown = rows.slice(w.top, w.top + w.count).filter((r) => r.kind === 'item').length;
  expect(w.above + shown + w.below).toBe(items);
  expect(w.above > 0).toBe(w.top > 0);
  expect(w.below > 0).toBe(w.top + w.count < rows.length && rows.slice(w.top + w.count).some((r) => r.kind === 'item'));
  // No heading drawn as the last row with its items out of view.
  if (w.top + w.count < rows.length) expect(rows[w.top + w.count - 1].kind, `bottom row at cursor ${cursorRow}`).toBe('item');
  return w;
}

describe('listWindow', () => {
  it('draws everything, with no markers, when the list fits', () => {
    expect(listWindow(rowsOf([3, 3, 3]), 5, 12, 0)).toEqual({ top: 0, count: 12, above: 0, below: 0 });
  });

  it('walks every row down and up with the cursor drawn, markers counting what is hidden', () => {
    for (const sizes of [[3, 2, 4, 1, 6], [1, 1, 1, 1, 1, 1, 1, 1], [40], [2, 9, 2, 9]]) {
      const rows = rowsOf(sizes);
      const itemRows = rows.map((r, i) => (r.kind === 'item' ? i : -1)).filter((i) => i >= 0);
      for (const height of [4, 5, 8, 11, 17]) {
        let top = 0;
        for (const r of itemRows) top = check(rows, height, r, top).top;
        for (const r of [...itemRows].reverse()) top = check(rows, height, r, top).top;
      }
    }
  });

  it('says how many items are below on the first screen', () => {
    const rows = rowsOf([5, 5, 5]);
    const w = listWindow(rows, 1, 11, 0);
    expect(w.above).toBe(0);
    expect(w.below).toBeGreaterThan(0);
    expect(w.count).toBe(10);
  });

  it('does not leave a heading alone on the bottom row', () => {
    // Heading S1 would be row 9 of 10 drawn rows.
    const rows = rowsOf([8, 4]);
    const w = listWindow(rows, 1, 11, 0);
    expect(rows[w.top + w.count - 1].kind).toBe('item');
  });

  it('scrolls by about half a screen, not one row per move', () => {
    const rows = rowsOf([200]);
    let top = 0;
    const tops: number[] = [];
    for (let r = 1; r <= 100; r++) tops.push((top = listWindow(rows, r, 11, top).top));
    const scrolls = tops.filter((t, i) => i > 0 && t !== tops[i - 1]).length;
    expect(scrolls).toBeLessThanOrEqual(100 / 4 + 1);
  });
});

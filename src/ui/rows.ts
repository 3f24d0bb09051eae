// The item list as plain rows (section headings and items), and the window of rows that fits
// on screen. Pure, so the list component renders only what is visible whatever the list size.
import type { Item, Phase } from '../core/model.js';

export type Row = { kind: 'section'; title: string } | { kind: 'item'; item: Item; index: number };

export function matchesFilter(item: Item, filter: string): boolean {
  if (!filter) return true;
  const f = filter.toLowerCase();
  return [item.title, item.id, item.sectionTitle ?? '', item.notes ?? ''].some((t) => t.toLowerCase().includes(f));
}

/** Rows of a phase: a heading before each titled section, then its (filtered) items. */
export function phaseRows(phase: Phase, filter: string): { rows: Row[]; items: Item[] } {
  const rows: Row[] = [];
  const items: Item[] = [];
  for (const sec of phase.sections) {
    const visible = sec.items.filter((it) => matchesFilter(it, filter));
    if (!visible.length) continue;
    if (sec.title) rows.push({ kind: 'section', title: sec.title });
    for (const item of visible) {
      rows.push({ kind: 'item', item, index: items.length });
      items.push(item);
    }
  }
  return { rows, items };
}

/**
 * First row to show so the cursor's row is visible, moving the window as little as possible
 * (keeps the screen steady: a cursor move inside the window redraws two rows, not the list).
 * A section heading directly above the cursor is kept in view when it fits.
 */
export function windowTop(rowCount: number, cursorRow: number, height: number, prevTop: number): number {
  if (height <= 0 || rowCount <= height) return 0;
  let top = Math.min(Math.max(0, prevTop), rowCount - height);
  const want = Math.max(0, cursorRow - 1);
  if (want < top) top = want;
  if (cursorRow >= top + height) top = cursorRow - height + 1;
  return Math.max(0, Math.min(top, rowCount - height));
}

export function rowOfItem(rows: Row[], index: number): number {
  const r = rows.findIndex((x) => x.kind === 'item' && x.index === index);
  return r < 0 ? 0 : r;
}

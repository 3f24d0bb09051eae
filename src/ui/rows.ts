// The item list as plain rows (section headings and items), and the window of rows that fits
// on screen. Pure, so the list component renders only what is visible whatever the list size.
import type { Item, Phase } from '../core/model.js';
import { kindLabel } from '../core/describe.js';
import { safeLine } from '../core/safe-text.js';
import { fitMiddle, width as cols } from './fit.js';

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
 * First row to show so the cursor's row is visible. A move inside the window keeps it still (two
 * rows redrawn). Leaving it jumps the window by half its height, like vim's 'scrolljump': every
 * scroll rewrites the whole list, so scrolling one row per move would cost a full list of bytes
 * on every keystroke over SSH; this way it is paid once per half screen. A section heading
 * directly above the cursor is kept in view when it fits.
 */
export function windowTop(rowCount: number, cursorRow: number, height: number, prevTop: number): number {
  if (height <= 0 || rowCount <= height) return 0;
  const jump = Math.max(1, Math.floor(height / 2));
  let top = Math.min(Math.max(0, prevTop), rowCount - height);
  const want = Math.max(0, cursorRow - 1);
  if (want < top) top = Math.max(0, want - jump + 1);
  if (cursorRow >= top + height) top = cursorRow - height + jump;
  if (cursorRow >= top + height) top = cursorRow - height + 1;
  return Math.max(0, Math.min(top, rowCount - height));
}

export function rowOfItem(rows: Row[], index: number): number {
  const r = rows.findIndex((x) => x.kind === 'item' && x.index === index);
  return r < 0 ? 0 : r;
}

function pad(s: string, width: number): string {
  const n = [...s].length;
  return n >= width ? [...s].slice(0, width).join('') : s + ' '.repeat(width - n);
}

/** A section heading row, `width` columns: its title is checklist text, escaped before measuring. */
export function sectionRowText(title: string, width: number): string {
  // Shortened in the middle: sibling sections often differ only at the end of their titles.
  const head = `── ${fitMiddle(safeLine(title), width - 6)} `;
  return head + '─'.repeat(Math.max(0, width - cols(head)));
}

/** An item row: cursor, status mark, escaped title cut to fit, and the kind on the right. */
export function itemRowText(item: Item, mark: string, cursor: boolean, width: number): string {
  const tag = `${item.critical ? '!' : ' '}${kindLabel(item)}`;
  const title = pad(`${cursor ? '>' : ' '} ${mark} ${safeLine(item.title)}`, Math.max(0, width - tag.length - 1));
  return `${title} ${tag}`;
}

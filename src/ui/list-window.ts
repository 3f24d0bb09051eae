// Which rows of the item list are drawn, and the "↑ n more" / "↓ n more" markers around them.
// Pure, so the list component renders only what is visible whatever the list size.
import { windowTop, type Row } from './rows.js';

export interface ListWindow {
  /** First row drawn. */
  top: number;
  /** Rows drawn from `top`. */
  count: number;
  /** Items hidden above / below the drawn rows (0: no marker on that side). */
  above: number;
  below: number;
}

const itemsIn = (rows: readonly Row[], from: number, to: number) => rows.slice(from, to).filter((r) => r.kind === 'item').length;

/**
 * The window of a list of `rows` in `height` lines with the cursor on `cursorRow`. When the list
 * does not fit, a marker line says how many items are above / below, so a clipped list never
 * looks complete. Scrolling keeps windowTop's half-screen jumps (one full redraw per half screen,
 * docs/performance.md). A section heading is never the last row drawn while its items are below
 * it: the window scrolls one more row when the cursor allows, otherwise the heading is left out.
 */
export function listWindow(rows: readonly Row[], cursorRow: number, height: number, prevTop: number): ListWindow {
  const n = rows.length;
  const result = (top: number, count: number): ListWindow => ({
    top,
    count,
    above: itemsIn(rows, 0, top),
    below: itemsIn(rows, top + count, n),
  });
  // Too short for markers, or everything fits.
  if (height < 4 || n <= height) {
    const top = windowTop(n, cursorRow, height, prevTop);
    return result(top, Math.max(0, Math.min(height, n - top)));
  }
  // Rows drawn from `t`, after the markers it needs take their lines.
  const span = (t: number) => {
    let c = height - (t > 0 ? 1 : 0);
    if (t + c < n) c--;
    return Math.min(c, n - t);
  };
  const shows = (t: number) => cursorRow >= t && cursorRow < t + span(t);
  const maxTop = n - (height - 1);
  const jump = Math.max(1, Math.floor((height - 2) / 2));
  let top = Math.min(Math.max(0, prevTop), maxTop);
  // The heading just above the cursor stays in view when it can.
  const want = Math.max(0, cursorRow - 1);
  if (want < top) top = Math.max(0, want - jump + 1);
  if (!shows(top)) {
    while (top < maxTop && !shows(top)) top++;
    top = Math.min(maxTop, top + jump - 1);
    while (top > 0 && !shows(top)) top--;
  }
  // A marker in place of a single row hides it for nothing.
  if (top === 1) top = shows(0) ? 0 : 2;
  let count = span(top);
  if (rows[top + count - 1]?.kind === 'section') {
    const next = [top + 1, top + 2].find((t) => t !== 1 && t <= maxTop && shows(t) && rows[t + span(t) - 1]?.kind !== 'section');
    if (next !== undefined) {
      top = next;
      count = span(top);
    } else count--;
  }
  return result(top, count);
}

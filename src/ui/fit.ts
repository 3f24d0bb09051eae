// Width-aware shortening for one-line labels. Columns, not code points: a CJK character or an
// emoji takes two cells, so counting characters would let a title push the row past the edge.
import stringWidth from 'string-width';

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const graphemes = (s: string): string[] => [...segmenter.segment(s)].map((g) => g.segment);

/** Display width in terminal columns. */
export const width = (s: string): number => stringWidth(s);

/** The longest prefix of `parts` (graphemes) that fits in `room` columns. */
function take(parts: string[], room: number): string {
  let out = '';
  let used = 0;
  for (const g of parts) {
    const w = stringWidth(g);
    if (used + w > room) break;
    out += g;
    used += w;
  }
  return out;
}

/** The longest suffix of `parts` that fits in `room` columns. */
function takeEnd(parts: string[], room: number): string {
  let i = parts.length;
  let used = 0;
  while (i > 0 && used + stringWidth(parts[i - 1]) <= room) used += stringWidth(parts[--i]);
  return parts.slice(i).join('');
}

/**
 * `s` in at most `cols` columns, cut in the middle with `…` so both ends stay: sibling section
 * titles often share a long start ("Metrics Monitoring (Every 5 minutes …) › …") and differ only
 * at the end, which cutting the end would lose. The start gets the larger half.
 */
export function fitMiddle(s: string, cols: number): string {
  if (cols <= 0) return '';
  if (stringWidth(s) <= cols) return s;
  if (cols === 1) return '…';
  const parts = graphemes(s);
  const room = cols - 1;
  const head = take(parts, Math.ceil(room / 2)).trimEnd();
  const tail = takeEnd(parts, room - stringWidth(head)).trimStart();
  return `${head}…${tail}`;
}

/** `s` in at most `cols` columns, cut at the end with `…`. */
export function fitEnd(s: string, cols: number): string {
  if (cols <= 0) return '';
  if (stringWidth(s) <= cols) return s;
  return `${take(graphemes(s), cols - 1).trimEnd()}…`;
}

/** `s` cut or padded with spaces to exactly `cols` columns. */
export function padTo(s: string, cols: number): string {
  const t = fitEnd(s, cols);
  return t + ' '.repeat(Math.max(0, cols - stringWidth(t)));
}

// Markdown that would take the parser minutes. remark (micromark) is superlinear in nesting depth
// and in inline markup per paragraph: 1000 nested list levels take a minute and a gigabyte, a
// 100 KB line of "*a" more than a minute. Real checklists are nowhere near these limits (the
// busiest paragraph of the sample checklists has 240 such characters, the deepest list 4 levels),
// so documents past them are refused up front with the line to look at.

export const MAX_MARKDOWN_DEPTH = 100;
export const MAX_MARKUP_PER_PARAGRAPH = 4000;
export const MAX_MARKUP_TOTAL = 40_000;

const CONTAINER = /^[ \t]*(?:(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$)|>)[ \t]?/;
// Characters that open inline constructs the parser has to pair up.
const MARKUP = /[*_~[\]`<]/g;

function depthOf(line: string): number {
  const indent = line.length - line.trimStart().length;
  let rest = line;
  let depth = 0;
  for (let m = CONTAINER.exec(rest); m && m[0].length; m = CONTAINER.exec(rest)) {
    depth++;
    rest = rest.slice(m[0].length);
    if (depth > MAX_MARKDOWN_DEPTH) return depth;
  }
  // Indentation nests only under list items; a deeply indented code line is not a problem.
  return depth ? depth + Math.floor(indent / 2) : 0;
}

/** The first reason (and line) this Markdown is too costly to parse, or null. */
export function markdownTooCostly(text: string): { line: number; message: string } | null {
  const lines = text.split('\n');
  let paragraph = 0;
  let paragraphStart = 1;
  let total = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const depth = depthOf(line);
    if (depth > MAX_MARKDOWN_DEPTH)
      return { line: i + 1, message: `lists or quotes nested more than ${MAX_MARKDOWN_DEPTH} levels deep: this is not a checklist` };
    // A blank line ends a paragraph; so does a new list item (each item is its own paragraph).
    if (!line.trim() || depth) {
      paragraph = 0;
      paragraphStart = line.trim() ? i + 1 : i + 2;
      if (!line.trim()) continue;
    }
    const n = line.match(MARKUP)?.length ?? 0;
    paragraph += n;
    total += n;
    if (paragraph > MAX_MARKUP_PER_PARAGRAPH)
      return {
        line: paragraphStart,
        message: `more than ${MAX_MARKUP_PER_PARAGRAPH} markup characters (* _ ~ [ ] \` <) in one paragraph: this is not a checklist`,
      };
    if (total > MAX_MARKUP_TOTAL)
      return { line: i + 1, message: `more than ${MAX_MARKUP_TOTAL} markup characters (* _ ~ [ ] \` <): too much to be a checklist` };
  }
  return null;
}

// Nesting depth of YAML text, measured before parsing. The yaml parser recurses per level, so a
// document of 100k "[" overflows the stack (and reports hundreds of follow-on errors); no real
// checklist nests more than a dozen levels, so anything past MAX_YAML_DEPTH is refused up front
// with one clear line. The scan is approximate on purpose: it only has to catch absurd depths.

export const MAX_YAML_DEPTH = 100;

// A flow collection or quote can only open where a YAML token starts: at the start of the
// content or after one of these (so `title: Fix [WIP` or `run: test [ -f x ]` do not count).
const TOKEN_BEFORE = new Set([':', '-', '?', '[', '{', ',']);

/** Position of the first place nested deeper than `limit`, or null. */
export function tooDeep(text: string, limit = MAX_YAML_DEPTH): { line: number; col: number } | null {
  const indents: number[] = [];
  let flow = 0;
  let blockScalarIndent = -1; // inside `key: |` content: lines indented more than this are text
  const lines = text.split('\n');
  for (let ln = 0; ln < lines.length; ln++) {
    const line = lines[ln];
    const indent = line.length - line.trimStart().length;
    const content = line.slice(indent);
    if (!content || content.startsWith('#')) continue;
    if (blockScalarIndent >= 0) {
      if (indent > blockScalarIndent) continue;
      blockScalarIndent = -1;
    }
    if (flow === 0) {
      while (indents.length && indents[indents.length - 1] >= indent) indents.pop();
      indents.push(indent);
    }
    let depth = indents.length + flow;
    let prev = '';
    // Quotes are tracked per line: one stray quote cannot hide the rest of the file.
    let quote = '';
    for (let i = 0; i < content.length; i++) {
      const ch = content[i];
      if (quote) {
        if (ch === quote) quote = '';
        continue;
      }
      const atToken = prev === '' || TOKEN_BEFORE.has(prev);
      if (ch === '#' && (i === 0 || content[i - 1] === ' ')) break;
      if ((ch === '"' || ch === "'") && atToken) quote = ch;
      else if ((ch === '[' || ch === '{') && atToken) flow++;
      else if ((ch === ']' || ch === '}') && flow > 0) flow--;
      // "- - - x" nests a block sequence per dash on one line.
      else if (ch === '-' && atToken && (content[i + 1] === ' ' || i + 1 === content.length) && flow === 0) depth++;
      depth = Math.max(depth, indents.length + flow);
      if (depth > limit) return { line: ln + 1, col: indent + i + 1 };
      if (ch !== ' ' && ch !== '\t') prev = ch;
    }
    if (flow === 0 && /[:-]\s*[|>][-+0-9]*\s*(#.*)?$/.test(content)) blockScalarIndent = indent;
  }
  return null;
}

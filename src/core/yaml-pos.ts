// Maps a data path (['phases', 0, 'items', 2, 'run']) back to a line:col in the YAML source, so
// every problem points at the offending node rather than at the file.
import { isMap, isPair, isScalar, isSeq, LineCounter, type Document, type Node } from 'yaml';
import type { Pos } from './model.js';

type PathKey = string | number;

interface Located {
  node?: Node;
  key?: Node;
}

function locate(doc: Document, path: readonly PathKey[]): Located {
  let node: unknown = doc.contents;
  let key: Node | undefined;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) return { node: node, key };
      key = pair.key as Node;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const next = node.items[seg];
      if (next === undefined) return { node: node };
      key = undefined;
      node = next;
    } else {
      break;
    }
  }
  return { node: (node ?? undefined) as Node | undefined, key };
}

export class PositionFinder {
  constructor(
    private readonly doc: Document,
    private readonly lc: LineCounter,
    private readonly text = '',
  ) {}

  /** Position of `needle` inside the scalar at path (e.g. a ${VAR}), else of the scalar. */
  inValue(path: readonly PathKey[], needle: string): Pos {
    const { node } = locate(this.doc, path);
    const r = node?.range;
    if (r && this.text) {
      const i = this.text.slice(r[0], r[1]).indexOf(needle);
      if (i >= 0) return this.at(r[0] + i);
    }
    return this.value(path);
  }

  private at(offset: number | undefined): Pos {
    if (offset === undefined) return { line: 1, col: 1 };
    const p = this.lc.linePos(offset);
    return { line: p.line, col: p.col };
  }

  /** Position of the value at path (or of the deepest existing ancestor). */
  value(path: readonly PathKey[]): Pos {
    const { node, key } = locate(this.doc, path);
    return this.at(node?.range?.[0] ?? key?.range?.[0]);
  }

  /** Position of the key at path (falls back to the value). */
  key(path: readonly PathKey[]): Pos {
    const { node, key } = locate(this.doc, path);
    return this.at(key?.range?.[0] ?? node?.range?.[0]);
  }

  /** Position of a child key of the map at path, e.g. an unknown key. */
  childKey(path: readonly PathKey[], child: string): Pos {
    return this.key([...path, child]);
  }
}

/** What normalize needs of a finder (positions are looked up only for problems). */
export type Finder = Pick<PositionFinder, 'value' | 'key' | 'childKey' | 'inValue'>;

/** For the quick read (src/core/yaml-fast.ts): any problem sends the text the full way, which has positions. */
export const NO_POSITIONS: Finder = {
  value: () => ({ line: 1, col: 1 }),
  key: () => ({ line: 1, col: 1 }),
  childKey: () => ({ line: 1, col: 1 }),
  inValue: () => ({ line: 1, col: 1 }),
};

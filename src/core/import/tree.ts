// Headings → a tree, and the choice of which nodes are phases: the title is the one shallowest
// heading at the top; the next level that holds items (at any depth below it) gives the phases.
import type { Block, HeadingBlock } from './blocks.js';
import { cleanTitle } from './text.js';

export interface HNode {
  heading?: HeadingBlock;
  /** Cleaned heading text. */
  title: string;
  depth: number;
  content: Block[];
  children: HNode[];
}

export function headingTree(blocks: Block[]): HNode {
  const root: HNode = { title: '', depth: 0, content: [], children: [] };
  const stack: HNode[] = [root];
  for (const b of blocks) {
    if (b.kind === 'heading') {
      while (stack.length > 1 && stack[stack.length - 1].depth >= b.depth) stack.pop();
      const node: HNode = { heading: b, title: cleanTitle(b.text), depth: b.depth, content: [], children: [] };
      stack[stack.length - 1].children.push(node);
      stack.push(node);
    } else stack[stack.length - 1].content.push(b);
  }
  return root;
}

/** The title heading: the first heading, when no other heading is as shallow. */
export function titleNode(root: HNode): HNode | undefined {
  const first = root.children.at(0);
  if (!first) return undefined;
  const rivalIn = (n: HNode): boolean => n.children.some((c) => (c !== first && c.depth <= first.depth) || rivalIn(c));
  return rivalIn(root) ? undefined : first;
}

/** Every block of a subtree in document order, headings included. */
export function subtreeBlocks(n: HNode): Block[] {
  return [...(n.heading ? [n.heading] : []), ...n.content, ...n.children.flatMap(subtreeBlocks)];
}

/**
 * Phase candidates under the title. A lone wrapper heading whose children hold the items
 * ("## Checklist" around "### Pre-deploy", "### Deploy") is looked through.
 */
export function phaseCandidates(
  top: HNode[],
  produces: (n: HNode) => boolean,
  producesOwn: (n: HNode) => boolean,
  keep: (n: HNode) => boolean = () => false,
): HNode[] {
  let cands = top;
  for (;;) {
    const holding = cands.filter(produces);
    if (holding.length !== 1) return cands;
    const w = holding[0];
    if (producesOwn(w) || w.children.filter(produces).length < 2 || keep(w)) return cands;
    const shell: HNode = { ...w, children: [] };
    const i = cands.indexOf(w);
    cands = [...cands.slice(0, i), shell, ...w.children, ...cands.slice(i + 1)];
  }
}

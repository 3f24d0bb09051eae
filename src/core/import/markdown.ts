// Markdown → blocks, through the mdast tree remark builds (GFM: task lists, tables, fences).
// Structure (headings, lists, task boxes, code fences) comes only from the parser, so a `- [ ]`
// inside a fenced example is code, never an item.
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import type { Code, List, ListItem, Nodes, Paragraph, PhrasingContent, Root, RootContent } from 'mdast';
import type { Block, Child, CodeBlock, Entry, ListBlock, OtherBlock } from './blocks.js';

export function parseMarkdown(text: string): Root {
  return unified().use(remarkParse).use(remarkGfm).parse(text);
}

/** Plain text of inline content; inline code keeps its backticks so commands stay recognisable. */
export function phrasingText(nodes: PhrasingContent[]): string {
  return nodes
    .map((n): string => {
      switch (n.type) {
        case 'text':
          return n.value;
        case 'inlineCode':
          return `\`${n.value}\``;
        case 'break':
          return '\n';
        case 'image':
          return n.alt ?? '';
        case 'imageReference':
          return n.alt ?? '';
        case 'html':
        case 'footnoteReference':
          return '';
        default:
          return 'children' in n ? phrasingText(n.children) : '';
      }
    })
    .join('');
}

/** True when the subtree holds a GFM task box. */
export function hasTask(node: Nodes): boolean {
  if (node.type === 'listItem' && typeof node.checked === 'boolean') return true;
  return 'children' in node && (node.children as Nodes[]).some(hasTask);
}

/** Where a node is in the text: remark marks every node it parses, so one without is a bug. */
function positionOf(node: Nodes): NonNullable<Nodes['position']> {
  if (!node.position) throw new Error(`import: a parsed ${node.type} node has no position`);
  return node.position;
}

export class MarkdownBlocks {
  constructor(private readonly text: string) {}

  /** The node's Markdown source, later lines dedented by the node's own indentation. */
  source(node: Nodes): string {
    const p = positionOf(node);
    const raw = this.text.slice(p.start.offset, p.end.offset);
    const indent = p.start.column - 1;
    if (!indent) return raw;
    return raw
      .split('\n')
      .map((l, i) => (i === 0 ? l : l.replace(new RegExp(`^ {0,${indent}}`), '')))
      .join('\n');
  }

  private span(node: Nodes): { line: number; endLine: number } {
    const p = positionOf(node);
    return { line: p.start.line, endLine: p.end.line };
  }

  blocks(root: Root): Block[] {
    const out: Block[] = [];
    this.push(root.children, out);
    return out;
  }

  /** Depth of the last real heading: a bold pseudo-heading nests one level below it. */
  private depth = 0;

  private push(nodes: RootContent[], out: Block[]): void {
    nodes.forEach((n, i) => {
      const next = nodes.at(i + 1);
      switch (n.type) {
        case 'heading':
          this.depth = n.depth;
          out.push({ kind: 'heading', depth: n.depth, text: phrasingText(n.children), source: this.source(n), ...this.span(n) });
          return;
        case 'paragraph': {
          const text = phrasingText(n.children).trim();
          if (this.isPseudoHeading(n, text)) {
            out.push({ kind: 'heading', depth: Math.min(this.depth + 1, 7), text, source: this.source(n), ...this.span(n) });
            return;
          }
          if (this.isLabel(n, text) && next?.type === 'list') {
            out.push({ kind: 'label', text: text.replace(/\s*:$/, ''), source: this.source(n), ...this.span(n) });
          } else out.push({ ...this.other(n, 'prose', text), text });
          return;
        }
        case 'list':
          out.push(this.list(n));
          return;
        case 'code':
          out.push(this.code(n));
          return;
        case 'thematicBreak':
          out.push({ kind: 'dropped', what: 'horizontal rule', ...this.span(n) });
          return;
        case 'html': {
          // <details><summary>Useful commands</summary> … folds a section away, like a heading would.
          const summary = /<summary>([\s\S]*?)<\/summary>/i.exec(n.value);
          if (summary && summary[1].trim()) {
            out.push({ kind: 'heading', depth: 7, text: summary[1].replace(/<[^>]*>/g, '').trim(), source: n.value, ...this.span(n) });
            return;
          }
          if (/^\s*<\/?details>\s*$/i.test(n.value)) {
            out.push({ kind: 'dropped', what: 'HTML <details> tag', ...this.span(n) });
            return;
          }
          if (/^\s*<!--[\s\S]*-->\s*$/.test(n.value)) out.push({ kind: 'dropped', what: 'HTML comment', ...this.span(n) });
          else out.push(this.other(n, 'HTML', n.value));
          return;
        }
        case 'blockquote':
          // A quoted checklist is still a checklist: its boxes must not vanish into notes.
          if (hasTask(n)) this.push(n.children, out);
          else out.push(this.other(n, 'quote', ''));
          return;
        case 'table':
          out.push({ ...this.other(n, 'table', ''), rows: n.children.map((r) => r.children.map((c) => phrasingText(c.children).trim())) });
          return;
        default:
          out.push(this.other(n, n.type, ''));
      }
    });
  }

  /** `**Step 1 — Freeze deploys**` alone on its line: a heading written in bold. */
  private isPseudoHeading(p: Paragraph, text: string): boolean {
    return (
      p.children.length === 1 &&
      p.children[0].type === 'strong' &&
      this.oneLine(p) &&
      text.length > 0 &&
      text.length <= 80 &&
      !/[:.!?]$/.test(text)
    );
  }

  private oneLine(node: Nodes): boolean {
    const p = positionOf(node);
    return p.start.line === p.end.line;
  }

  private isLabel(p: Paragraph, text: string): boolean {
    return p.children[0]?.type === 'strong' && text.endsWith(':') && !text.includes('\n') && this.oneLine(p);
  }

  private other(n: Nodes, what: string, text: string): OtherBlock {
    return { kind: 'other', what, source: this.source(n), intro: /:\s*$/.test(text), ...this.span(n) };
  }

  code(n: Code): CodeBlock {
    const src = this.source(n);
    const fenced = /^\s*(```|~~~)/.test(src);
    return {
      kind: 'code',
      lang: (n.lang ?? '').toLowerCase(),
      value: n.value,
      firstLine: positionOf(n).start.line + (fenced ? 1 : 0),
      source: src,
      ...this.span(n),
    };
  }

  list(n: List): ListBlock {
    return {
      kind: 'list',
      ordered: n.ordered === true,
      entries: n.children.map((li) => this.entry(li)),
      source: this.source(n),
      ...this.span(n),
    };
  }

  private entry(li: ListItem): Entry {
    // An empty item (`- ` alone) has no children at all.
    const first = li.children.at(0);
    const rest = li.children.slice(1);
    const hasPara = first?.type === 'paragraph';
    const children: Child[] = [];
    const addChild = (c: Nodes) => {
      if (c.type === 'list') children.push(this.list(c));
      else if (c.type === 'code') children.push(this.code(c));
      else if (c.type === 'blockquote' && hasTask(c)) c.children.forEach(addChild);
      else if (c.type === 'paragraph') {
        const text = phrasingText(c.children).trim();
        children.push({ ...this.other(c, 'prose', text), text });
      } else children.push(this.other(c, c.type, ''));
    };
    (hasPara ? rest : li.children).forEach(addChild);
    return {
      task: typeof li.checked === 'boolean',
      text: hasPara ? phrasingText(first.children).trim() : '',
      source: hasPara ? this.source(first) : '',
      full: this.source(li),
      codes: hasPara ? inlineCodes(first.children) : [],
      children,
      ...this.span(li),
    };
  }
}

function inlineCodes(nodes: PhrasingContent[]): string[] {
  const out: string[] = [];
  for (const n of nodes) {
    if (n.type === 'inlineCode') out.push(n.value);
    else if ('children' in n) out.push(...inlineCodes(n.children));
  }
  return out;
}

// The intermediate form both front ends (Markdown via mdast, pasted plain text via lines) produce,
// so the mapping to phases/sections/items is written once. Line numbers are 1-based source lines.

export interface Span {
  line: number;
  endLine: number;
}

/** A fenced block (or, for plain text, a run of unfenced command lines). */
export interface CodeBlock extends Span {
  kind: 'code';
  /** Lowercased info-string language; '' when none. */
  lang: string;
  value: string;
  /** Source line of the first line of `value`. */
  firstLine: number;
  source: string;
}

/** Anything that is not structure: prose, tables, html, quotes, plain lists in a task document. */
export interface OtherBlock extends Span {
  kind: 'other';
  what: string;
  source: string;
  /** Text ends with ':' — it introduces what follows, so it belongs to the next item. */
  intro: boolean;
  /** Plain text of a paragraph (prose only). */
  text?: string;
  /** A table's cells as plain text, header row first. */
  rows?: string[][];
}

export interface ListBlock extends Span {
  kind: 'list';
  /** `1.` numbered list. */
  ordered?: boolean;
  entries: Entry[];
  source: string;
}

export interface Entry extends Span {
  /** A GFM task box ([ ] or [x]); in a document without boxes every bullet acts as one. */
  task: boolean;
  /** Plain text of the entry's first paragraph (inline code keeps its backticks). */
  text: string;
  /** The first paragraph's Markdown source. */
  source: string;
  /** The whole entry's source (marker, text and nested content). */
  full: string;
  /** Inline code spans of the first paragraph, as written between the backticks. */
  codes?: string[];
  children: Child[];
}

export type Child = ListBlock | CodeBlock | OtherBlock;

export interface HeadingBlock extends Span {
  kind: 'heading';
  depth: number;
  text: string;
  source: string;
}

/** `**Before Starting Work**:` directly followed by a list: a section title. */
export interface LabelBlock extends Span {
  kind: 'label';
  text: string;
  source: string;
}

/** Something deliberately left out (horizontal rules, HTML comments, empty bullets). */
export interface DroppedBlock extends Span {
  kind: 'dropped';
  what: string;
}

export type Block = HeadingBlock | ListBlock | CodeBlock | OtherBlock | LabelBlock | DroppedBlock;

export interface FrontEndResult {
  blocks: Block[];
  /** Title candidate from front matter, if any. */
  frontMatterTitle?: string;
  frontMatter?: Span;
}

export function spanOf(b: Span): string {
  return b.line === b.endLine ? `line ${b.line}` : `lines ${b.line}-${b.endLine}`;
}

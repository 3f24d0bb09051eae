// Markdown (or pasted plain text) → a runsheet checklist. Pure: the caller reads the file and
// supplies its sha256; docs/import.md describes the mapping.
import { parse as parseYaml } from 'yaml';
import { UserError } from '../errors.js';
import type { Span } from './blocks.js';
import { ChecklistBuilder, type OutChecklist } from './build.js';
import type { Root } from 'mdast';
import { hasTask, MarkdownBlocks, parseMarkdown } from './markdown.js';
import { markdownTooCostly } from './limits.js';
import { plainTextBlocks, plainTextSignals } from './plaintext.js';
import { emptySummary, formatSummary, type ImportSummary } from './summary.js';
import { checklistYaml } from './yaml-out.js';

export { formatSummary };
export type { ImportSummary, OutChecklist };

export interface ImportOptions {
  /** The source file as the operator named it (goes into the YAML header). */
  source: string;
  sourceSha256: string;
  /** Overrides the title taken from the document. */
  title?: string;
  /** Also offer `curl -f URL/health`-like commands as http items. */
  httpChecks?: boolean;
}

export interface ImportResult {
  yaml: string;
  doc: OutChecklist;
  summary: ImportSummary;
}

/** LF line endings, no BOM: line numbers stay those of the source. */
function normalizeText(text: string): string {
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}

/** Front matter is blanked (not cut) so every later line keeps its number. */
function stripFrontMatter(text: string): { text: string; span?: Span; title?: string } {
  const m = /^(---|\+\+\+)[ \t]*\n([\s\S]*?)\n(?:\1|\.\.\.)[ \t]*(?:\n|$)/.exec(text);
  if (!m) return { text };
  const lines = m[0].replace(/\n$/, '').split('\n').length;
  let title: string | undefined;
  if (m[1] === '---') {
    try {
      const data = parseYaml(m[2]) as unknown;
      if (data && typeof data === 'object' && typeof (data as { title?: unknown }).title === 'string')
        title = (data as { title: string }).title;
    } catch {
      // not YAML after all: still front matter by shape, just no title from it
    }
  }
  return { text: '\n'.repeat(lines) + text.slice(m[0].length), span: { line: 1, endLine: lines }, title };
}

/** Pasted plain text: no Markdown lists, fences or tables, but bullets or unfenced commands. */
export function detectPlainText(text: string): boolean {
  const t = normalizeText(text);
  return isPlainText(t, parseMarkdown(t));
}

function isPlainText(t: string, tree: Root): boolean {
  // "1. Database Migrations" on its own line parses as an ordered list, so those do not count.
  const markdowny = tree.children.some(
    (n) => (n.type === 'list' && !n.ordered) || n.type === 'code' || n.type === 'table' || n.type === 'blockquote' || hasTask(n),
  );
  if (markdowny) return false;
  const s = plainTextSignals(t);
  return s.bullets > 0 || s.commands >= 2;
}

function titleFromSource(source: string): string {
  const base = source.split(/[\\/]/).pop() ?? source;
  return (
    base
      .replace(/\.[^.]*$/, '')
      .replace(/[-_]+/g, ' ')
      .trim() || 'Imported checklist'
  );
}

export function importMarkdown(text: string, opts: ImportOptions): ImportResult {
  const normalized = normalizeText(text);
  const pathological = markdownTooCostly(normalized);
  if (pathological) throw new UserError(`${opts.source}:${pathological.line}: ${pathological.message}`);
  const fm = stripFrontMatter(normalized);
  // Parsed once: remark is the slow part of an import.
  const tree = parseMarkdown(fm.text);
  const plain = isPlainText(fm.text, tree);
  const summary = emptySummary(opts.source, plain ? 'plain text' : 'markdown');
  if (fm.span) summary.frontMatter = fm.span;
  const blocks = plain ? plainTextBlocks(fm.text) : new MarkdownBlocks(fm.text).blocks(tree);
  const builder = new ChecklistBuilder(
    blocks,
    {
      title: opts.title,
      frontMatterTitle: fm.title?.trim() || undefined,
      fallbackTitle: titleFromSource(opts.source),
      httpChecks: opts.httpChecks ?? false,
      plain,
    },
    summary,
  );
  const doc = builder.build();
  if (!doc.phases.length && doc.rollback) {
    // Only a rollback procedure: it is the checklist.
    doc.phases = [{ title: doc.rollback.title, sections: doc.rollback.sections }];
    delete doc.rollback;
    summary.phases = 1;
    summary.rollbackItems = 0;
  }
  if (!doc.phases.length) {
    throw new UserError(
      `${opts.source} holds no checklist: found no task boxes (- [ ]), bullets or shell code blocks to turn into items; pass a Markdown checklist`,
    );
  }
  return { yaml: checklistYaml(doc, opts.source, opts.sourceSha256), doc, summary };
}

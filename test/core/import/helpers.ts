// Helpers for import tests: an independent count of task boxes (straight from mdast, not through
// the importer) and flattening of the imported checklist object.
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import type { Nodes } from 'mdast';
import { importMarkdown } from '../../../src/core/import/index.js';
import type { OutChecklist, OutItem } from '../../../src/core/import/build.js';
import { loadChecklistText } from '../../../src/core/load.js';

/** GFM task-list items anywhere in the document; code fences are leaves, so boxes in them don't count. */
export function countTaskBoxes(md: string): number {
  const tree = unified().use(remarkParse).use(remarkGfm).parse(md);
  let n = 0;
  const walk = (node: Nodes) => {
    if (node.type === 'listItem' && typeof node.checked === 'boolean') n++;
    if ('children' in node) (node.children as Nodes[]).forEach(walk);
  };
  walk(tree);
  return n;
}

export function allOut(doc: OutChecklist): OutItem[] {
  const phases = doc.rollback ? [...doc.phases, doc.rollback] : doc.phases;
  return phases.flatMap((p) => p.sections.flatMap((s) => s.items));
}

export function kindOf(i: OutItem): 'run' | 'http' | 'record' | 'manual' {
  return i.run !== undefined ? 'run' : i.http ? 'http' : i.record ? 'record' : 'manual';
}

export function operatorItems(doc: OutChecklist): OutItem[] {
  return allOut(doc).filter((i) => kindOf(i) === 'manual' || kindOf(i) === 'record');
}

export function imp(md: string, opts: { title?: string; httpChecks?: boolean } = {}) {
  return importMarkdown(md, { source: 'fixture.md', sourceSha256: 'f'.repeat(64), ...opts });
}

/** Problems the real loader finds in the imported YAML (expected: none). */
export function problemsOf(yaml: string): string[] {
  return loadChecklistText(yaml, 'imported.yaml', { processEnv: {} }).problems.map((p) => `${p.line}:${p.col}: ${p.message}`);
}

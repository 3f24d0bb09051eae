// What an import did, for the operator: counts, sign-offs, and every piece of the source that did
// not become an item (moved to notes or a description, or skipped) with its line numbers.
import { spanOf, type Span } from './blocks.js';

export interface SummaryLine extends Span {
  what: string;
  /** Where it went: an item id, 'description', or undefined when skipped. */
  to?: string;
}

export interface ImportSummary {
  source: string;
  format: 'markdown' | 'plain text';
  title: string;
  phases: number;
  sections: number;
  items: { manual: number; record: number; run: number; http: number };
  rollbackItems: number;
  /** Task boxes (Markdown) or bullets (a document without boxes) that became items. */
  boxes: number;
  signoffs: { phase: string; roles: string[] }[];
  frontMatter?: Span;
  notes: SummaryLine[];
  skipped: SummaryLine[];
  /** ${NAME} rewritten in commands so runsheet does not interpolate them. */
  rewrites: string[];
}

export function emptySummary(source: string, format: ImportSummary['format']): ImportSummary {
  return {
    source,
    format,
    title: '',
    phases: 0,
    sections: 0,
    items: { manual: 0, record: 0, run: 0, http: 0 },
    rollbackItems: 0,
    boxes: 0,
    signoffs: [],
    notes: [],
    skipped: [],
    rewrites: [],
  };
}

export function formatSummary(s: ImportSummary): string {
  const total = s.items.manual + s.items.record + s.items.run + s.items.http;
  const kinds = (['manual', 'record', 'run', 'http'] as const).filter((k) => s.items[k]).map((k) => `${s.items[k]} ${k}`);
  const out = [
    `Imported ${s.source} (${s.format}${s.format === 'plain text' ? ', best effort: review the result' : ''}): "${s.title}"`,
    `  ${s.phases} phase${s.phases === 1 ? '' : 's'}, ${s.sections} section${s.sections === 1 ? '' : 's'}, ${total} item${total === 1 ? '' : 's'} (${kinds.join(', ') || 'none'})` +
      (s.rollbackItems ? `; rollback track: ${s.rollbackItems} item${s.rollbackItems === 1 ? '' : 's'}` : '; no rollback track'),
    `  ${s.boxes} ${s.format === 'markdown' && s.boxes ? 'task boxes' : 'bullets'} → manual/record items; every imported command asks for confirmation (confirm: true)`,
  ];
  if (s.frontMatter) out.push(`  front matter (${spanOf(s.frontMatter)}) skipped`);
  for (const so of s.signoffs) out.push(`  sign-off for "${so.phase}": ${so.roles.join(', ')}`);
  if (s.rewrites.length) out.push(`  commands: ${[...new Set(s.rewrites)].join(', ')} rewritten so runsheet leaves them to the shell`);
  if (s.notes.length) {
    out.push('Kept as notes:');
    for (const n of s.notes) out.push(`  ${spanOf(n)}: ${n.what} → ${n.to === 'description' ? 'checklist description' : `notes of ${n.to}`}`);
  }
  if (s.skipped.length) {
    out.push('Skipped:');
    const rules = s.skipped.filter((x) => x.what === 'horizontal rule');
    if (rules.length) out.push(`  line${rules.length > 1 ? 's' : ''} ${rules.map((r) => r.line).join(', ')}: horizontal rule${rules.length > 1 ? 's' : ''}`);
    for (const x of s.skipped.filter((y) => y.what !== 'horizontal rule')) out.push(`  ${spanOf(x)}: ${x.what}`);
  }
  return out.join('\n') + '\n';
}

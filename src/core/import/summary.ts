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
  /** Task boxes (Markdown) or bullets (a document without boxes) read outside reference sections. */
  boxes: number;
  signoffs: { phase: string; roles: string[] }[];
  frontMatter?: Span;
  notes: SummaryLine[];
  skipped: SummaryLine[];
  /** ${NAME} rewritten in commands so runsheet does not interpolate them. */
  rewrites: string[];
  /** Every heuristic decision, with the source lines it was made from. */
  decisions: Decision[];
  /** Reference entries (kept for reading, never run). */
  reference: number;
  /** Task boxes that became sign-off roles or context (not items). */
  boxesAsRoles: number;
  boxesAsContext: number;
  boxesInReference: number;
  /** The document has no task boxes: its bullets are the items. */
  bulletsAsItems: boolean;
}

export type DecisionKind =
  | 'reference'
  | 'environment'
  | 'choice'
  | 'gate'
  | 'sign-off'
  | 'destructive'
  | 'never-ending'
  | 'passes on failure'
  | 'placeholder'
  | 'shared shell state'
  | 'command'
  | 'record'
  | 'step';

export interface Decision extends Span {
  kind: DecisionKind;
  what: string;
}

const KIND_TITLES: Record<DecisionKind, string> = {
  reference: 'Reference (kept for reading under `reference`, never a phase or a runnable item)',
  environment: 'Environments (sections named for an environment → `environments` + `when: {env}`)',
  choice: 'Choices (alternatives and conditions → a `record: choice` item gating them with `when: {answer}`)',
  gate: 'Gates (approvals placed ahead of what they gate)',
  'sign-off': 'Sign-offs (roles, not tick items)',
  destructive: 'Destructive commands (critical: true, confirm: true)',
  'never-ending': 'Never-ending commands (not run: manual items with the command in notes)',
  'passes on failure': 'Commands that pass even when they fail (flagged in the item notes)',
  placeholder: 'Placeholders → vars declared without a value (runsheet asks for each when its item runs, or --set NAME=…)',
  'shared shell state': 'Commands sharing shell state (kept in one item)',
  command: 'Inline commands in task boxes → run items (confirm: true)',
  record: 'Blanks and ☐ choices outside task boxes → record items',
  step: 'Numbered procedure steps → items',
};

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
    decisions: [],
    reference: 0,
    boxesAsRoles: 0,
    boxesAsContext: 0,
    boxesInReference: 0,
    bulletsAsItems: false,
  };
}

export function formatSummary(s: ImportSummary): string {
  const total = s.items.manual + s.items.record + s.items.run + s.items.http;
  const kinds = (['manual', 'record', 'run', 'http'] as const).filter((k) => s.items[k]).map((k) => `${s.items[k]} ${k}`);
  const out = [
    `Imported ${s.source} (${s.format}${s.format === 'plain text' ? ', best effort: review the result' : ''}): "${s.title}"`,
    `  ${s.phases} phase${s.phases === 1 ? '' : 's'}, ${s.sections} section${s.sections === 1 ? '' : 's'}, ${total} item${total === 1 ? '' : 's'} (${kinds.join(', ') || 'none'})` +
      (s.rollbackItems ? `; rollback track: ${s.rollbackItems} item${s.rollbackItems === 1 ? '' : 's'}` : '; no rollback track'),
    `  ${s.boxes + s.boxesInReference} ${s.bulletsAsItems ? 'bullets' : 'task boxes'} → ${s.boxes - s.boxesAsRoles - s.boxesAsContext} items` +
      (s.boxesAsRoles ? `, ${s.boxesAsRoles} sign-off role${s.boxesAsRoles === 1 ? '' : 's'}` : '') +
      (s.boxesAsContext ? `, ${s.boxesAsContext} title${s.boxesAsContext === 1 ? '' : 's'} of the records below` : '') +
      (s.boxesInReference ? `, ${s.boxesInReference} in reference` : '') +
      '; every imported command asks for confirmation (confirm: true)',
  ];
  if (s.frontMatter) out.push(`  front matter (${spanOf(s.frontMatter)}) skipped`);
  for (const so of s.signoffs) out.push(`  sign-off for "${so.phase}": ${so.roles.join(', ')}`);
  if (s.rewrites.length) out.push(`  commands: ${[...new Set(s.rewrites)].join(', ')} rewritten so runsheet leaves them to the shell`);
  if (s.reference) out.push(`  ${s.reference} reference entr${s.reference === 1 ? 'y' : 'ies'} kept for reading (never run)`);
  const kinds2 = Object.keys(KIND_TITLES) as DecisionKind[];
  for (const k of kinds2) {
    const ds = s.decisions.filter((d) => d.kind === k);
    if (!ds.length) continue;
    out.push(`${KIND_TITLES[k]}:`);
    for (const d of ds) out.push(`  ${spanOf(d)}: ${d.what}`);
  }
  if (s.notes.length) {
    out.push('Kept as notes:');
    for (const n of s.notes)
      out.push(`  ${spanOf(n)}: ${n.what} → ${n.to === 'description' ? 'checklist description' : `notes of ${n.to}`}`);
  }
  if (s.skipped.length) {
    out.push('Skipped:');
    const rules = s.skipped.filter((x) => x.what === 'horizontal rule').sort((a, b) => a.line - b.line);
    if (rules.length)
      out.push(
        `  line${rules.length > 1 ? 's' : ''} ${rules.map((r) => r.line).join(', ')}: horizontal rule${rules.length > 1 ? 's' : ''}`,
      );
    for (const x of s.skipped.filter((y) => y.what !== 'horizontal rule')) out.push(`  ${spanOf(x)}: ${x.what}`);
  }
  return out.join('\n') + '\n';
}

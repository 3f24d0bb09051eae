// Blocks → the checklist object. The mapping rules live here (docs/import.md explains them):
// headings give phases and sections, every task box is exactly one operator item, shell fences
// give confirm-gated run items, and everything else becomes notes of the nearest item.
import type { Block, CodeBlock, Entry, ListBlock, Span } from './blocks.js';
import { spanOf } from './blocks.js';
import { slugify, uniqueIds } from '../slug.js';
import { escapeRunVars, httpCheckOf, isAssignmentsOnly, splitShell, type CommandGroup } from './shell.js';
import { cleanTitle, escapeTitleVars, hasBlank, isRollbackSectionTitle, isRollbackTitle, isSignoffTitle, phaseKey, recordSpec, roleOf, signoffLineRole } from './text.js';
import { headingTree, phaseCandidates, subtreeBlocks, titleNode, type HNode } from './tree.js';
import type { ImportSummary } from './summary.js';

export interface OutItem {
  id: string;
  title: string;
  run?: string;
  http?: { url: string; method?: 'HEAD' };
  record?: 'text' | 'number' | 'choice';
  unit?: string;
  options?: string[];
  confirm?: boolean;
  notes?: string;
}
export interface OutSection {
  title?: string;
  items: OutItem[];
}
export interface OutPhase {
  id?: string;
  title: string;
  signoff?: string[];
  sections: OutSection[];
}
export interface OutChecklist {
  version: 1;
  title: string;
  description?: string;
  phases: OutPhase[];
  rollback?: OutPhase;
}

interface ItemRec {
  item: OutItem;
  notes: string[];
}
interface PhaseRec {
  title: string;
  signoff: string[];
  sections: { title?: string; items: ItemRec[] }[];
}
interface Note extends Span {
  text: string;
  what: string;
}

const SHELL_LANGS = new Set(['bash', 'sh', 'shell', 'console', 'zsh', 'shell-session', 'shellsession']);
const SEP = ' › ';

export interface BuildOptions {
  title?: string;
  frontMatterTitle?: string;
  fallbackTitle: string;
  httpChecks: boolean;
}

export class ChecklistBuilder {
  private readonly bullets: boolean;
  private readonly ids = uniqueIds();
  private readonly phaseIds = uniqueIds();
  private readonly phases: PhaseRec[] = [];
  private rollback?: PhaseRec;
  private readonly description: string[] = [];
  private phase?: PhaseRec;
  private sectionTitle?: string;
  private sectionOpen = false;
  /** The section is a sign-off block: its entries name roles. */
  private signoffSection = false;
  private lastInPhase?: ItemRec;
  private last?: ItemRec;
  private pending: Note[] = [];
  private readonly groupsCache = new WeakMap<CodeBlock, ReturnType<typeof splitShell>>();

  constructor(
    private readonly blocks: Block[],
    private readonly opts: BuildOptions,
    private readonly summary: ImportSummary,
  ) {
    this.bullets = !blocks.some((b) => b.kind === 'list' && hasTaskEntry(b));
  }

  build(): OutChecklist {
    const root = headingTree(this.blocks);
    // A front-matter title names the document, so every heading is left to be a phase.
    const title = this.opts.frontMatterTitle ? undefined : titleNode(root);
    const top = title ? title.children : root.children;
    const topContent = [...root.content, ...(title?.content ?? [])];
    const checklistTitle = this.opts.title || this.opts.frontMatterTitle || title?.title || this.opts.fallbackTitle;
    this.summary.title = checklistTitle;
    const cands = phaseCandidates(top, (n) => this.nodeProduces(n), (n) => this.produces(n.content));
    const rollbackCount = cands.filter((c) => this.nodeProduces(c) && isRollbackTitle(c.title)).length;

    if (this.produces(topContent)) this.phaseFrom({ title: checklistTitle, depth: 0, content: topContent, children: [] });
    else this.toDescription(topContent);

    for (const c of cands) {
      if (!this.nodeProduces(c)) {
        if (!this.phases.length && !this.rollback) this.toDescription(subtreeBlocks(c));
        else this.nodeToNotes(c);
      } else if (isRollbackTitle(c.title)) this.rollbackFrom(c, rollbackCount > 1);
      else this.phaseFrom(c);
    }
    this.endPhase();
    if (this.pending.length && this.last) this.flushPendingTo(this.last);

    const out: OutChecklist = {
      version: 1,
      title: escapeTitleVars(checklistTitle),
      ...(this.description.length ? { description: this.description.join('\n\n') } : {}),
      phases: this.phases.map((p) => this.outPhase(p, this.phaseIds(phaseSlug(p.title)))),
    };
    if (this.rollback) {
      out.rollback = this.outPhase(this.rollback);
      this.summary.rollbackItems = this.rollback.sections.reduce((n, s) => n + s.items.length, 0);
    }
    this.summary.phases = this.phases.length;
    this.summary.sections = [...this.phases, ...(this.rollback ? [this.rollback] : [])].reduce((n, p) => n + p.sections.length, 0);
    for (const p of [...this.phases, ...(this.rollback ? [this.rollback] : [])]) {
      if (p.signoff.length) this.summary.signoffs.push({ phase: p.title, roles: p.signoff });
    }
    return out;
  }

  private outPhase(p: PhaseRec, id?: string): OutPhase {
    const sections = p.sections.map((s): OutSection => {
      const items = s.items.map((r) => (r.notes.length ? { ...r.item, notes: r.notes.join('\n\n') } : r.item));
      return s.title ? { title: escapeTitleVars(s.title), items } : { items };
    });
    return {
      ...(id ? { id } : {}),
      title: escapeTitleVars(p.title),
      ...(p.signoff.length ? { signoff: p.signoff } : {}),
      sections,
    };
  }

  // ---- what produces items ----------------------------------------------------------------

  private groups(c: CodeBlock) {
    let g = this.groupsCache.get(c);
    if (!g) this.groupsCache.set(c, (g = splitShell(c.value, c.firstLine, c.lang === 'console' || c.lang.startsWith('shell'))));
    return g;
  }

  private shellProduces(c: CodeBlock): boolean {
    return SHELL_LANGS.has(c.lang) && this.groups(c).groups.some((g) => !isAssignmentsOnly(g));
  }

  private entryProduces(e: Entry): boolean {
    if (e.task || this.bullets) return true;
    return e.children.some((c) => (c.kind === 'list' ? c.entries.some((x) => this.entryProduces(x)) : c.kind === 'code' && this.shellProduces(c)));
  }

  private produces(blocks: Block[]): boolean {
    return blocks.some((b) => (b.kind === 'list' ? b.entries.some((e) => this.entryProduces(e)) : b.kind === 'code' && this.shellProduces(b)));
  }

  private nodeProduces(n: HNode): boolean {
    return this.produces(n.content) || n.children.some((c) => this.nodeProduces(c));
  }

  // ---- phases and sections ----------------------------------------------------------------

  private endPhase(): void {
    if (this.pending.length && this.lastInPhase) this.flushPendingTo(this.lastInPhase);
    this.lastInPhase = undefined;
    this.phase = undefined;
  }

  private phaseFrom(n: HNode): void {
    this.endPhase();
    const rec: PhaseRec = { title: n.title || 'Checklist', signoff: [], sections: [] };
    this.phases.push(rec);
    this.walkSections(n, rec, [], undefined);
    this.endPhase();
  }

  private rollbackTrack(title: string): PhaseRec {
    if (!this.rollback) this.rollback = { title, signoff: [], sections: [] };
    return this.rollback;
  }

  private rollbackFrom(n: HNode, several: boolean): void {
    this.endPhase();
    const rec = this.rollbackTrack(several ? 'Rollback' : n.title);
    this.walkSections(n, rec, several ? [n.title] : [], undefined);
    this.endPhase();
  }

  /** One section per heading below the phase (titles joined with ›), in document order. */
  private walkSections(n: HNode, rec: PhaseRec, chain: string[], phaseTitleForSignoff: string | undefined): void {
    const ownTitle = chain.length ? chain.join(SEP) : undefined;
    this.enterSection(rec, ownTitle, chain.length ? chain[chain.length - 1] : phaseTitleForSignoff ?? rec.title);
    if (!this.produces(n.content)) {
      if (!n.content.length) {
        // a heading that only groups sub-headings: its title lives on in theirs
      } else if (n.heading && chain.length) this.note({ text: [n.heading.source, ...n.content.map(srcOf)].filter(Boolean).join('\n\n'), what: `section "${n.title}" (no items)`, line: n.heading.line, endLine: lastLine(n) }, false);
      else n.content.forEach((b) => this.block(b, []));
    } else this.sectionBlocks(n.content, rec, ownTitle);
    for (const c of n.children) {
      if (rec !== this.rollback && isRollbackSectionTitle(c.title) && this.nodeProduces(c)) {
        // A "Rollback" section inside a phase is the rollback procedure: it goes to the track.
        const saved = { phase: this.phase, last: this.lastInPhase };
        if (this.pending.length && this.lastInPhase) this.flushPendingTo(this.lastInPhase);
        const rb = this.rollbackTrack('Rollback');
        this.lastInPhase = undefined;
        this.walkSections(c, rb, [c.title], undefined);
        if (this.pending.length && this.lastInPhase) this.flushPendingTo(this.lastInPhase);
        this.phase = saved.phase;
        this.lastInPhase = saved.last;
        continue;
      }
      this.walkSections(c, rec, [...chain, c.title], undefined);
    }
  }

  private enterSection(rec: PhaseRec, title: string | undefined, signoffProbe: string): void {
    // Notes still waiting at the end of a section with items belong to that section's last item.
    if (this.sectionOpen && this.pending.length && this.lastInPhase) this.flushPendingTo(this.lastInPhase);
    this.phase = rec;
    this.sectionTitle = title;
    this.sectionOpen = false;
    this.signoffSection = isSignoffTitle(signoffProbe);
  }

  /** Section content, split at bold labels that head a list of items. */
  private sectionBlocks(blocks: Block[], rec: PhaseRec, title: string | undefined): void {
    blocks.forEach((b, i) => {
      const next = blocks[i + 1];
      if (b.kind === 'label' && next?.kind === 'list' && next.entries.some((e) => this.entryProduces(e))) {
        const label = cleanTitle(b.text);
        this.enterSection(rec, title ? `${title}${SEP}${label}` : label, label);
        return;
      }
      this.block(b, []);
    });
  }

  // ---- items ------------------------------------------------------------------------------

  private addItem(item: Omit<OutItem, 'id'>, kind: keyof ImportSummary['items']): ItemRec {
    const rec = this.phase!;
    if (!this.sectionOpen) {
      rec.sections.push({ title: this.sectionTitle, items: [] });
      this.sectionOpen = true;
    }
    const title = escapeTitleVars(item.title);
    const r: ItemRec = { item: { id: this.ids(slugify(title)), ...item, title }, notes: [] };
    rec.sections[rec.sections.length - 1].items.push(r);
    this.summary.items[kind]++;
    if (this.pending.length) this.flushPendingTo(r);
    this.lastInPhase = r;
    this.last = r;
    return r;
  }

  private block(b: Block, ctx: string[], owner?: ItemRec): void {
    switch (b.kind) {
      case 'list':
        this.list(b, ctx, owner);
        return;
      case 'code':
        if (this.shellProduces(b)) this.shell(b, ctx, owner);
        else this.note({ text: b.source, what: `code block${b.lang ? ` (${b.lang})` : ''}`, line: b.line, endLine: b.endLine }, false, owner);
        return;
      case 'other':
        this.note({ text: b.source, what: b.what, line: b.line, endLine: b.endLine }, b.intro, owner);
        return;
      case 'label':
        this.note({ text: b.source, what: 'label', line: b.line, endLine: b.endLine }, true, owner);
        return;
      case 'heading':
        this.note({ text: b.source, what: 'heading', line: b.line, endLine: b.endLine }, true, owner);
        return;
      case 'dropped':
        this.summary.skipped.push({ line: b.line, endLine: b.endLine, what: b.what });
        return;
    }
  }

  private list(l: ListBlock, ctx: string[], owner?: ItemRec): void {
    let plain: Entry[] = [];
    const flush = () => {
      if (!plain.length) return;
      const what = plain.every((e) => /^\[[^\]]*\]\([^)]*\)|^<?https?:\/\//.test(e.source.replace(/^\*\*[^*]*\*\*:?\s*/, ''))) ? 'link list' : 'list';
      this.note({ text: plain.map((e) => e.full).join('\n'), what, line: plain[0].line, endLine: plain[plain.length - 1].endLine }, false, owner);
      plain = [];
    };
    for (const e of l.entries) {
      if (this.entryProduces(e)) {
        flush();
        this.entry(e, ctx);
      } else plain.push(e);
    }
    flush();
  }

  private entry(e: Entry, ctx: string[]): void {
    const [firstLine, ...moreLines] = e.text.split('\n');
    if (!(e.task || this.bullets)) {
      // A plain bullet grouping task items: its text is context for their titles.
      const c = [...ctx, cleanTitle(firstLine) || `line ${e.line}`];
      for (const ch of e.children) this.block(ch, c);
      return;
    }
    this.summary.boxes++;
    const r = this.itemFor(e, firstLine, ctx);
    if (moreLines.length) r.rec.notes.push(moreLines.join('\n').trim());
    const childCtx = [...ctx, r.baseTitle];
    for (const ch of e.children) this.block(ch, childCtx, r.rec);
  }

  private itemFor(e: Entry, text: string, ctx: string[]): { rec: ItemRec; baseTitle: string } {
    const withCtx = (t: string) => [...ctx, t].join(SEP);
    const fallback = `Item at line ${e.line}`;
    const lineRole = signoffLineRole(text);
    if (this.signoffSection || lineRole) {
      const role = lineRole ?? roleOf(text);
      if (role) this.addRole(role);
      const base = hasBlank(text) ? `${role} sign-off` : cleanTitle(text) || fallback;
      return { rec: this.addItem({ title: withCtx(base) }, 'manual'), baseTitle: base };
    }
    const spec = recordSpec(text);
    if (spec) {
      const item: Omit<OutItem, 'id'> = { title: withCtx(spec.title), record: spec.record };
      if (spec.unit) item.unit = spec.unit;
      if (spec.options) item.options = spec.options;
      const rec = this.addItem(item, 'record');
      if (spec.note) rec.notes.push(spec.note);
      return { rec, baseTitle: spec.title };
    }
    const base = cleanTitle(text) || fallback;
    // "Record baseline numbers:" over plain bullets with blanks: one value to type.
    const blanksBelow = !this.bullets && e.children.some((c) => (c.kind === 'list' ? c.entries.some((x) => !this.entryProduces(x) && hasBlank(x.full)) : c.kind === 'other' && hasBlank(c.source)));
    if (blanksBelow) return { rec: this.addItem({ title: withCtx(base), record: 'text' }, 'record'), baseTitle: base };
    return { rec: this.addItem({ title: withCtx(base) }, 'manual'), baseTitle: base };
  }

  /** A sign-off block closes the phase it names ("Pre-Deployment Sign-Off"), else its own. */
  private addRole(role: string): void {
    const here = this.phase!;
    const key = this.signoffSection ? phaseKey(this.sectionTitle?.split(SEP).pop() ?? here.title) : '';
    const target = (key && this.phases.find((p) => p !== here && phaseKey(p.title) === key)) || here;
    if (!target.signoff.includes(role)) target.signoff.push(role);
  }

  private shell(c: CodeBlock, ctx: string[], owner?: ItemRec): void {
    const { groups, loose } = this.groups(c);
    const made: (ItemRec | undefined)[] = [];
    for (const g of groups) {
      if (isAssignmentsOnly(g)) {
        const text = ['```bash', ...g.comments.map((x) => `# ${x}`), g.script, '```'].join('\n');
        this.note({ text, what: 'environment variable example', line: g.line, endLine: g.endLine }, false, owner);
        made.push(undefined);
        continue;
      }
      made.push(this.runItem(g, ctx));
    }
    for (const l of loose) {
      const target = made.slice(0, l.after + 1).reverse().find(Boolean) ?? made.find(Boolean);
      this.note({ text: `# ${l.text}`, what: 'shell comment', line: l.line, endLine: l.line }, false, target ?? owner);
    }
  }

  private runItem(g: CommandGroup, ctx: string[]): ItemRec {
    const own = (g.comments[0] && cleanTitle(g.comments[0])) || commandTitle(g);
    const title = [...ctx, own].join(SEP);
    const run = escapeRunVars(g.script);
    for (const m of g.script.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)) this.summary.rewrites.push(`\${${m[1]}}`);
    const r = this.addItem({ title, run, confirm: true }, 'run');
    if (g.comments.length > 1) r.notes.push(g.comments.slice(1).join('\n'));
    if (g.output.length) r.notes.push(['Expected output:', '```', ...g.output, '```'].join('\n'));
    const check = this.opts.httpChecks ? httpCheckOf(g) : undefined;
    if (check) {
      const http: OutItem['http'] = check.method === 'HEAD' ? { url: check.url, method: 'HEAD' } : { url: check.url };
      this.addItem({ title: `${title} (HTTP check)`, http }, 'http');
    }
    return r;
  }

  // ---- notes ------------------------------------------------------------------------------

  /** Intro text waits for the next item; the rest joins the item before it (or the owner). */
  private note(n: Note, intro: boolean, owner?: ItemRec): void {
    if (!n.text.trim()) return;
    if (owner) return this.attach(n, owner);
    // What an intro line introduces waits with it; so does anything before a section's first item.
    if (intro || !this.lastInPhase || !this.sectionOpen || this.pending.length) this.pending.push(n);
    else this.attach(n, this.lastInPhase);
  }

  private attach(n: Note, r: ItemRec): void {
    r.notes.push(n.text.trim());
    this.summary.notes.push({ line: n.line, endLine: n.endLine, what: n.what, to: r.item.id });
  }

  private flushPendingTo(r: ItemRec): void {
    const p = this.pending;
    this.pending = [];
    p.forEach((n) => this.attach(n, r));
  }

  private nodeToNotes(n: HNode): void {
    const blocks = subtreeBlocks(n);
    if (blocks.length === 1 && n.heading) {
      this.summary.skipped.push({ line: n.heading.line, endLine: n.heading.endLine, what: `heading "${n.title}" with nothing under it` });
      return;
    }
    for (const b of blocks) if (b.kind === 'dropped') this.summary.skipped.push({ line: b.line, endLine: b.endLine, what: b.what });
    const text = blocks.map(srcOf).filter(Boolean).join('\n\n');
    if (this.last) this.attach({ text, what: `"${n.title}" (no items)`, line: n.heading?.line ?? blocks[0]?.line ?? 1, endLine: lastLine(n) }, this.last);
  }

  private toDescription(blocks: Block[]): void {
    for (const b of blocks) {
      if (b.kind === 'dropped') {
        this.summary.skipped.push({ line: b.line, endLine: b.endLine, what: b.what });
        continue;
      }
      const text = srcOf(b).trim();
      if (!text) continue;
      this.description.push(text);
      this.summary.notes.push({ line: b.line, endLine: b.endLine, what: b.kind === 'heading' ? `heading "${cleanTitle(b.text)}"` : b.kind === 'other' ? b.what : b.kind, to: 'description' });
    }
  }
}

function hasTaskEntry(l: ListBlock): boolean {
  return l.entries.some((e) => e.task || e.children.some((c) => c.kind === 'list' && hasTaskEntry(c)));
}

function srcOf(b: Block): string {
  return b.kind === 'dropped' ? '' : b.source;
}

function lastLine(n: HNode): number {
  const bs = subtreeBlocks(n);
  return bs.length ? Math.max(...bs.map((b) => b.endLine)) : (n.heading?.endLine ?? 1);
}

function phaseSlug(title: string): string {
  const s = slugify(title);
  return s === 'item' && !/item/i.test(title) ? 'phase' : s;
}

function commandTitle(g: CommandGroup): string {
  const head = g.heads[0].replace(/\s*\\$/, '');
  const short = head.length > 72 ? `${head.slice(0, 71)}…` : head;
  return g.commands > 1 ? `${short} (+${g.commands - 1} more)` : short;
}

export { spanOf };

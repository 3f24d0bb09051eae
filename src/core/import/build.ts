// Blocks → the checklist object. The mapping rules live here (docs/import.md explains them):
// headings give phases and sections, task boxes give operator items, shell fences and inline
// commands give confirm-gated run items; reference sections, environments, alternatives and
// approval gates are recognised first (classify.ts) so they land where an operator needs them.
import type { Block, CodeBlock, Entry, ListBlock, OtherBlock, Span } from './blocks.js';
import { spanOf } from './blocks.js';
import { slugify, uniqueIds } from '../slug.js';
import {
  escapeRunVars,
  httpCheckOf,
  isAssignmentsOnly,
  mergeSharedState,
  splitShell,
  type CommandGroup,
  type SharedStateMerge,
} from './shell.js';
import {
  cleanTitle,
  escapeTitleVars,
  hasBlank,
  isRollbackSectionTitle,
  isRollbackTitle,
  isSignoffTitle,
  phaseKey,
  recordSpec,
  roleOf,
  signoffLineRole,
} from './text.js';
import { headingTree, phaseCandidates, subtreeBlocks, titleNode, type HNode } from './tree.js';
import {
  alternativesOf,
  conditionReason,
  envsOf,
  gateReason,
  isDeployPhaseTitle,
  referenceReason,
  scenarioReason,
  startsWithVerb,
} from './classify.js';
import { destructiveReason, isSecretName, isShellCommand, neverEndingReason, replacePlaceholders, swallowedFailure } from './commands.js';
import type { DecisionKind, ImportSummary } from './summary.js';
import type { OutChecklist, OutEnvironment, OutItem, OutPhase, OutReference, OutSection, OutWhen } from './out.js';

export type { OutChecklist, OutItem, OutPhase, OutSection, OutReference } from './out.js';

interface ItemRec {
  item: OutItem;
  notes: string[];
}
interface PhaseRec {
  title: string;
  signoff: string[];
  sections: { title?: string; items: ItemRec[] }[];
  line: number;
}
interface Note extends Span {
  text: string;
  what: string;
}
interface Ctx {
  env?: string[];
  answer?: { item: string; is: string };
}

// "DBA approval is required", "Security sign-off needed": a named role must approve.
const PROSE_GATE = /\b((?:[A-Z][\w/&-]*\s+){0,3}[A-Z][\w/&-]*)\s+(?:approval|sign[- ]?off)\s+(?:is\s+)?(?:required|needed|mandatory)\b/g;
const PROSE_GATE_STOP = /^(?:Manual|Prior|Written|Formal|Final|Explicit|Additional|The|An|A|Approval|Sign|No|Any|This|Change)$/;
const SHELL_LANGS = new Set(['bash', 'sh', 'shell', 'console', 'zsh', 'shell-session', 'shellsession']);
const SEP = ' › ';
const BALLOT = /[☐□⬜]/g;

export interface BuildOptions {
  title?: string;
  frontMatterTitle?: string;
  fallbackTitle: string;
  httpChecks: boolean;
  plain?: boolean;
}

type ShellGroups = ReturnType<typeof splitShell> & { merges: SharedStateMerge[] };
type Plan = 'phase' | 'rollback' | 'reference' | 'env' | 'scenario' | 'gate' | 'none';

export class ChecklistBuilder {
  private readonly bullets: boolean;
  private readonly ids = uniqueIds();
  private readonly phaseIds = uniqueIds();
  private phases: PhaseRec[] = [];
  private rollback?: PhaseRec;
  private readonly description: string[] = [];
  private readonly reference: OutReference[] = [];
  private readonly vars = new Map<string, null>();
  private readonly secrets: string[] = [];
  private readonly envs = new Map<string, OutEnvironment>();
  private phase?: PhaseRec;
  private sectionTitle?: string;
  private sectionOpen = false;
  /** The section is a sign-off block: its entries name roles. */
  private signoffSection = false;
  private lastInPhase?: ItemRec;
  private last?: ItemRec;
  private pending: Note[] = [];
  private ctx: Ctx = {};
  /** Walking an approval gate: its roles sign off its own phase, whatever its title says. */
  private inGate = false;
  private readonly gatePhases = new Set<PhaseRec>();
  /** Options of choice records seen so far, by cleaned title: a heading with that title is gated. */
  private readonly optionTitles: Set<string>;
  private readonly optionGates = new Map<string, { item: string; is: string }>();
  /** Tick items that already took their commands. */
  private readonly stepped = new Set<ItemRec>();
  private readonly groupsCache = new WeakMap<CodeBlock, ShellGroups>();
  private readonly entryMemo = new WeakMap<Entry, boolean>();
  private readonly nodeMemo = new WeakMap<HNode, boolean>();

  constructor(
    private readonly blocks: Block[],
    private readonly opts: BuildOptions,
    private readonly summary: ImportSummary,
  ) {
    this.bullets = !blocks.some((b) => b.kind === 'list' && hasTaskEntry(b));
    this.optionTitles = new Set(choiceOptions(blocks).map(optionKey));
    summary.bulletsAsItems = this.bullets;
  }

  private decide(kind: DecisionKind, span: Span, what: string): void {
    this.summary.decisions.push({ kind, line: span.line, endLine: span.endLine, what });
  }

  build(): OutChecklist {
    const root = headingTree(this.blocks);
    // A front-matter title names the document, so every heading is left to be a phase.
    const title = this.opts.frontMatterTitle ? undefined : titleNode(root);
    const top = title ? title.children : root.children;
    const topContent = [...root.content, ...(title?.content ?? [])];
    const checklistTitle = this.opts.title || this.opts.frontMatterTitle || title?.title || this.opts.fallbackTitle;
    this.summary.title = checklistTitle;
    // "## Deploy" around "### Staging"/"### Production" is the deploy phase: not looked through.
    const envParent = (n: HNode) => n.children.filter((k) => this.nodeProduces(k)).every((k) => envsOf(k.title));
    const cands = phaseCandidates(
      top,
      (n) => this.nodeProduces(n),
      (n) => this.produces(n.content),
      envParent,
    );
    const plans = cands.map((c) => this.planOf(c));
    const rollbackCount = plans.filter((p) => p === 'rollback').length;
    const producing = cands.filter((_, i) => plans[i] === 'phase' || plans[i] === 'env');
    const perEnv = producing.length > 0 && producing.every((c) => envsOf(c.title));
    const deployCand = cands.find((c, i) => plans[i] === 'phase' && isDeployPhaseTitle(c.title));
    const built = new Map<HNode, PhaseRec>();
    const deferred: HNode[] = [];

    if (this.produces(topContent)) this.phaseFrom({ title: checklistTitle, depth: 0, content: topContent, children: [] });
    else this.toDescription(topContent);

    let seenPhase = false;
    let seenDeploy = false;
    cands.forEach((c, i) => {
      const plan = plans[i];
      if (plan === 'reference') {
        this.toReference(c, this.refReason(c, seenPhase) ?? 'reference');
        return;
      }
      if (plan === 'none') {
        if (!seenPhase) this.toDescription(subtreeBlocks(c));
        else this.toReference(c, 'no steps in it (nothing to tick or run)');
        return;
      }
      if (plan === 'rollback') {
        this.rollbackFrom(c, rollbackCount > 1);
        return;
      }
      if (plan === 'gate') return void deferred.push(c);
      if (perEnv && plan === 'env') return; // merged below
      if ((plan === 'env' || plan === 'scenario') && (seenDeploy || !seenPhase)) return void deferred.push(c);
      if (plan === 'env' || plan === 'scenario') {
        // Before the deploy: sections of the phase before it.
        this.blockInto(c, this.phases[this.phases.length - 1], plan);
        return;
      }
      seenPhase = true;
      if (c === deployCand) seenDeploy = true;
      built.set(c, this.phaseFrom(c, this.leadFor(c)));
    });
    if (perEnv) this.perEnvironment(producing);
    this.endPhase();

    // Readiness blocks (environment-specific, special scenarios) found after the deploy, and
    // approvals, go ahead of the phase they gate.
    const deployRec = deployCand ? built.get(deployCand) : undefined;
    for (const c of deferred) {
      const plan = plans[cands.indexOf(c)];
      const di = deployRec ? this.phases.indexOf(deployRec) : -1;
      if (plan === 'gate') {
        this.inGate = true;
        const rec = this.phaseFrom(c);
        this.inGate = false;
        this.gatePhases.add(rec);
        if (this.pending.length && !rec.sections.some((x) => x.items.length)) {
          // A block of roles only: its wording is the sign-off itself.
          for (const n of this.pending)
            this.summary.skipped.push({
              line: n.line,
              endLine: n.endLine,
              what: `${n.what} of sign-off block "${c.title}" (its roles are the sign-off)`,
            });
          this.pending = [];
        }
        this.phases.splice(this.phases.indexOf(rec), 1);
        const at = di >= 0 ? di : 0;
        this.phases.splice(at, 0, rec);
        const gated = this.phases.at(at + 1);
        this.decide(
          'gate',
          { line: c.heading?.line ?? 1, endLine: lastLine(c) },
          `"${c.title}" (${gateReason(c.title, textOf(c.content)) ?? 'approval'}) → placed ahead of ${gated ? `"${gated.title}"` : 'the phases'}`,
        );
        continue;
      }
      const target = this.phases.at(di > 0 ? di - 1 : 0);
      if (!target) {
        built.set(c, this.phaseFrom(c));
        continue;
      }
      this.blockInto(
        c,
        target,
        plan as 'env' | 'scenario',
        di > 0 ? `moved ahead of "${this.phases[di].title}" (it applies before deploying)` : undefined,
      );
    }
    this.endPhase();
    if (this.pending.length && this.last) this.flushPendingTo(this.last);
    this.proseGates(deployRec);
    this.dropEmptyPhases();

    const out: OutChecklist = {
      version: 1,
      title: escapeTitleVars(checklistTitle),
      ...(this.description.length ? { description: this.description.join('\n\n') } : {}),
      ...(this.vars.size ? { vars: Object.fromEntries(this.vars) } : {}),
      ...(this.secrets.length ? { secrets: this.secrets } : {}),
      ...(this.envs.size ? { environments: Object.fromEntries(this.envs) } : {}),
      phases: this.phases.map((p) => this.outPhase(p, this.phaseIds(phaseSlug(p.title)))),
    };
    if (this.rollback) {
      out.rollback = this.outPhase(this.rollback);
      this.summary.rollbackItems = this.rollback.sections.reduce((n, s) => n + s.items.length, 0);
    }
    if (this.reference.length) out.reference = this.reference;
    this.summary.reference = this.reference.length;
    this.summary.phases = this.phases.length;
    this.summary.sections = [...this.phases, ...(this.rollback ? [this.rollback] : [])].reduce((n, p) => n + p.sections.length, 0);
    for (const p of [...this.phases, ...(this.rollback ? [this.rollback] : [])]) {
      if (p.signoff.length) this.summary.signoffs.push({ phase: p.title, roles: p.signoff });
    }
    return out;
  }

  /**
   * "DBA approval is required before starting" in prose (an intro, a note, a quote): the DBA signs
   * off the phase ahead of the deploy (or the first phase). Reference text is not read for this.
   */
  private proseGates(deployRec: PhaseRec | undefined): void {
    const inReference = (b: Span) =>
      this.summary.decisions.some((d) => d.kind === 'reference' && b.line >= d.line && b.endLine <= d.endLine);
    for (const b of this.blocks) {
      if (b.kind !== 'other' || (b.what !== 'prose' && b.what !== 'quote') || inReference(b)) continue;
      for (const m of b.source.replace(/[*_`>]/g, '').matchAll(PROSE_GATE)) {
        const role = m[1].trim();
        if (PROSE_GATE_STOP.test(role.split(/\s+/)[0])) continue;
        const di = deployRec ? this.phases.indexOf(deployRec) : -1;
        const target = this.phases.at(di > 0 ? di - 1 : 0);
        if (!target) return;
        if (!target.signoff.includes(role)) target.signoff.push(role);
        this.decide(
          'gate',
          b,
          `"${m[0].trim()}" → sign-off role "${role}" of "${target.title}"${di > 0 ? `, ahead of "${this.phases[di].title}"` : ''}`,
        );
      }
    }
  }

  /** A phase left without items (its boxes were all sign-off roles) hands its roles to the phase before it. */
  private dropEmptyPhases(): void {
    const kept: PhaseRec[] = [];
    for (const p of this.phases) {
      if (p.sections.some((s) => s.items.length)) {
        kept.push(p);
        continue;
      }
      const prev = kept.at(-1);
      if (!prev && this.gatePhases.has(p)) {
        // A gate ahead of the first phase: it stays the first phase, with one item to close it.
        this.phase = p;
        this.sectionTitle = undefined;
        this.sectionOpen = false;
        this.ctx = {};
        this.addItem({ title: `Approvals obtained before starting (${p.signoff.join(', ')})` }, 'manual');
        kept.push(p);
        continue;
      }
      const to = prev ?? this.phases.find((q) => q !== p && q.sections.some((s) => s.items.length));
      if (to) for (const r of p.signoff) if (!to.signoff.includes(r)) to.signoff.push(r);
      if (p.signoff.length && to)
        this.decide('sign-off', { line: p.line, endLine: p.line }, `"${p.title}" holds only sign-off roles → roles of "${to.title}"`);
    }
    this.phases = kept;
  }

  private planOf(c: HNode): Plan {
    if (referenceReason(c.title)) return 'reference';
    if (!this.nodeProduces(c)) return 'none';
    // In a rollback runbook ("Incident rollback"), "Roll back" is the procedure, not a track beside it.
    // …and "Roll back" as one answer of "☐ Roll back ☐ Fix forward" is that path, gated by it.
    if (isRollbackTitle(c.title) && !isRollbackTitle(this.summary.title) && !this.optionTitles.has(optionKey(c.title))) return 'rollback';
    if (gateReason(c.title, textOf(c.content))) return 'gate';
    if (envsOf(c.title) || this.envWrapper(c)) return 'env';
    if (scenarioReason(c.title) && c.children.some((k) => this.nodeProduces(k))) return 'scenario';
    return 'phase';
  }

  /** "Environment-Specific Checklists" around "Staging Deployment" and "Production Deployment". */
  private envWrapper(c: HNode): boolean {
    // Only a heading that says so: "## Deploy" over "### Staging"/"### Production" is the deploy
    // phase with environment sections, not a block to move.
    if (!/\b(?:env(?:ironment)?s?|per[- ]env(?:ironment)?)\b|environment[- ]specific/i.test(c.title)) return false;
    const kids = c.children.filter((k) => this.nodeProduces(k));
    return kids.length > 0 && !this.produces(c.content) && kids.every((k) => envsOf(k.title));
  }

  private refReason(c: HNode, seenPhase: boolean): string | undefined {
    return referenceReason(c.title) ?? (seenPhase && !this.nodeProduces(c) ? 'no steps in it' : undefined);
  }

  /** A phase-level condition ("## Kubernetes (if applicable)") starts with its choice. */
  private leadFor(c: HNode): (() => void) | undefined {
    const why = conditionReason(c.title);
    return why ? () => this.condition(c, why) : undefined;
  }

  // ---- environments, conditions, alternatives ----------------------------------------------

  private declareEnvs(envs: string[], title: string, span: Span): void {
    for (const e of envs) {
      if (this.envs.has(e)) continue;
      this.envs.set(e, { description: cleanTitle(title), ...(e === 'production' ? { confirm: true } : {}) });
      this.decide(
        'environment',
        span,
        `"${cleanTitle(title)}" → environment ${e}${e === 'production' ? ' (confirm: true: a production run asks for its name)' : ''}`,
      );
    }
  }

  private withCtx<T>(ctx: Ctx, fn: () => T): T {
    const saved = this.ctx;
    this.ctx = { ...this.ctx, ...ctx };
    try {
      return fn();
    } finally {
      this.ctx = saved;
    }
  }

  /** Environment or scenario block placed as sections of `target`. */
  private blockInto(c: HNode, target: PhaseRec | undefined, plan: 'env' | 'scenario', moved?: string): void {
    if (!target) {
      this.phaseFrom(c);
      return;
    }
    this.endPhase();
    const span = { line: c.heading?.line ?? 1, endLine: lastLine(c) };
    if (moved) this.decide(plan === 'env' ? 'environment' : 'choice', span, `"${c.title}" ${moved}: sections of "${target.title}"`);
    else
      this.decide(plan === 'env' ? 'environment' : 'choice', span, `"${c.title}" → sections of "${target.title}" (not a phase of its own)`);
    const envs = plan === 'env' ? envsOf(c.title) : undefined;
    if (envs) this.envSection(c, envs, target, []);
    else if (plan === 'env') {
      this.walkOwn(c, target, [c.title]);
      for (const k of c.children) this.child(k, target, [c.title]);
    } else this.scenarios(c, target, []);
    this.endPhase();
  }

  private walkOwn(n: HNode, rec: PhaseRec, chain: string[]): void {
    this.enterSection(rec, chain.join(SEP), chain[chain.length - 1]);
    if (this.produces(n.content)) this.sectionBlocks(n.content, rec, chain.join(SEP));
    else n.content.forEach((b) => this.block(b, []));
  }

  private envSection(c: HNode, envs: string[], rec: PhaseRec, chain: string[]): void {
    this.declareEnvs(envs, c.title, { line: c.heading?.line ?? 1, endLine: c.heading?.endLine ?? 1 });
    this.withCtx({ env: envs }, () => this.walkSections(c, rec, [...chain, c.title]));
  }

  private scenarios(c: HNode, rec: PhaseRec, chain: string[]): void {
    const why = scenarioReason(c.title) ?? 'scenario';
    this.walkOwn(c, rec, [...chain, c.title]);
    for (const k of c.children) {
      if (!this.nodeProduces(k)) {
        this.child(k, rec, [...chain, c.title]);
        continue;
      }
      this.walkSections(k, rec, [...chain, c.title, k.title], () => this.condition(k, `a scenario under "${c.title}", ${why}`));
    }
  }

  /** A yes/no choice first; what follows in the section applies when the answer is Yes. */
  private condition(n: { title: string; heading?: Span }, why: string): void {
    const id = this.addChoice(`Does this apply? ${n.title}`, ['Yes', 'No'], n.heading ?? { line: 1, endLine: 1 }, `"${n.title}" (${why})`);
    this.ctx = { ...this.ctx, answer: { item: id, is: 'Yes' } };
  }

  private addChoice(title: string, options: string[], span: Span, what: string): string {
    const r = this.addItem({ title, record: 'choice', options }, 'record');
    this.decide('choice', span, `${what} → choice ${r.item.id} [${options.join(', ')}] gating what follows`);
    return r.item.id;
  }

  /** A document made only of environment sections: their sub-sections, merged by title, are the phases. */
  private perEnvironment(envNodes: HNode[]): void {
    const seqs = envNodes.map((e) => {
      const kids: { key: string; node: HNode }[] = [];
      if (this.produces(e.content)) kids.push({ key: '', node: { ...e, children: [] } });
      for (const k of e.children) {
        const reason = referenceReason(k.title);
        if (reason) this.toReference(k, reason, e.title);
        else if (this.nodeProduces(k)) kids.push({ key: cleanTitle(k.title).toLowerCase(), node: k });
      }
      return kids;
    });
    const order = mergeOrder(seqs.map((s) => s.map((k) => k.key)));
    const titleOf = new Map<string, string>();
    for (const s of seqs) for (const k of s) if (!titleOf.has(k.key)) titleOf.set(k.key, k.key ? k.node.title : this.summary.title);
    for (const key of order) {
      this.endPhase();
      // Every key of the order came from a sequence, so it has a title.
      const rec: PhaseRec = { title: titleOf.get(key) ?? key, signoff: [], sections: [], line: 0 };
      this.phases.push(rec);
      envNodes.forEach((e, i) => {
        const k = seqs[i].find((x) => x.key === key);
        // The nodes are environment sections (the caller's plan), so each names its environments.
        const envs = envsOf(e.title);
        if (!k || !envs) return;
        if (!rec.line) rec.line = k.node.heading?.line ?? 1;
        this.declareEnvs(envs, e.title, { line: e.heading?.line ?? 1, endLine: e.heading?.endLine ?? 1 });
        this.withCtx({ env: envs }, () => (key ? this.walkSections(k.node, rec, [e.title]) : this.walkOwn(k.node, rec, [e.title])));
      });
      this.endPhase();
    }
    const span = { line: envNodes[0].heading?.line ?? 1, endLine: lastLine(envNodes[envNodes.length - 1]) };
    this.decide(
      'environment',
      span,
      `every phase-level heading names an environment: their sub-sections merged into ${order.length} phase(s) in order, one section per environment`,
    );
  }

  // ---- what produces items ----------------------------------------------------------------

  private groups(c: CodeBlock): ShellGroups {
    let g = this.groupsCache.get(c);
    if (!g) {
      const raw = splitShell(c.value, c.firstLine, c.lang === 'console' || c.lang.startsWith('shell'));
      const merged = mergeSharedState(raw.groups);
      // Loose comments index groups; re-point them at the merged group that holds their neighbour.
      const at = (i: number) =>
        i < 0 ? -1 : merged.groups.findIndex((g2) => g2.line <= raw.groups[i].line && g2.endLine >= raw.groups[i].endLine);
      g = { groups: merged.groups, loose: raw.loose.map((l) => ({ ...l, after: at(l.after) })), merges: merged.merges };
      this.groupsCache.set(c, g);
    }
    return g;
  }

  private shellProduces(c: CodeBlock): boolean {
    return SHELL_LANGS.has(c.lang) && this.groups(c).groups.some((g) => !isAssignmentsOnly(g));
  }

  /** A plain bullet that is still something to do: a blank to fill, ☐ choices, a sign-off line, a numbered step. */
  private plainProduces(e: Entry, ordered: boolean): boolean {
    const first = e.text.split('\n')[0];
    if (hasBlank(first) || (first.match(BALLOT)?.length ?? 0) >= 2 || signoffLineRole(first)) return true;
    return ordered && startsWithVerb(first) && first.length <= 200;
  }

  private entryProduces(e: Entry, ordered = false): boolean {
    // Asked again and again while headings are classified: remembered per entry.
    const known = this.entryMemo.get(e);
    if (known !== undefined) return known;
    const v =
      e.task ||
      this.bullets ||
      this.plainProduces(e, ordered) ||
      e.children.some((c) =>
        c.kind === 'list'
          ? c.entries.some((x) => this.entryProduces(x, c.ordered))
          : c.kind === 'code'
            ? this.shellProduces(c)
            : this.otherProduces(c),
      );
    this.entryMemo.set(e, v);
    return v;
  }

  private otherProduces(b: OtherBlock): boolean {
    if (b.what === 'prose' && b.text) return b.text.split('\n').some((l) => lineHasValue(l));
    if (b.rows && isSignoffTable(b.rows[0])) return b.rows.length > 1;
    if (b.rows) return b.rows.slice(1).some((r) => r.some((c) => lineHasValue(c) || /^\s*(?:[☐□⬜]|\[ ?\])\s*$/.test(c)));
    return false;
  }

  private produces(blocks: Block[]): boolean {
    return blocks.some((b) =>
      b.kind === 'list'
        ? b.entries.some((e) => this.entryProduces(e, b.ordered))
        : b.kind === 'code'
          ? this.shellProduces(b)
          : b.kind === 'other' && this.otherProduces(b),
    );
  }

  private nodeProduces(n: HNode): boolean {
    const known = this.nodeMemo.get(n);
    if (known !== undefined) return known;
    const v = !referenceReason(n.title) && (this.produces(n.content) || n.children.some((c) => this.nodeProduces(c)));
    this.nodeMemo.set(n, v);
    return v;
  }

  // ---- phases and sections ----------------------------------------------------------------

  private endPhase(): void {
    if (this.pending.length && this.lastInPhase) this.flushPendingTo(this.lastInPhase);
    this.lastInPhase = undefined;
    this.phase = undefined;
  }

  private phaseFrom(n: HNode, lead?: () => void): PhaseRec {
    this.endPhase();
    const rec: PhaseRec = { title: n.title || 'Checklist', signoff: [], sections: [], line: n.heading?.line ?? 1 };
    this.phases.push(rec);
    this.walkSections(n, rec, [], lead);
    this.endPhase();
    return rec;
  }

  private rollbackTrack(title: string): PhaseRec {
    if (!this.rollback) this.rollback = { title, signoff: [], sections: [], line: 0 };
    return this.rollback;
  }

  private rollbackFrom(n: HNode, several: boolean): void {
    this.endPhase();
    const rec = this.rollbackTrack(several ? 'Rollback' : n.title);
    this.walkSections(n, rec, several ? [n.title] : []);
    this.endPhase();
  }

  /** One section per heading below the phase (titles joined with ›), in document order. */
  private walkSections(n: HNode, rec: PhaseRec, chain: string[], lead?: () => void): void {
    const saved = this.ctx;
    const byOption = this.optionGates.get(optionKey(n.title));
    if (byOption && !this.ctx.answer) {
      this.ctx = { ...this.ctx, answer: { ...byOption } };
      this.decide(
        'choice',
        n.heading ?? { line: 1, endLine: 1 },
        `"${n.title}" is option "${byOption.is}" of choice ${byOption.item} → gated by its answer`,
      );
    }
    const ownTitle = chain.length ? chain.join(SEP) : undefined;
    this.enterSection(rec, ownTitle, chain.length ? chain[chain.length - 1] : rec.title);
    lead?.();
    if (!this.produces(n.content)) {
      if (!n.content.length) {
        // a heading that only groups sub-headings: its title lives on in theirs
      } else if (n.heading && chain.length)
        this.note(
          {
            text: [n.heading.source, ...n.content.map(srcOf)].filter(Boolean).join('\n\n'),
            what: `section "${n.title}" (no items)`,
            line: n.heading.line,
            endLine: lastLine(n),
          },
          false,
        );
      else n.content.forEach((b) => this.block(b, []));
    } else this.sectionBlocks(n.content, rec, ownTitle);
    const producing = n.children.filter((c) => this.nodeProduces(c));
    const alts = rec === this.rollback ? undefined : alternativesOf(producing.map((c) => c.title));
    const altNodes = alts ? alts.indexes.map((i) => producing[i]) : [];
    let altChoice: string | undefined;
    for (const c of n.children) {
      if (alts && altNodes.includes(c)) {
        const options = altNodes.map((a) => cleanTitle(a.title));
        this.withCtx({}, () =>
          this.walkSections(c, rec, [...chain, c.title], () => {
            if (!altChoice)
              altChoice = this.addChoice(
                `Which one applies: ${options.join(' or ')}?`,
                options,
                c.heading ?? { line: 1, endLine: 1 },
                `sections ${options.map((o) => `"${o}"`).join(', ')} (${alts.reason})`,
              );
            this.ctx = { ...this.ctx, answer: { item: altChoice, is: cleanTitle(c.title) } };
          }),
        );
        continue;
      }
      this.child(c, rec, chain);
    }
    this.ctx = saved;
  }

  private child(c: HNode, rec: PhaseRec, chain: string[]): void {
    const ref = referenceReason(c.title);
    if (ref) {
      this.toReference(c, ref, chain.join(SEP) || rec.title);
      return;
    }
    if (rec !== this.rollback && isRollbackSectionTitle(c.title) && this.nodeProduces(c)) {
      // A "Rollback" section inside a phase is the rollback procedure: it goes to the track.
      const saved = { phase: this.phase, last: this.lastInPhase, ctx: this.ctx };
      this.flushPendingToLast();
      const rb = this.rollbackTrack('Rollback');
      this.lastInPhase = undefined;
      this.ctx = {};
      this.walkSections(c, rb, [c.title]);
      this.flushPendingToLast();
      this.phase = saved.phase;
      this.lastInPhase = saved.last;
      this.ctx = saved.ctx;
      return;
    }
    const envs = rec !== this.rollback ? envsOf(c.title) : undefined;
    if (envs && this.nodeProduces(c)) {
      this.envSection(c, envs, rec, chain);
      return;
    }
    if (rec !== this.rollback && scenarioReason(c.title) && c.children.some((k) => this.nodeProduces(k))) {
      this.withCtx({}, () => this.scenarios(c, rec, chain));
      return;
    }
    const cond = rec !== this.rollback && this.nodeProduces(c) ? conditionReason(c.title) : undefined;
    if (cond) {
      this.withCtx({}, () => this.walkSections(c, rec, [...chain, c.title], () => this.condition(c, cond)));
      return;
    }
    this.walkSections(c, rec, [...chain, c.title]);
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
    const base = this.ctx;
    blocks.forEach((b, i) => {
      const next = blocks.at(i + 1);
      if (b.kind === 'label' && next?.kind === 'list' && next.entries.some((e) => this.entryProduces(e, next.ordered))) {
        const label = cleanTitle(b.text);
        this.ctx = base;
        this.enterSection(rec, title ? `${title}${SEP}${label}` : label, label);
        // "**S3** (if using):" over its list is a condition like an "(if applicable)" heading.
        const why = rec === this.rollback ? undefined : conditionReason(label);
        if (why) this.condition({ title: label, heading: b }, why);
        return;
      }
      this.block(b, []);
    });
  }

  // ---- items ------------------------------------------------------------------------------

  /** The phase being built: items and roles only arise inside one. */
  private currentPhase(): PhaseRec {
    if (!this.phase) throw new Error('import: an item outside any phase');
    return this.phase;
  }

  private addItem(item: Omit<OutItem, 'id'>, kind: keyof ImportSummary['items']): ItemRec {
    const rec = this.currentPhase();
    if (!this.sectionOpen) {
      rec.sections.push({ title: this.sectionTitle, items: [] });
      this.sectionOpen = true;
    }
    const title = escapeTitleVars(item.title);
    const when: OutWhen = {};
    // Fresh objects per item: a shared one would come out as a YAML anchor and aliases.
    if (this.ctx.env) when.env = this.ctx.env.length === 1 ? this.ctx.env[0] : [...this.ctx.env];
    if (this.ctx.answer) when.answer = { ...this.ctx.answer };
    const r: ItemRec = { item: { id: this.ids(slugify(title)), ...item, title, ...(when.env || when.answer ? { when } : {}) }, notes: [] };
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
        else
          this.note({ text: b.source, what: `code block${b.lang ? ` (${b.lang})` : ''}`, line: b.line, endLine: b.endLine }, false, owner);
        return;
      case 'other':
        if (this.otherProduces(b)) {
          // What produces is a table (rows) or prose (its text).
          if (b.rows) this.tableRecords(b, b.rows, ctx);
          else this.proseRecords(b, b.text ?? '', ctx, owner);
          return;
        }
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

  /** `**Approval Date:** ____` lines in a paragraph: one record (or sign-off role) per line with a blank. */
  private proseRecords(b: OtherBlock, text: string, ctx: string[], owner?: ItemRec): void {
    const lines = text.split('\n');
    const rest: string[] = [];
    lines.forEach((l, i) => {
      const line = b.line + Math.min(i, b.endLine - b.line);
      if (!lineHasValue(l)) return void rest.push(l);
      this.valueItem(l, ctx, { line, endLine: line }, 'paragraph', !this.signoffSection);
    });
    const left = rest.join('\n').trim();
    if (left) this.note({ text: left, what: 'prose', line: b.line, endLine: b.endLine }, b.intro, owner);
  }

  /**
   * A table with something to do in its cells: a blank → a record, `☐ A ☐ B` → a choice, a lone
   * ☐ / [ ] → the row is a step to tick; a sign-off table's rows are roles. Titles are row › column.
   * The table itself is kept, as a table, in the notes of its first item.
   */
  private tableRecords(b: OtherBlock, table: string[][], ctx: string[]): void {
    const [head, ...rows] = table;
    const signoffTable = this.signoffSection || isSignoffTable(head);
    const titleCol = rowTitleColumn(head, rows);
    let first: ItemRec | undefined;
    rows.forEach((r, ri) => {
      const line = Math.min(b.line + 2 + ri, b.endLine);
      const span = { line, endLine: line };
      const rowTitle = cleanTitle(r[titleCol] ?? '') || `Row ${ri + 1}`;
      if (signoffTable && r[0]) {
        this.addRole(cleanTitle(r[0]), span, 'sign-off table row');
        return;
      }
      r.forEach((cell, ci) => {
        if (ci === titleCol) return;
        let rec: ItemRec | undefined;
        const box = /^\s*(?:[☐□⬜]|\[ ?\])\s*$/.test(cell);
        // A cell with a value reads as "Value: …", which recordSpec always makes a record of.
        const spec = !box && lineHasValue(cell) ? recordSpec(`Value: ${cell}`) : undefined;
        if (box) {
          rec = this.addItem({ title: [...ctx, rowTitle].join(SEP) }, 'manual');
          this.decide('record', span, `table row "${rowTitle}" with a ☐ → tick item ${rec.item.id}`);
        } else if (spec) {
          const title = [rowTitle, cleanTitle(head[ci] ?? '')].filter(Boolean).join(SEP);
          rec = this.recordItem({ ...spec, title, note: undefined }, ctx);
          this.decide('record', span, `table cell "${title}" → ${spec.record}${spec.unit ? ` (${spec.unit})` : ''} ${rec.item.id}`);
        }
        first ??= rec;
      });
    });
    if (first) first.notes.push(b.source);
  }

  private recordItem(spec: NonNullable<ReturnType<typeof recordSpec>>, ctx: string[]): ItemRec {
    const item: Omit<OutItem, 'id'> = { title: [...ctx, spec.title].join(SEP), record: spec.record };
    if (spec.unit) item.unit = spec.unit;
    if (spec.options) item.options = spec.options;
    const rec = this.addItem(item, 'record');
    // "Decision: ☐ Roll back ☐ Fix forward": a later heading named for an option is gated by it.
    for (const o of spec.options ?? []) {
      const k = optionKey(o);
      if (k && !this.optionGates.has(k)) this.optionGates.set(k, { item: rec.item.id, is: o });
    }
    if (spec.note) rec.notes.push(spec.note);
    return rec;
  }

  /** One line with a blank, ☐ choices or a `Role: ___ Date: ___` shape, outside a task box. */
  private valueItem(text: string, ctx: string[], span: Span, where: string, noRoles = false): ItemRec | undefined {
    const plain = text.trim();
    // "Drill lead: ___ · Date: ___" in a header paragraph is a field to fill, not a sign-off.
    const role = noRoles ? undefined : signoffLineRole(plain);
    if (role) {
      this.addRole(role, span, `${where} "${plain.slice(0, 60)}"`);
      return undefined;
    }
    // "Drill lead: ___ · Date: ___": one record per field.
    const fields = plain.split(/\s+[·|;]\s+/);
    if (fields.length > 1 && fields.every((f) => lineHasValue(f))) {
      let first: ItemRec | undefined;
      for (const f of fields) {
        const r = this.valueItem(f, ctx, span, where, noRoles);
        first ??= r;
      }
      return first;
    }
    const spec = recordSpec(plain);
    if (!spec) return undefined;
    const rec = this.recordItem(spec, ctx);
    this.decide('record', span, `${where} "${plain.slice(0, 60)}" → ${spec.record}${spec.unit ? ` (${spec.unit})` : ''} ${rec.item.id}`);
    return rec;
  }

  private list(l: ListBlock, ctx: string[], owner?: ItemRec): void {
    let plain: Entry[] = [];
    const flush = () => {
      if (!plain.length) return;
      const what = plain.every((e) => /^\[[^\]]*\]\([^)]*\)|^<?https?:\/\//.test(e.source.replace(/^\*\*[^*]*\*\*:?\s*/, '')))
        ? 'link list'
        : 'list';
      this.note(
        { text: plain.map((e) => e.full).join('\n'), what, line: plain[0].line, endLine: plain[plain.length - 1].endLine },
        false,
        owner,
      );
      plain = [];
    };
    for (const e of l.entries) {
      if (this.entryProduces(e, l.ordered)) {
        flush();
        this.entry(e, ctx, l.ordered === true);
      } else plain.push(e);
    }
    flush();
  }

  private entry(e: Entry, ctx: string[], ordered: boolean): void {
    const [firstLine, ...moreLines] = e.text.split('\n');
    if (!e.task && !this.bullets) {
      if (lineHasValue(firstLine)) {
        const r = this.valueItem(firstLine, ctx, e, 'bullet');
        for (const ch of e.children) this.block(ch, ctx, r);
        return;
      }
      if (this.plainProduces(e, ordered) || (ordered && e.children.some((c) => c.kind === 'code' && this.shellProduces(c)))) {
        this.decide('step', e, `numbered step "${cleanTitle(firstLine).slice(0, 60)}"`);
        this.boxItem(e, firstLine, moreLines, ctx);
        return;
      }
      // A plain bullet grouping task items: its text is context for their titles.
      const c = [...ctx, cleanTitle(firstLine) || `line ${e.line}`];
      for (const ch of e.children) this.block(ch, c);
      return;
    }
    this.summary.boxes++;
    this.boxItem(e, firstLine, moreLines, ctx);
  }

  private boxItem(e: Entry, firstLine: string, moreLines: string[], ctx: string[]): void {
    const r = this.itemFor(e, firstLine, ctx);
    if (!r.rec) {
      // a sign-off role or a context title: what is under it still counts
      const childCtx = r.context ? [...ctx, r.baseTitle] : ctx;
      if (moreLines.length) this.note({ text: moreLines.join('\n').trim(), what: 'text', line: e.line, endLine: e.endLine }, false);
      for (const ch of e.children) if (ch !== r.consumed) this.block(ch, childCtx);
      return;
    }
    if (moreLines.length) r.rec.notes.push(moreLines.join('\n').trim());
    const childCtx = [...ctx, r.baseTitle];
    for (const ch of e.children) if (ch !== r.consumed) this.block(ch, childCtx, r.rec);
  }

  private itemFor(
    e: Entry,
    text: string,
    ctx: string[],
  ): { rec?: ItemRec; baseTitle: string; context?: boolean; consumed?: Entry['children'][number] } {
    const withCtx = (t: string) => [...ctx, t].join(SEP);
    const fallback = `Item at line ${e.line}`;
    const lineRole = signoffLineRole(text);
    const roleLike =
      this.signoffSection &&
      !startsWithVerb(text) &&
      cleanTitle(withoutParens(text).replace(/_{2,}|\bdate\b\s*:?/gi, ' ')).split(/\s+/).length <= 5;
    if (lineRole || (this.signoffSection && (hasBlank(text) || roleLike))) {
      const role = lineRole ?? roleOf(text);
      this.addRole(role, e, `box "${cleanTitle(text).slice(0, 60)}"`);
      this.summary.boxesAsRoles += e.task ? 1 : 0;
      return { baseTitle: role };
    }
    // "(Engineering Lead sign-off required)", "requires DBA approval": a named role must sign.
    const required =
      /\(([A-Z][\w/&-]*(?:\s+[A-Z][\w/&-]*){0,3})\s+(?:sign[- ]?off|approval)\s+(?:is\s+)?(?:required|needed)\)|\b(?:requires|needs)\s+(?:an?\s+|the\s+)?([A-Z][\w/&-]*(?:\s+[A-Z][\w/&-]*){0,3})\s+(?:sign[- ]?off|approval)\b/.exec(
        text,
      );
    // One of the two groups matched, and what it matched is a name (never empty).
    if (required) this.addRole(required[1] || required[2], e, `"${required[0]}"`);
    const spec = recordSpec(text);
    if (spec) {
      const rec = this.recordItem(spec, ctx);
      return { rec, baseTitle: spec.title };
    }
    const base = cleanTitle(text) || fallback;
    // "Record baseline numbers:" over plain bullets that are all blanks: the box titles the records.
    const lists = e.children.filter((c): c is ListBlock => c.kind === 'list');
    const blankKids = lists.flatMap((l) => l.entries).filter((x) => !x.task && lineHasValue(x.text.split('\n')[0]));
    if (!this.bullets && blankKids.length && lists.every((l) => l.entries.every((x) => blankKids.includes(x)))) {
      this.summary.boxesAsContext += e.task ? 1 : 0;
      this.decide('record', e, `box "${base}" over ${blankKids.length} blank(s) → their records, titled "${base} › …"`);
      return { baseTitle: base, context: true };
    }
    // Inline commands in the box: `Run migrations: \`alembic upgrade head\``.
    const cmds = (e.codes ?? []).filter(isShellCommand);
    if (cmds.length) {
      let t = text;
      for (const c of cmds) t = t.replace(`\`${c}\``, ' ');
      // The command as the sentence's subject ("`openssl …` shows the new expiry") stays in the title.
      const own = text.trim().startsWith('`')
        ? cleanTitle(text)
        : cleanTitle(
            t
              .replace(/\(\s*\)/g, '')
              .replace(/\s+([:,.;])/g, '$1')
              .replace(/[\s:,;-]+$/, ''),
          ) || cmds[0];
      const rec = this.commandItem(withCtx(own), cmds.join('\n'), e);
      if (rec.item.run !== undefined)
        this.decide('command', e, `box "${cleanTitle(text).slice(0, 60)}" → run \`${cmds.join('; ').slice(0, 60)}\``);
      return { rec, baseTitle: own };
    }
    // A box over exactly one shell command group is that command.
    const shells = e.children.filter((c): c is CodeBlock => c.kind === 'code' && this.shellProduces(c));
    if (
      shells.length === 1 &&
      e.children.every((c) => c === shells[0] || c.kind !== 'list' || !c.entries.some((x) => this.entryProduces(x, c.ordered)))
    ) {
      const { groups, loose } = this.groups(shells[0]);
      const runnable = groups.filter((g) => !isAssignmentsOnly(g));
      if (groups.length === 1 && runnable.length === 1 && !loose.length) {
        const g = runnable[0];
        const rec = this.commandItem(withCtx(base), g.script, g);
        if (g.comments.length) rec.notes.push(g.comments.join('\n'));
        return { rec, baseTitle: base, consumed: shells[0] };
      }
    }
    // A pasted "Caches cleared: redis-cli FLUSHDB" is not run, but the operator types it: say what it does.
    const typed = /:\s+(\S.*)$/.exec(text)?.[1];
    const danger = typed && isShellCommand(typed) ? destructiveReason(typed) : undefined;
    const rec = this.addItem({ title: withCtx(base), ...(danger ? { critical: true } : {}) }, 'manual');
    if (danger && typed) {
      rec.notes.push(`⚠ Destructive (${danger}): \`${typed}\` — marked critical.`);
      this.decide('destructive', e, `\`${typed.slice(0, 60)}\` in manual item ${rec.item.id} (${danger})`);
    }
    return { rec, baseTitle: base };
  }

  /** Roles go to the phase a sign-off block names ("Pre-Deployment Sign-Off"), else to its own. */
  private addRole(role: string, span: Span, what: string): void {
    const here = this.currentPhase();
    const key = this.signoffSection && !this.inGate ? phaseKey(this.sectionTitle?.split(SEP).pop() ?? here.title) : '';
    const target = (key && this.phases.find((p) => p !== here && phaseKey(p.title) === key)) || here;
    if (!target.signoff.includes(role)) target.signoff.push(role);
    this.decide('sign-off', span, `${what} → sign-off role "${role}" of "${target.title}"`);
  }

  private shell(c: CodeBlock, ctx: string[], owner?: ItemRec): void {
    const { groups, loose, merges } = this.groups(c);
    for (const m of merges)
      this.decide('shared shell state', m, `${m.names.map((n) => `$${n}`).join(', ')} set by an earlier command is used later → one item`);
    const alts = alternativesOf(groups.map((g) => g.comments[0] ?? ''));
    const altGroups = alts ? alts.indexes.map((i) => groups[i]) : [];
    const options = altGroups.map((g) => cleanTitle(g.comments[0]));
    let choice: string | undefined;
    const made: (ItemRec | undefined)[] = [];
    for (const g of groups) {
      if (isAssignmentsOnly(g)) {
        const text = ['```bash', ...g.comments.map((x) => `# ${x}`), g.script, '```'].join('\n');
        this.note({ text, what: 'environment variable example', line: g.line, endLine: g.endLine }, false, owner);
        made.push(undefined);
        continue;
      }
      const alt = altGroups.indexOf(g);
      if (alts && alt >= 0) {
        choice ??= this.addChoice(
          `Which one applies: ${options.join(' or ')}?`,
          options,
          altGroups[0],
          `command groups ${options.map((o) => `"${o}"`).join(', ')} (${alts.reason})`,
        );
        made.push(this.withCtx({ answer: { item: choice, is: options[alt] } }, () => this.runItem(g, ctx)));
      } else made.push(this.runItem(g, ctx));
    }
    for (const l of loose) {
      const target =
        made
          .slice(0, l.after + 1)
          .reverse()
          .find(Boolean) ?? made.find(Boolean);
      this.note({ text: `# ${l.text}`, what: 'shell comment', line: l.line, endLine: l.line }, false, target ?? owner);
    }
  }

  private runItem(g: CommandGroup, ctx: string[]): ItemRec {
    const own = (g.comments[0] && cleanTitle(g.comments[0])) || commandTitle(g);
    const title = [...ctx, own].join(SEP);
    const step = ctx.length ? undefined : this.stepNamed(own);
    if (step) this.decide('command', g, `commands "${own}" join the step of that name (${step.item.id}) instead of repeating it`);
    const r = this.commandItem(title, g.script, g, step);
    if (g.comments.length > 1) r.notes.push(g.comments.slice(1).join('\n'));
    if (g.output.length) r.notes.push(['Expected output:', '```', ...g.output, '```'].join('\n'));
    const check = this.opts.httpChecks && r.item.run !== undefined ? httpCheckOf(g) : undefined;
    if (check) {
      const http: OutItem['http'] = check.method === 'HEAD' ? { url: check.url, method: 'HEAD' } : { url: check.url };
      this.addItem({ title: `${title} (HTTP check)`, http }, 'http');
    }
    return r;
  }

  /**
   * A command as an item: a run item with confirm (critical when destructive, flagged when it
   * hides its failures, `<placeholders>` as vars), or — when it never ends — a manual item with
   * the command in its notes.
   */
  /** An earlier tick item of this phase named like a command group ("Validate the chain"): the command's step. */
  private stepNamed(title: string): ItemRec | undefined {
    const key = optionKey(title);
    if (key.length < 8 || !this.phase) return undefined;
    for (const sec of this.phase.sections) {
      for (const r of sec.items) {
        const k = optionKey(r.item.title);
        if (this.stepped.has(r) || r.item.run !== undefined || r.item.record || r.item.http) continue;
        if (k === key || k.startsWith(`${key} `)) {
          this.stepped.add(r);
          return r;
        }
      }
    }
    return undefined;
  }

  private commandItem(title: string, script: string, span: Span, into?: ItemRec): ItemRec {
    const short = script.split('\n')[0].slice(0, 60);
    const forever = neverEndingReason(script);
    if (forever) {
      const r = into ?? this.addItem({ title }, 'manual');
      r.notes.push(
        [
          'Not run by runsheet: this command does not end by itself (' + forever + '). Run it in another terminal if you need it:',
          '```bash',
          script,
          '```',
        ].join('\n'),
      );
      this.decide('never-ending', span, `\`${short}\` (${forever}) → manual item ${r.item.id}`);
      return r;
    }
    const { script: run, names } = replacePlaceholders(escapeRunVars(script));
    for (const m of script.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)) this.summary.rewrites.push(`\${${m[1]}}`);
    for (const { name: n, raw } of names) {
      if (!this.vars.has(n)) {
        // Declared without a value (`NAME:`): runsheet asks for it when the item runs, never runs it empty.
        this.vars.set(n, null);
        this.decide('placeholder', span, `${raw} → \${${n}}${isSecretName(n) ? ' (also in secrets)' : ''}`);
      }
      if (isSecretName(n) && !this.secrets.includes(n)) this.secrets.push(n);
    }
    const destructive = destructiveReason(script);
    const fields = { run, ...(destructive ? { critical: true } : {}), confirm: true };
    let r: ItemRec;
    if (into) {
      const { id, title: t, when, ...rest } = into.item;
      into.item = { id, title: t, ...rest, ...fields, ...(when ? { when } : {}) };
      this.summary.items.manual--;
      this.summary.items.run++;
      r = into;
    } else r = this.addItem({ title, ...fields }, 'run');
    if (names.length) {
      // Declared without a value: runsheet asks for each when this runs (or takes --set NAME=…).
      const list = names.map((n) => `\${${n.name}} (was ${n.raw})`).join(', ');
      r.notes.push(
        `⚠ Fill in before running: ${list} — declared without a value in \`vars\` by the import; runsheet asks for each when this runs, or give it with --set NAME=….`,
      );
    }
    if (destructive) {
      r.notes.push(`⚠ Destructive (${destructive}): marked critical; read it before you confirm.`);
      this.decide('destructive', span, `\`${short}\` (${destructive}) → ${r.item.id}`);
    }
    const swallowed = swallowedFailure(script);
    if (swallowed) {
      r.notes.push(`⚠ \`${swallowed}\` makes this command pass even when it fails: read its output before you go on.`);
      this.decide('passes on failure', span, `\`${swallowed}\` in ${r.item.id}`);
    }
    return r;
  }

  // ---- notes and reference ------------------------------------------------------------------

  /** Intro text waits for the next item; the rest joins the item before it (or the owner). */
  private note(n: Note, intro: boolean, owner?: ItemRec): void {
    if (!n.text.trim()) return;
    if (owner) {
      this.attach(n, owner);
      return;
    }
    // What an intro line introduces waits with it; so does anything before a section's first item.
    if (intro || !this.lastInPhase || !this.sectionOpen || this.pending.length) this.pending.push(n);
    else this.attach(n, this.lastInPhase);
  }

  private attach(n: Note, r: ItemRec): void {
    r.notes.push(n.text.trim());
    this.summary.notes.push({ line: n.line, endLine: n.endLine, what: n.what, to: r.item.id });
  }

  /** Pending notes go to the last item of the phase, when it has one. */
  private flushPendingToLast(): void {
    if (this.pending.length && this.lastInPhase) this.flushPendingTo(this.lastInPhase);
  }

  private flushPendingTo(r: ItemRec): void {
    const p = this.pending;
    this.pending = [];
    p.forEach((n) => this.attach(n, r));
  }

  /** A whole heading kept for reading: its Markdown (sub-headings, tables, code) as one entry. */
  private toReference(n: HNode, why: string, parent?: string): void {
    const blocks = subtreeBlocks(n).filter((b) => b !== n.heading);
    for (const b of blocks) if (b.kind === 'dropped') this.summary.skipped.push({ line: b.line, endLine: b.endLine, what: b.what });
    const span = { line: n.heading?.line ?? blocks.at(0)?.line ?? 1, endLine: lastLine(n) };
    if (!blocks.some((b) => b.kind !== 'dropped' && b.kind !== 'heading')) {
      this.summary.skipped.push({ ...span, what: `heading "${n.title}" with nothing under it` });
      return;
    }
    let notes = blocks.map(srcOf).filter(Boolean).join('\n\n');
    // Pasted text has no Markdown: a fence keeps its lines (and column layouts) as they were.
    if (this.opts.plain) notes = ['```text', notes, '```'].join('\n');
    const title = escapeTitleVars(n.title || parent || 'Reference');
    this.reference.push({ title, notes });
    this.summary.boxesInReference += countBoxes(blocks);
    this.decide('reference', span, `"${n.title}" (${why})`);
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
      this.summary.notes.push({
        line: b.line,
        endLine: b.endLine,
        what: b.kind === 'heading' ? `heading "${cleanTitle(b.text)}"` : b.kind === 'other' ? b.what : b.kind,
        to: 'description',
      });
    }
  }

  private outPhase(p: PhaseRec, id?: string): OutPhase {
    const sections = p.sections
      .filter((s) => s.items.length)
      .map((s): OutSection => {
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
}

function lineHasValue(line: string): boolean {
  return hasBlank(line) || (line.match(BALLOT)?.length ?? 0) >= 2;
}

/** The column that names a row: "Step"/"Task"/"Check"… by header, else the first that is not a number. */
function rowTitleColumn(head: string[], rows: string[][]): number {
  const named = head.findIndex((h) =>
    /^(?:steps?|tasks?|actions?|checks?|items?|what|description|metric|resolver|record|name)$/i.test(h.trim()),
  );
  if (named >= 0) return named;
  const texty = head.findIndex((_, i) => rows.some((r) => r[i] && !/^\s*\d+\.?\s*$/.test(r[i]) && !lineHasValue(r[i])));
  return texty >= 0 ? texty : 0;
}

/** | Role | Name | Signature | Date |: each row names a role that signs. */
function isSignoffTable(head: string[]): boolean {
  return (
    head.some((h) => /\b(?:signature|signed|sign[- ]?off|approv\w*)\b/i.test(h)) &&
    head.some((h) => /\b(?:role|approver|name|team)\b/i.test(h))
  );
}

/** Every ☐ option written anywhere (boxes, bullets, paragraphs). */
function choiceOptions(blocks: Block[]): string[] {
  const out: string[] = [];
  const text = (t: string) => t.split('\n').forEach((l) => out.push(...(recordSpec(l)?.options ?? [])));
  const entries = (l: ListBlock): void =>
    l.entries.forEach((e) => {
      text(e.text);
      e.children.forEach((c) => (c.kind === 'list' ? entries(c) : c.kind === 'other' && c.text ? text(c.text) : undefined));
    });
  for (const b of blocks) {
    if (b.kind === 'list') entries(b);
    else if (b.kind === 'other' && b.text) text(b.text);
  }
  return out;
}

function optionKey(s: string): string {
  return cleanTitle(s)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

function withoutParens(s: string): string {
  return s.replace(/\([^()]*\)/g, '');
}

function textOf(blocks: Block[]): string {
  return blocks.map((b) => (b.kind === 'other' ? (b.text ?? b.source) : b.kind === 'dropped' ? '' : b.source)).join('\n');
}

function countBoxes(blocks: Block[]): number {
  const inList = (l: ListBlock): number =>
    l.entries.reduce((n, e) => n + (e.task ? 1 : 0) + e.children.reduce((m, c) => m + (c.kind === 'list' ? inList(c) : 0), 0), 0);
  return blocks.reduce((n, b) => n + (b.kind === 'list' ? inList(b) : 0), 0);
}

/** Orders keys so each sequence's order holds where it can; ties go to the key seen first. */
export function mergeOrder(seqs: string[][]): string[] {
  // Each key, in the order first seen, with the keys some sequence puts before it.
  const before = new Map<string, Set<string>>();
  for (const s of seqs) for (const k of s) if (!before.has(k)) before.set(k, new Set());
  for (const s of seqs) for (let i = 1; i < s.length; i++) before.get(s[i])?.add(s[i - 1]);
  const out: string[] = [];
  // Still to place, kept in the order first seen.
  const left = new Set(before.keys());
  while (left.size) {
    const keys = [...left];
    const ready = keys.find((k) => [...(before.get(k) ?? [])].every((p) => !left.has(p)));
    // A cycle (A before B in one environment, B before A in another): take the earliest seen.
    const pick = ready ?? keys[0];
    out.push(pick);
    left.delete(pick);
  }
  return out;
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

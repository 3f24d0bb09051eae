// Raw (schema-checked) YAML data → the normalized Checklist, plus the problems a schema cannot
// see: duplicate ids, two actions on one item, undefined ${VARS}, unknown environments, empty
// phases, references to unknown metrics or snapshot labels.
import type { Action, Checklist, Environment, Item, Phase, Pos, UnsetUse } from './model.js';
import { allItems } from './model.js';
import type { RawChecklist, RawItem, RawPhase } from './schema.js';
import { ACTION_KEYS } from './schema.js';
import type { Finder } from './yaml-pos.js';
import { parseDuration } from './duration.js';
import { slugify, uniqueIds } from './slug.js';
import { suggest } from './suggest.js';
import { normalizeMetrics } from './normalize-metrics.js';
import type { SemanticProblem } from './problem.js';
import { MAX_VAR_DEPTH, VarChecker } from './var-checker.js';
import { resolveAnswerGates, type PendingGate, type SeenItem } from './normalize-when.js';
import { redact, checklistSecrets } from './redact.js';
import { shellDialect } from './shell-ref.js';

export interface LoadOptions {
  /** Chosen environment; undefined/null = none chosen. */
  env?: string | null;
  /** --set KEY=VALUE overrides. */
  set?: Record<string, string>;
  /** The process environment (for ${VAR} resolution); {} when omitted. */
  processEnv?: Record<string, string | undefined>;
}

export type { SemanticProblem } from './problem.js';

type Path = (string | number)[];

export function normalize(raw: RawChecklist, finder: Finder, opts: LoadOptions): { checklist: Checklist; problems: SemanticProblem[] } {
  const problems: SemanticProblem[] = [];
  const report = (path: Path, message: string, key = false) => problems.push({ pos: key ? finder.key(path) : finder.value(path), message });

  const environments: Record<string, Environment> = {};
  for (const [name, e] of Object.entries(raw.environments ?? {})) {
    environments[name] = { name, vars: e?.vars ?? {}, confirm: e?.confirm ?? false };
  }
  const envNames = Object.keys(environments);
  const envName = opts.env ?? null;
  if (envName !== null && !environments[envName]) {
    const hint = suggest(envName, envNames);
    report(
      ['environments'],
      `environment "${envName}" is not defined in this checklist (${envNames.length ? `known: ${envNames.join(', ')}` : 'it defines no environments'})${hint ? `; did you mean "${hint}"?` : ''}`,
      true,
    );
  }
  // `NAME:` (null) declares a var the run needs a value for: not a value, so not a layer.
  const top: Record<string, string> = {};
  const unsetNames: string[] = [];
  for (const [k, v] of Object.entries(raw.vars ?? {})) {
    if (v === null) unsetNames.push(k);
    else top[k] = v;
  }
  const vars = new VarChecker({
    set: opts.set ?? {},
    top,
    unset: unsetNames,
    processEnv: opts.processEnv ?? {},
    environments,
    envName: envName !== null && environments[envName] ? envName : null,
    secrets: raw.secrets ?? [],
  });
  for (const c of vars.cycles()) {
    problems.push({
      pos: finder.inValue(c.at.path, `\${${c.ref}}`),
      message: c.deep
        ? `vars nest more than ${MAX_VAR_DEPTH} levels deep (${c.chain.join(' → ')}): a value may use other vars, but not this deep`
        : `vars refer to each other in a loop: ${c.chain.join(' → ')}; one of these values must not use the next`,
    });
  }
  // While an item's command/request/env/cwd is substituted: the unset vars it uses, first use each.
  let needing: Map<string, Pos> | null = null;
  const track = (path: Path, missing: { name: string; message: string }[], needs: { name: string; via: string }[]) => {
    for (const m of missing) problems.push({ pos: finder.inValue(path, `\${${m.name}}`), message: m.message });
    if (needing) {
      for (const n of needs) if (!needing.has(n.name)) needing.set(n.name, finder.inValue(path, `\${${n.via}}`));
    } else if (path[0] === 'metrics') {
      // A metric is probed in the background, with nobody to ask: its vars need a value up front.
      for (const n of needs)
        problems.push({
          pos: finder.inValue(path, `\${${n.via}}`),
          message: `\${${n.name}} has no value, and a metric is probed without asking: give it one in vars, with --set ${n.name}=…, or export ${n.name}`,
        });
    }
  };
  const sub = (value: string, path: Path): string => {
    const { text, missing, needs } = vars.apply(value);
    track(path, missing, needs);
    return text;
  };
  // Text a shell runs: a secret's ${NAME} becomes a reference to the variable, never its value.
  const subCommand = (value: string, path: Path, shell: string | undefined): string => {
    const { text, missing, needs } = vars.applyCommand(value, shellDialect(shell));
    track(path, missing, needs);
    return text;
  };
  const unsetUses: UnsetUse[] = [];

  // A URL is checked as it will be requested: after expansion, under each environment when none is chosen.
  const checkUrl = (value: string, path: Path) => {
    const variants = vars.variants(value);
    for (const v of variants) {
      // Still holding ${NAME}: undefined (reported as such) or known only once an env is chosen.
      if (/^https?:\/\//.test(v.text) || v.text.includes('${')) continue;
      const where = v.env !== null && variants.length > 1 ? ` in environment ${v.env}` : '';
      const shown = v.text === value ? `"${value}"` : `"${value}", which is "${v.text}"${where}`;
      report(path, `http.url must start with http:// or https:// (got ${shown})`);
      return;
    }
  };

  const { metrics, problems: metricProblems } = normalizeMetrics(raw.metrics ?? [], finder, sub, (v, p) => subCommand(v, p, 'sh')); // probes run under /bin/sh
  problems.push(...metricProblems);
  const metricIds = new Set(metrics.map((m) => m.id));

  // Explicit ids are claimed first so derived ids never steal them.
  const explicit = new Map<string, Path>();
  const claim = (id: string, path: Path) => {
    if (explicit.has(id))
      report([...path, 'id'], `duplicate id "${id}" (also used at line ${finder.value([...explicit.get(id)!, 'id']).line})`);
    else explicit.set(id, path);
  };
  const phaseList: [RawPhase | NonNullable<RawChecklist['rollback']>, Path][] = raw.phases.map((p, i) => [p, ['phases', i]]);
  if (raw.rollback) phaseList.push([raw.rollback, ['rollback']]);
  for (const [p, pp] of phaseList) {
    p.sections?.forEach((s, si) => s.items.forEach((it, ii) => it.id && claim(it.id, [...pp, 'sections', si, 'items', ii])));
    p.items?.forEach((it, ii) => it.id && claim(it.id, [...pp, 'items', ii]));
  }
  const nextItemId = uniqueIds(explicit.keys());
  // Phase ids live in their own namespace; explicit ones are likewise claimed before any is derived.
  const nextPhaseId = uniqueIds(phaseList.flatMap(([p]) => (p.id ? [p.id] : [])));
  const snapshotLabels = new Set<string>();
  const dropped: { id: string; title: string; reason: string }[] = [];
  const seen: SeenItem[] = [];
  const pendingGates: PendingGate[] = [];

  const buildItem = (r: RawItem, path: Path, phaseId: string, sectionTitle: string | undefined): Item | undefined => {
    const id = r.id ?? nextItemId(slugify(r.title));
    const actions = ACTION_KEYS.filter((k) => r[k] !== undefined);
    // Point at whichever action key comes later in the file: that is the one that was added.
    const later = actions.slice(1).reduce((a, b) => (finder.key([...path, b]).line > finder.key([...path, a]).line ? b : a), actions[0]);
    if (actions.length > 1)
      report(
        [...path, later],
        `item "${r.title}" has two actions (${actions.join(' and ')}): an item does exactly one thing; split it into two items`,
        true,
      );
    needing = new Map();
    const action = buildAction(r, path, actions[0], report, sub, (v, p) => subCommand(v, p, r.shell), metricIds, snapshotLabels, checkUrl);
    const timeout = parseDuration(r.timeout ?? (action.kind === 'http' ? '30s' : '10m'));
    const retryDelay = parseDuration(r.retry_delay ?? '2s');
    if ('error' in timeout) report([...path, 'timeout'], timeout.error);
    // 0 would stop the command the moment it starts; "no limit" is spelled `none`.
    else if (timeout.ms === 0)
      report([...path, 'timeout'], 'timeout: 0 would stop the command at once: give a duration (e.g. 30s) or `none` for no limit');
    if ('error' in retryDelay) report([...path, 'retry_delay'], retryDelay.error);
    const whenEnv = r.when?.env === undefined ? undefined : typeof r.when.env === 'string' ? [r.when.env] : r.when.env;
    const when = r.when ? { env: whenEnv } : undefined;
    const order = seen.length;
    if (r.when && !r.when.env && !r.when.answer)
      report([...path, 'when'], 'when needs env (only in these environments) or answer (only when an earlier choice was answered so)');
    if (r.when?.answer) pendingGates.push({ id, order, path, raw: r.when.answer });
    for (const e of whenEnv ?? []) {
      if (!environments[e]) {
        const hint = suggest(e, envNames);
        report(
          [...path, 'when', 'env'],
          `when.env names unknown environment "${e}"${hint ? ` (did you mean "${hint}"?)` : envNames.length ? ` (known: ${envNames.join(', ')})` : ' (the checklist defines no environments)'}`,
        );
      }
    }
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(r.env ?? {})) env[k] = sub(v, [...path, 'env', k]);
    const cwd = r.cwd !== undefined ? sub(r.cwd, [...path, 'cwd']) : undefined;
    const needs = needing;
    needing = null;
    const item: Item = {
      id,
      title: sub(r.title, [...path, 'title']),
      action,
      notes: r.notes,
      docs: r.docs,
      critical: r.critical ?? false,
      confirm: r.confirm ?? false,
      cwd,
      env,
      shell: r.shell,
      pipefail: r.pipefail ?? true,
      timeoutMs: 'ms' in timeout ? timeout.ms : null,
      retries: r.retries ?? 0,
      retryDelayMs: 'ms' in retryDelay ? (retryDelay.ms ?? 0) : 2000,
      on_disconnect: r.on_disconnect ?? 'stop',
      when,
      phaseId,
      sectionTitle,
      ...(needs.size ? { needs: [...needs.keys()] } : {}),
    };
    for (const [name, pos] of needs) unsetUses.push({ name, item: id, title: item.title, pos });
    const envMiss = whenEnv !== undefined && !(envName !== null && whenEnv.includes(envName));
    seen.push({ id, title: item.title, action, order, dropped: envMiss });
    if (envMiss) {
      dropped.push({
        id,
        title: item.title,
        reason:
          envName === null ? `only when env is ${whenEnv.join(' or ')} (no --env chosen)` : `only when env is ${whenEnv.join(' or ')}`,
      });
      return undefined;
    }
    return item;
  };

  const buildPhase = (p: RawPhase | NonNullable<RawChecklist['rollback']>, path: Path, rollback: boolean): Phase => {
    const title = p.title ?? 'Rollback';
    const id = p.id ?? nextPhaseId(slugify(title));
    if (p.sections && p.items) report([...path, 'items'], `phase "${title}" has both sections and items: put the items in a section`, true);
    const sections = p.sections
      ? p.sections.map((s, si) => ({
          title: s.title,
          items: s.items.map((it, ii) => buildItem(it, [...path, 'sections', si, 'items', ii], id, s.title)).filter((x): x is Item => !!x),
        }))
      : [{ items: (p.items ?? []).map((it, ii) => buildItem(it, [...path, 'items', ii], id, undefined)).filter((x): x is Item => !!x) }];
    const declared = (p.sections ?? []).reduce((n, s) => n + s.items.length, 0) + (p.items?.length ?? 0);
    if (declared === 0) report(path, `phase "${title}" has no items: add items or sections, or remove the phase`);
    p.sections?.forEach(
      (s, si) =>
        s.items.length === 0 && report([...path, 'sections', si], `section "${s.title ?? si + 1}" of phase "${title}" has no items`),
    );
    return { id, title, signoff: p.signoff ?? [], sections, rollback: rollback || undefined };
  };

  const phases = raw.phases.map((p, i) => buildPhase(p, ['phases', i], false));
  const seenPhase = new Map<string, number>();
  phases.forEach((p, i) => {
    if (seenPhase.has(p.id)) report(['phases', i, 'id'], `duplicate phase id "${p.id}"`);
    seenPhase.set(p.id, i);
  });
  const rollback = raw.rollback ? buildPhase(raw.rollback, ['rollback'], true) : undefined;
  const gates = resolveAnswerGates(seen, pendingGates, finder);
  problems.push(...gates.problems);
  for (const p of rollback ? [...phases, rollback] : phases)
    for (const sec of p.sections) {
      for (const it of sec.items) {
        const g = gates.gates.get(it.id);
        if (g) it.when = { ...it.when, answer: g };
        const why = gates.drop.get(it.id);
        if (why) dropped.push({ id: it.id, title: it.title, reason: why });
      }
      sec.items = sec.items.filter((it) => !gates.drop.has(it.id));
    }

  const interval = parseDuration(raw.interval ?? '5s');
  if ('error' in interval) report(['interval'], interval.error);

  const checklist: Checklist = {
    version: 1,
    title: sub(raw.title, ['title']),
    description: raw.description,
    vars: vars.merged(),
    environments,
    // A var whose value uses a secret is itself secret: its whole value is masked, not just the part.
    secrets: [...new Set([...(raw.secrets ?? []), ...vars.derivedSecrets()])],
    metrics,
    samples: raw.samples ?? 3,
    intervalMs: 'ms' in interval ? (interval.ms ?? 0) : 5000,
    phases,
    rollback,
    reference: (raw.reference ?? []).map((r) => ({ title: r.title, notes: r.notes })),
    env: envName,
    dropped,
  };
  const secrets = checklistSecrets(checklist, opts.processEnv ?? {});
  maskTitles(checklist, secrets);
  // Only kept items: one dropped for its environment or its choice never runs, so never asks.
  const kept = new Map(allItems(checklist).map((it) => [it.id, it.title]));
  const unset = unsetUses.filter((u) => kept.has(u.item)).map((u) => ({ ...u, title: kept.get(u.item)! }));
  if (unset.length) checklist.unset = unset;
  // Problems quote values (an expanded URL): a secret in one must not reach the terminal.
  if (secrets.length) for (const p of problems) p.message = redact(p.message, secrets);
  return { checklist, problems };
}

/**
 * Titles are only ever shown (screen, status, reports), yet `${VAR}` in them is interpolated; a
 * secret there would reach every front end. Commands, URLs and headers keep their values: they run.
 */
function maskTitles(c: Checklist, secrets: readonly string[]): void {
  if (!secrets.length) return;
  c.title = redact(c.title, secrets);
  for (const p of c.rollback ? [...c.phases, c.rollback] : c.phases)
    for (const sec of p.sections)
      for (const it of sec.items) {
        it.title = redact(it.title, secrets);
        // A gate quotes its choice's title ("answer … first", "… is docker-compose").
        for (let g = it.when?.answer; g; g = g.parent) g.title = redact(g.title, secrets);
      }
  for (const d of c.dropped) d.title = redact(d.title, secrets);
}

function buildAction(
  r: RawItem,
  path: Path,
  kind: (typeof ACTION_KEYS)[number] | undefined,
  report: (path: Path, message: string, key?: boolean) => void,
  sub: (v: string, path: Path) => string,
  subCommand: (v: string, path: Path) => string,
  metricIds: Set<string>,
  snapshotLabels: Set<string>,
  checkUrl: (value: string, path: Path) => void,
): Action {
  const only = (key: keyof RawItem, allowed: string) => {
    if (r[key] !== undefined) report([...path, key], `"${key}" only applies to ${allowed} items`, true);
  };
  if (kind !== 'run') (['check', 'expect', 'shell', 'pipefail'] as const).forEach((k) => only(k, 'run'));
  if (kind !== 'record') (['unit', 'options'] as const).forEach((k) => only(k, 'record'));
  if (kind !== 'run' && kind !== 'http') only('retries', 'run and http');
  const checkMetrics = (ids: string[] | undefined, p: Path) =>
    ids?.forEach((id, i) => {
      if (!metricIds.has(id)) {
        const hint = suggest(id, [...metricIds]);
        report(
          [...p, i],
          `unknown metric "${id}"${hint ? ` (did you mean "${hint}"?)` : metricIds.size ? '' : ' (the checklist declares no metrics)'}`,
        );
      }
    });
  switch (kind) {
    case 'run':
      return {
        kind: 'run',
        command: subCommand(r.run!, [...path, 'run']),
        check: r.check ?? false,
        expect: {
          exit: r.expect?.exit ?? 0,
          stdout_contains: r.expect?.stdout_contains,
          stdout_matches: validRegex(r.expect?.stdout_matches, [...path, 'expect', 'stdout_matches'], report),
          stderr_matches: validRegex(r.expect?.stderr_matches, [...path, 'expect', 'stderr_matches'], report),
        },
      };
    case 'http': {
      const h = r.http!;
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(h.headers ?? {})) headers[k] = sub(v, [...path, 'http', 'headers', k]);
      const url = sub(h.url, [...path, 'http', 'url']);
      checkUrl(h.url, [...path, 'http', 'url']);
      return {
        kind: 'http',
        http: {
          ...h,
          url,
          headers,
          body: h.body !== undefined ? sub(h.body, [...path, 'http', 'body']) : undefined,
          method: h.method ?? 'GET',
        },
      };
    }
    case 'require_env':
      return { kind: 'require_env', names: r.require_env! };
    case 'record':
      if (r.record === 'choice' && !r.options) report([...path, 'record'], 'record: choice needs an "options" list');
      return { kind: 'record', record: r.record!, unit: r.unit, options: r.options };
    case 'snapshot':
      checkMetrics(r.snapshot!.metrics, [...path, 'snapshot', 'metrics']);
      if (!metricIds.size)
        report([...path, 'snapshot'], 'snapshot item, but the checklist declares no metrics: add a top-level "metrics" list');
      snapshotLabels.add(r.snapshot!.label);
      return { kind: 'snapshot', label: r.snapshot!.label, metrics: r.snapshot!.metrics };
    case 'compare': {
      const c = r.compare!;
      checkMetrics(c.metrics, [...path, 'compare', 'metrics']);
      if (!snapshotLabels.has(c.baseline))
        report(
          [...path, 'compare', 'baseline'],
          `no snapshot item with label "${c.baseline}" comes before this compare${snapshotLabels.size ? ` (labels so far: ${[...snapshotLabels].join(', ')})` : ''}`,
        );
      let watch;
      if (c.watch) {
        const every = parseDuration(c.watch.every);
        const dur = parseDuration(c.watch.for);
        if ('error' in every || !every.ms)
          report([...path, 'compare', 'watch', 'every'], 'error' in every ? every.error : 'watch.every must be a positive duration');
        if ('error' in dur || !dur.ms)
          report([...path, 'compare', 'watch', 'for'], 'error' in dur ? dur.error : 'watch.for must be a positive duration');
        watch = { everyMs: 'ms' in every ? (every.ms ?? 0) : 0, forMs: 'ms' in dur ? (dur.ms ?? 0) : 0 };
      }
      return { kind: 'compare', baseline: c.baseline, label: c.label ?? 'after', metrics: c.metrics, watch };
    }
    case undefined:
      return { kind: 'manual' };
    default:
      // A key added to ACTION_KEYS must be built above: this line stops the build until it is.
      return unbuilt(kind);
  }
}

function unbuilt(kind: never): never {
  throw new Error(`normalize: no action built for key ${JSON.stringify(kind)}`);
}

function validRegex(src: string | undefined, path: Path, report: (path: Path, message: string) => void): string | undefined {
  if (src === undefined) return undefined;
  try {
    new RegExp(src, 'm');
  } catch (e) {
    report(path, `invalid regular expression: ${(e as Error).message}`);
  }
  return src;
}

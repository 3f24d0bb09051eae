// Headless mode: the same engine and the same flows as the TUI (src/core/flows), driven in order
// without a screen. Actions run one at a time; runs of consecutive checks run in parallel (each
// as if Enter were pressed on it); every question a flow asks is answered from --answers
// (ask.ts). Stops at the first failure (exit 1) or the first thing only a person can answer
// (exit 3), listing what each item after it will need.
import { keptRunning } from '../core/kept.js';
import type { Checklist, Item, Phase } from '../core/model.js';
import { enterOf, isCheck } from '../core/kinds.js';
import type { RunEngine } from '../core/engine.js';
import { isDone } from '../core/state.js';
import { itemState, missingSignoffs } from '../core/policy.js';
import { isUserError } from '../core/errors.js';
import type { FlowContext, FlowEnd } from '../core/flows/context.js';
import { accept, act, questionsFor, skip } from '../core/flows/item.js';
import { signoff } from '../core/flows/phase.js';
import { answerFor, answersAsk, type AnswerSource, type Scope } from './ask.js';
import { keptNeed, TICK, waitNeed } from './needs.js';
import { entry } from './answers.js';

export interface HeadlessOptions extends AnswerSource {
  jobs: number;
}

export interface HeadlessOutcome {
  code: 0 | 1 | 3;
  needs: string[];
  failed: string[];
}

type Step = { kind: 'checks'; items: Item[] } | { kind: 'one'; item: Item };

function steps(items: Item[]): Step[] {
  const out: Step[] = [];
  for (const it of items) {
    const last = out[out.length - 1];
    if (isCheck(it) && last?.kind === 'checks') last.items.push(it);
    else out.push(isCheck(it) ? { kind: 'checks', items: [it] } : { kind: 'one', item: it });
  }
  return out;
}

/** What one flow on one item needed: the first unanswered question, or its refusal. */
class ItemRun {
  readonly needs: string[] = [];
  private told = '';
  constructor(
    private readonly engine: RunEngine,
    private readonly opts: HeadlessOptions,
    readonly scope: Scope,
  ) {}
  ctx(): FlowContext {
    return {
      engine: this.engine,
      ask: answersAsk(this.engine, this.opts, this.scope, (m) => this.needs.push(m)),
      tell: (m) => (this.told = m),
      jobs: this.opts.jobs,
      operator: 'headless',
      secrets: [],
      drafts: new Map(),
    };
  }
  /** Runs a flow; a cancel with nothing said (nothing to answer) still says why. */
  async run(flow: (ctx: FlowContext) => Promise<FlowEnd>): Promise<FlowEnd> {
    try {
      const end = await flow(this.ctx());
      if (end === 'cancelled' && !this.needs.length) this.needs.push(this.told || 'not done');
      return end;
    } catch (e) {
      if (!isUserError(e)) throw e;
      this.needs.push(e.message);
      return 'cancelled';
    }
  }
}

export async function runHeadless(engine: RunEngine, c: Checklist, opts: HeadlessOptions): Promise<HeadlessOutcome> {
  const needs: string[] = [];
  const failed: string[] = [];
  const phases: Phase[] = engine.state.track === 'rollback' && c.rollback ? [c.rollback] : c.phases;
  for (const phase of phases) {
    for (const section of phase.sections) {
      for (const step of steps(section.items)) {
        if (step.kind === 'checks') {
          if (needs.length) continue;
          const open = step.items.filter((it) => !isDone(itemState(engine.state, it).status));
          const outcomes = await pool(open, opts.jobs, (it) => checkStep(engine, it, opts));
          open.forEach((it, n) => {
            const o = outcomes[n];
            if (o === 'failed') failed.push(it.id);
            else if (o !== 'ok') needs.push(...o.map((m) => `${it.id}: ${m}`));
          });
          if (failed.length) return { code: 1, needs, failed };
          continue;
        }
        // Once something waits for a person, nothing after it runs (a deploy step must not run
        // past an unticked "backup verified"); the rest of the phase is only listed.
        if (needs.length) {
          const need = pendingNeed(engine, step.item, opts);
          if (need) needs.push(`${step.item.id}: ${need}`);
          continue;
        }
        const r = await oneStep(engine, step.item, opts);
        if (r === 'failed') {
          failed.push(step.item.id);
          return { code: 1, needs, failed };
        }
        if (r !== 'ok') needs.push(...r.map((m) => `${step.item.id}: ${m}`));
      }
    }
    for (const s of needs.length ? [] : (entry(opts.answers.signoffs, phase.id) ?? [])) {
      if (!missingSignoffs(phase, engine.state).includes(s.role)) continue;
      const run = new ItemRun(engine, opts, { signer: s });
      await run.run((ctx) => signoff(ctx, phase));
      needs.push(...run.needs.map((m) => `${phase.id}: sign-off as ${s.role}: ${m}`));
    }
    const missing = missingSignoffs(phase, engine.state);
    if (missing.length)
      needs.push(
        `${phase.id}: sign-off needed from ${missing.join(', ')} (answer under "${phase.id}: {signoff: [{name, role}]}" in --answers)`,
      );
    // Never continue past a phase a person still has to finish.
    if (needs.length) return { code: 3, needs, failed };
  }
  return { code: 0, needs, failed };
}

/** At most `jobs` at a time, results in input order. */
async function pool<T, R>(items: readonly T[], jobs: number, f: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const n = next++;
      out[n] = await f(items[n]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, jobs), items.length) }, worker));
  return out;
}

/** A check of a parallel run: as if Enter were pressed on it. */
async function checkStep(engine: RunEngine, item: Item, opts: HeadlessOptions): Promise<'ok' | 'failed' | string[]> {
  const waiting = itemState(engine.state, item).waitingFor;
  if (waiting) return [waitNeed(item, waiting)];
  // A check left running (on_disconnect: keep) is not started a second time beside itself.
  const kept = engine.keptProcess(item.id);
  if (kept && keptRunning(kept)) return [keptNeed(kept)];
  const run = new ItemRun(engine, opts, { item: entry(opts.answers.items, item.id) });
  const end = await run.run((ctx) => act(ctx, item));
  return end === 'cancelled' ? run.needs : end === 'done' ? 'ok' : 'failed';
}

/** An action, manual or record item: the answer in --answers is what the operator would do. */
async function oneStep(engine: RunEngine, item: Item, opts: HeadlessOptions): Promise<'ok' | 'failed' | string[]> {
  const st = itemState(engine.state, item);
  if (isDone(st.status)) return 'ok';
  const answer = entry(opts.answers.items, item.id);
  const run = new ItemRun(engine, opts, { item: answer });
  const settle = (end: FlowEnd) => (end === 'done' ? 'ok' : end === 'cancelled' ? run.needs : 'failed');
  if (answer?.skip !== undefined) return settle(await run.run((ctx) => skip(ctx, item)));
  if (st.waitingFor) return [waitNeed(item, st.waitingFor)];
  // Enter on a manual item ticks it: headless presses it only when --answers says "tick".
  if (enterOf(item) === 'tick' && !answer?.tick) return [TICK];
  // A failed action is never re-run headless: the run stops there.
  if (st.status === 'failed' && !isCheck(item)) return 'failed';
  if (st.status === 'warn') return settle(await run.run((ctx) => accept(ctx, item)));
  const end = await run.run((ctx) => act(ctx, item));
  // A comparison that warned goes on only once acknowledged ({accept: reason}).
  return settle(end === 'warned' ? await run.run((ctx) => accept(ctx, item)) : end);
}

/** What `item` still needs from a person before it can go on, judged without doing anything. */
function pendingNeed(engine: RunEngine, item: Item, opts: HeadlessOptions): string | null {
  const st = itemState(engine.state, item);
  if (isDone(st.status)) return null;
  const answer = entry(opts.answers.items, item.id);
  if (answer?.skip !== undefined) return null;
  if (st.waitingFor) return waitNeed(item, st.waitingFor);
  if (enterOf(item) === 'tick' && !answer?.tick) return TICK;
  const scope: Scope = { item: answer };
  if (st.status === 'warn') {
    const f = answerFor(engine, opts, scope, { q: 'accept', item: item.id }, '');
    return 'need' in f ? f.need : null;
  }
  try {
    for (const q of questionsFor(engine, item)) {
      const f = answerFor(engine, opts, scope, q.topic, q.message);
      if ('need' in f) return f.need;
    }
  } catch (e) {
    if (!isUserError(e)) throw e;
    return e.message;
  }
  return null;
}

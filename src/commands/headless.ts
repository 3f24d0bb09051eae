// Headless mode: the same engine, driven in order without Ink. Actions run one at a time; runs
// of consecutive checks run in parallel; manual items, records and sign-offs come from --answers.
// Stops at the first failure (exit 1) or the first thing only a person can answer (exit 3).
import { describeKept, keptRunning } from '../core/kept.js';
import type { Checklist, Item, Phase } from '../core/model.js';
import { isCheck } from '../core/model.js';
import type { RunEngine } from '../core/engine.js';
import { GateError } from '../core/engine.js';
import { isDone } from '../core/state.js';
import { itemState, missingSignoffs } from '../core/policy.js';
import { isUserError } from '../core/errors.js';
import type { Answers } from './answers.js';

export interface HeadlessOptions {
  jobs: number;
  answers: Answers;
  /** --yes: run items marked confirm: true without asking. */
  yes: boolean;
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
          // The checklist author asked for a yes before this check runs: headless, that yes is --yes.
          const unconfirmed = opts.yes ? [] : open.filter((it) => it.confirm);
          for (const it of unconfirmed) needs.push(`${it.id}: ${NEEDS_YES}`);
          const waiting = open.filter((it) => !unconfirmed.includes(it) && itemState(engine.state, it).waitingFor);
          for (const it of waiting) needs.push(`${it.id}: ${waitNeed(it, itemState(engine.state, it).waitingFor!)}`);
          // A check left running (on_disconnect: keep) is not started a second time beside itself.
          const stillRunning = open.filter((it) => !waiting.includes(it) && keptRunning(engine.keptProcess(it.id)));
          for (const it of stillRunning)
            needs.push(
              `${it.id}: left running when runsheet stopped and ${describeKept(engine.keptProcess(it.id)!, new Date())}: resume once it has ended`,
            );
          const unmet = open.filter(
            (it) => !unconfirmed.includes(it) && !waiting.includes(it) && !stillRunning.includes(it) && unmetVars(engine, it, opts).length,
          );
          for (const it of unmet) needs.push(`${it.id}: ${varNeed(unmetVars(engine, it, opts))}`);
          const todo = open.filter(
            (it) => !unconfirmed.includes(it) && !waiting.includes(it) && !stillRunning.includes(it) && !unmet.includes(it),
          );
          for (const it of todo) await giveVars(engine, it, opts);
          if (!todo.length) continue;
          const results = await engine.runChecks(
            todo.map((i) => i.id),
            opts.jobs,
          );
          for (const [id, r] of results) if (!r.ok) failed.push(id);
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
        const r = await handleOne(engine, step.item, opts);
        if (r === 'failed') {
          failed.push(step.item.id);
          return { code: 1, needs, failed };
        }
        if (typeof r === 'string' && r !== 'ok') needs.push(`${step.item.id}: ${r}`);
      }
    }
    for (const s of needs.length ? [] : (opts.answers.signoffs[phase.id] ?? [])) {
      if (!missingSignoffs(phase, engine.state).includes(s.role)) continue;
      try {
        await engine.signoff(phase.id, s.name, s.role, { reason: s.reason });
      } catch (e) {
        if (!isUserError(e)) throw e;
        needs.push(
          `${phase.id}: sign-off as ${s.role}: ${e.message}${e instanceof GateError ? ' (add `reason:` to the sign-off in --answers)' : ''}`,
        );
      }
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

/** A `when: {answer}` item whose choice has no answer yet: it can neither run nor be n/a. */
const waitNeed = (item: Item, choice: string) =>
  `applies only if "${choice}" is ${item.when!.answer!.is.join(' or ')}: answer "${choice}" (${item.when!.answer!.item}) first, or "skip: reason" in --answers`;
/** Vars the item uses that have no value yet and that --answers does not give either. */
const unmetVars = (engine: RunEngine, item: Item, opts: HeadlessOptions) =>
  engine.missingVars(item.id).filter((n) => opts.answers.vars[n] === undefined);
const varNeed = (names: string[]) =>
  `needs a value for ${names.map((n) => `\${${n}}`).join(', ')}: pass ${names.map((n) => `--set ${n}=…`).join(' ')}, or add "vars: {${names.map((n) => `${n}: …`).join(', ')}}" to --answers`;
/** Records the --answers values of the vars the item still needs (durably, as the TUI does), before it runs. */
async function giveVars(engine: RunEngine, item: Item, opts: HeadlessOptions): Promise<void> {
  for (const n of engine.missingVars(item.id)) await engine.setVar(n, opts.answers.vars[n]);
}
const NEEDS_YES = 'asks for confirmation: pass --yes to run confirm-gated items headless';
const ACKNOWLEDGE = (id: string) => `comparison warned: acknowledge it with "${id}: {accept: reason}" in --answers (or A in the TUI)`;

/** What `item` still needs from a person before it can go on, judged without doing anything. */
function pendingNeed(engine: RunEngine, item: Item, opts: HeadlessOptions): string | null {
  const st = itemState(engine.state, item);
  if (isDone(st.status)) return null;
  const answer = opts.answers.items[item.id];
  if (answer?.skip !== undefined) return null;
  if (st.waitingFor) return waitNeed(item, st.waitingFor);
  const k = item.action.kind;
  if (k === 'manual') return answer?.tick ? null : 'manual item: answer "tick" or "skip: reason" in --answers';
  if (k === 'record') return answer?.record !== undefined ? null : 'record item: answer "record: VALUE" in --answers';
  if (st.status === 'interrupted' && !isCheck(item) && !answer?.resolve) {
    // Left running (on_disconnect: keep): say what became of it, so the answer is not a guess.
    const kept = engine.keptProcess(item.id);
    if (kept)
      return `interrupted action left running, ${describeKept(kept, new Date())}: answer "${item.id}: {resolve: finished|failed${kept.status.state === 'running' ? '' : '|rerun'}}" in --answers, or resume in the TUI`;
    return `interrupted action (outcome unknown; never re-run automatically): answer "${item.id}: {resolve: finished|failed|rerun}" in --answers, or resume in the TUI`;
  }
  if (st.status === 'warn' && !answer?.accept) return ACKNOWLEDGE(item.id);
  if (item.confirm && !opts.yes && st.status !== 'interrupted') return NEEDS_YES;
  const unmet = unmetVars(engine, item, opts);
  if (unmet.length) return varNeed(unmet);
  return null;
}

async function handleOne(engine: RunEngine, item: Item, opts: HeadlessOptions): Promise<'ok' | 'failed' | string> {
  const st = itemState(engine.state, item);
  if (isDone(st.status)) return 'ok';
  const need = pendingNeed(engine, item, opts);
  if (need) return need;
  const answer = opts.answers.items[item.id];
  if (answer?.skip !== undefined) {
    await engine.skip(item.id, answer.skip);
    return 'ok';
  }
  const k = item.action.kind;
  try {
    if (k === 'manual') {
      await engine.tick(item.id);
      return 'ok';
    }
    if (k === 'record') {
      await engine.record(item.id, String(answer.record));
      return 'ok';
    }
    if (st.status === 'interrupted' && answer?.resolve) {
      await engine.resolve(item.id, answer.resolve, 'answered in --answers');
      if (answer.resolve !== 'rerun') return engine.state.items[item.id]?.status === 'failed' ? 'failed' : 'ok';
      // A re-run of a confirm-gated action still needs --yes.
      if (item.confirm && !opts.yes) return NEEDS_YES;
    }
    if (st.status === 'failed' && !isCheck(item)) return 'failed';
    if (st.status === 'warn') {
      await engine.accept(item.id, answer.accept!);
      return 'ok';
    }
    await giveVars(engine, item, opts);
    const r = await engine.runItem(item.id, { confirmed: true });
    if (r.verdict === 'warn') {
      if (!answer?.accept) return ACKNOWLEDGE(item.id);
      await engine.accept(item.id, answer.accept);
      return 'ok';
    }
    return r.ok ? 'ok' : 'failed';
  } catch (e) {
    if (!isUserError(e)) throw e;
    return e.message;
  }
}

// Headless answers the core's Ask port from --answers (and --yes). A question it has no answer
// for is not guessed: it is left unanswered (the flow cancels, nothing is recorded) and what to
// add to --answers is said through `need`, once per question.
import type { Ask, Choice, TextOptions, Topic } from '../core/flows/ask.js';
import type { RunEngine } from '../core/engine.js';
import { entry, type Answers, type ItemAnswer } from './answers.js';
import { acknowledge, NEEDS_YES, RECORD, resolveNeed, signoffReasonNeed, varNeed } from './needs.js';

export interface Signer {
  name: string;
  role: string;
  reason?: string;
}

/** What this question is answered with: the answer for the item (or sign-off) being worked. */
export interface Scope {
  item?: ItemAnswer;
  signer?: Signer;
}

export interface AnswerSource {
  answers: Answers;
  /** --yes: run items marked confirm: true without asking. */
  yes: boolean;
  /** Told every question asked, answered or not (a trace: tests compare it with the TUI's dialogs). */
  onQuestion?: (topic: Topic, message: string) => void;
}

type Found = { answer: string | boolean } | { need: string };

/** The answer --answers gives for `topic`, or what is needed instead. `message`: the question. */
export function answerFor(engine: RunEngine, src: AnswerSource, scope: Scope, topic: Topic, message: string): Found {
  const it = scope.item;
  switch (topic.q) {
    case 'confirm':
      return src.yes ? { answer: true } : { need: NEEDS_YES };
    case 'var': {
      const v = entry(src.answers.vars, topic.name);
      if (v !== undefined) return { answer: v };
      return { need: varNeed(engine.missingVars(topic.item).filter((n) => entry(src.answers.vars, n) === undefined)) };
    }
    case 'record':
      return it?.record !== undefined ? { answer: String(it.record) } : { need: RECORD };
    case 'skip':
      return it?.skip !== undefined ? { answer: it.skip } : { need: 'skipping needs "skip: reason" in --answers' };
    case 'accept':
      return it?.accept ? { answer: it.accept } : { need: acknowledge(topic.item) };
    case 'resolve':
      return it?.resolve ? { answer: it.resolve } : { need: resolveNeed(topic.item, engine.keptProcess(topic.item)) };
    case 'resolve-why':
      return { answer: 'answered in --answers' };
    case 'signer':
      return scope.signer ? { answer: scope.signer.name } : { need: 'a sign-off needs {name, role} in --answers' };
    case 'role':
      return scope.signer ? { answer: scope.signer.role } : { need: 'a sign-off needs {name, role} in --answers' };
    case 'reason':
      if (topic.override === 'signoff-with-failures' || topic.override === 'signoff-incomplete')
        return scope.signer?.reason ? { answer: scope.signer.reason } : { need: signoffReasonNeed(message) };
      return { need: `${message} (headless cannot answer this: resume in the TUI)` };
    case 'number': {
      const v = topic.metric ? entry(src.answers.items, topic.metric)?.record : undefined;
      return v === undefined
        ? { need: `a value for metric "${topic.metric ?? '?'}": answer "{record: N}" in --answers` }
        : { answer: String(v) };
    }
    case 'note':
    case 'rollback':
    case 'quit-running':
      return { need: `${message} (headless cannot answer this)` };
  }
}

export function answersAsk(engine: RunEngine, src: AnswerSource, scope: Scope, need: (message: string) => void): Ask {
  const find = (topic: Topic, message: string) => {
    src.onQuestion?.(topic, message);
    const f = answerFor(engine, src, scope, topic, message);
    if ('need' in f) need(f.need);
    return 'answer' in f ? f.answer : null;
  };
  return {
    confirm: (topic, message) => Promise.resolve(find(topic, message) === true),
    text: (topic, message, opts) => Promise.resolve(textAnswer(find(topic, message), message, opts, need)),
    choice: <T>(topic: Topic, message: string, choices: Choice<T>[]) => {
      const a = find(topic, message);
      const c = a === null ? undefined : choices.find((x) => String(x.value) === String(a));
      // Not one of the answers the question offers now (running again while a copy still runs):
      // the question itself says why.
      if (a !== null && !c) need(`${message} The answer "${String(a)}" in --answers is not one of those offered now.`);
      return Promise.resolve(c ? c.value : null);
    },
  };
}

/** A text answer is checked as the dialog would check what was typed. */
function textAnswer(a: string | boolean | null, message: string, opts: TextOptions | undefined, need: (m: string) => void): string | null {
  if (a === null) return null;
  const problem = opts?.validate?.(String(a));
  if (!problem) return String(a);
  need(`${message} ${problem} (the answer in --answers: ${String(a)})`);
  return null;
}

// What headless says it needs from a person, one line per item or phase: each names the answer
// to add to --answers (or the flag to pass) so the next run can go on.
import type { Item } from '../core/model.js';
import { KINDS } from '../core/kinds.js';
import { describeKept, type KeptInfo } from '../core/kept.js';

export const NEEDS_YES = 'asks for confirmation: pass --yes to run confirm-gated items headless';
/** What to write in --answers for an item of this kind (the kinds table says what its answer is). */
const answerNeed = (kind: 'manual' | 'record') => `${kind} item: answer ${KINDS[kind].answer ?? '?'} in --answers`;
export const TICK = answerNeed('manual');
export const RECORD = answerNeed('record');

export const acknowledge = (id: string) =>
  `comparison warned: acknowledge it with "${id}: {accept: reason}" in --answers (or A in the TUI)`;

/** A `when: {answer}` item whose choice has no answer yet: it can neither run nor be n/a. */
export const waitNeed = (item: Item, choice: string) =>
  `applies only if "${choice}" is ${item.when?.answer?.is.join(' or ') ?? '?'}: answer "${choice}" (${item.when?.answer?.item ?? '?'}) first, or "skip: reason" in --answers`;

export const varNeed = (names: readonly string[]) =>
  `needs a value for ${names.map((n) => `\${${n}}`).join(', ')}: pass ${names.map((n) => `--set ${n}=…`).join(' ')}, or add "vars: {${names.map((n) => `${n}: …`).join(', ')}}" to --answers`;

/** An interrupted action: never re-run automatically; say what became of a command left running. */
export function resolveNeed(id: string, kept: KeptInfo | null): string {
  if (kept)
    return `interrupted action left running, ${describeKept(kept, new Date())}: answer "${id}: {resolve: finished|failed${kept.status.state === 'running' ? '' : '|rerun'}}" in --answers, or resume in the TUI`;
  return `interrupted action (outcome unknown; never re-run automatically): answer "${id}: {resolve: finished|failed|rerun}" in --answers, or resume in the TUI`;
}

export const keptNeed = (kept: KeptInfo) =>
  `left running when runsheet stopped and ${describeKept(kept, new Date())}: resume once it has ended`;

/** A sign-off's reason (signing with failures, or items not done); the driver says which role. */
export const signoffReasonNeed = (message: string) => `${message} (add \`reason:\` to the sign-off in --answers)`;

// What the operator must confirm or justify before an action. runsheet never blocks the operator;
// it asks, and records the answer. Both front ends ask the same questions from here.
import type { Checklist, Item, Phase } from './model.js';
import { isCheck } from './kinds.js';
import type { OverrideKind } from './events.js';
import { effectiveItemState, type RunState, type ItemState, emptyItem } from './state.js';
import { phaseProgress } from './progress.js';

export type Gate =
  | { kind: 'confirm'; message: string; /** The action already ran: this asks to run it again. */ again?: boolean }
  | { kind: 'reason'; override: OverrideKind; message: string }
  | { kind: 'resolve'; message: string };

/**
 * The item's state. Given the item (not just its id), the state as the run sees it: an item whose
 * `when.answer` does not match is n/a, one whose choice is unanswered is waiting (state.ts).
 */
export function itemState(s: RunState, item: Item | string): ItemState {
  if (typeof item === 'string') return s.items[item] ?? emptyItem();
  return effectiveItemState(item, s.items[item.id] ?? emptyItem(), s);
}

export function missingSignoffs(p: Phase, s: RunState): string[] {
  const signed = new Set((s.signoffs[p.id] ?? []).map((x) => x.role));
  return p.signoff.filter((r) => !signed.has(r));
}

export function phaseComplete(p: Phase, s: RunState): boolean {
  const pr = phaseProgress(p, s);
  return pr.done === pr.total && missingSignoffs(p, s).length === 0;
}

export function failedCritical(p: Phase, s: RunState): Item[] {
  return p.sections
    .flatMap((sec) => sec.items)
    .filter((it) => it.critical && ['failed', 'warn', 'interrupted'].includes(itemState(s, it).status));
}

/** Earlier main-track phases that are not complete when working on phase `p`. */
export function unfinishedBefore(c: Checklist, p: Phase, s: RunState): Phase[] {
  if (p.rollback) return [];
  const idx = c.phases.findIndex((x) => x.id === p.id);
  return c.phases.slice(0, Math.max(0, idx)).filter((x) => !phaseComplete(x, s));
}

function outOfOrderGate(c: Checklist, p: Phase, s: RunState): Gate[] {
  const open = unfinishedBefore(c, p, s);
  if (!open.length) return [];
  if (s.overrides.some((o) => o.kind === 'out-of-order' && o.phase === p.id)) return [];
  return [{ kind: 'reason', override: 'out-of-order', message: `"${open[0].title}" is not complete yet. Why work on "${p.title}" now?` }];
}

/** Questions to ask before running (or re-running) an automated item. */
export function gatesForRun(c: Checklist, p: Phase, item: Item, s: RunState): Gate[] {
  const st = itemState(s, item);
  const gates: Gate[] = [...outOfOrderGate(c, p, s)];
  if (st.status === 'interrupted' && !isCheck(item)) {
    gates.unshift({
      kind: 'resolve',
      message: `"${item.title}" was interrupted while running. Did it finish, fail, or should it run again?`,
    });
    return gates;
  }
  if (!isCheck(item) && st.attempts > 0 && st.status !== 'pending') {
    gates.push({ kind: 'confirm', again: true, message: `"${item.title}" is an action that already ran (${st.status}). Run it again?` });
  } else if (item.confirm) {
    gates.push({ kind: 'confirm', message: `Run "${item.title}"?` });
  }
  return gates;
}

/** Questions to ask before ticking, skipping or recording. */
export function gatesForManual(c: Checklist, p: Phase, s: RunState): Gate[] {
  return outOfOrderGate(c, p, s);
}

export function gatesForSignoff(p: Phase, s: RunState): Gate[] {
  const gates: Gate[] = [];
  const crit = failedCritical(p, s);
  if (crit.length) {
    gates.push({
      kind: 'reason',
      override: 'signoff-with-failures',
      message: `${crit.length} critical item(s) failed (${crit.map((i) => i.title).join(', ')}). Why sign off anyway?`,
    });
  }
  const pr = phaseProgress(p, s);
  if (pr.done < pr.total && !crit.length) {
    gates.push({
      kind: 'reason',
      override: 'signoff-incomplete',
      message: `${pr.total - pr.done} item(s) of "${p.title}" are not done. Why sign off now?`,
    });
  }
  return gates;
}

export function findItem(c: Checklist, id: string): { item: Item; phase: Phase } | undefined {
  for (const p of c.rollback ? [...c.phases, c.rollback] : c.phases)
    for (const sec of p.sections) for (const item of sec.items) if (item.id === id) return { item, phase: p };
  return undefined;
}

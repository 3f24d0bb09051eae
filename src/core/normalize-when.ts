// `when: {answer: {item, is}}`: checked once every item has its id (a derived id is known only
// after its item is built), because the choice must exist, be a `record: choice`, come earlier in
// the checklist, and offer every value `is` names.
import type { Action, AnswerGate, Pos } from './model.js';
import type { Finder } from './yaml-pos.js';
import { suggest } from './suggest.js';

type Path = (string | number)[];

export interface SeenItem {
  id: string;
  title: string;
  action: Action;
  /** Document order, main phases then rollback. */
  order: number;
  /** Left out by `when.env`. */
  dropped: boolean;
}

export interface PendingGate {
  /** The gated item. */
  id: string;
  order: number;
  path: Path;
  raw: { item: string; is: string | number | (string | number)[] };
}

export interface ResolvedGates {
  gates: Map<string, AnswerGate>;
  /** Gated items whose choice is left out in this environment: they are left out too. */
  drop: Map<string, string>;
  problems: { pos: Pos; message: string }[];
}

export function resolveAnswerGates(seen: SeenItem[], pending: PendingGate[], finder: Finder): ResolvedGates {
  const byId = new Map(seen.map((s) => [s.id, s]));
  const out: ResolvedGates = { gates: new Map(), drop: new Map(), problems: [] };
  const report = (path: Path, message: string) => out.problems.push({ pos: finder.value(path), message });
  for (const g of pending) {
    const at = [...g.path, 'when', 'answer'];
    const choice = byId.get(g.raw.item);
    if (!choice) {
      const choices = seen.filter((s) => s.action.kind === 'record' && s.action.record === 'choice').map((s) => s.id);
      const hint = suggest(g.raw.item, choices);
      report(
        [...at, 'item'],
        `when.answer.item: no item has id "${g.raw.item}"${hint ? ` (did you mean "${hint}"?)` : choices.length ? ` (choice items: ${choices.join(', ')})` : ' (the checklist has no record: choice item)'}`,
      );
      continue;
    }
    const a = choice.action;
    if (a.kind !== 'record' || a.record !== 'choice') {
      report(
        [...at, 'item'],
        `when.answer.item: "${choice.title}" (${choice.id}) is not a record: choice item; an item can depend only on a choice's answer`,
      );
      continue;
    }
    if (choice.order >= g.order) {
      report(
        [...at, 'item'],
        `when.answer.item: the choice "${choice.title}" (${choice.id}) comes ${choice.id === g.id ? 'at' : 'after'} this item; it must come earlier, so the operator answers it first`,
      );
      continue;
    }
    const raw = (Array.isArray(g.raw.is) ? g.raw.is : [g.raw.is]).map(String);
    const options = a.options ?? [];
    if (!options.length) continue; // "record: choice needs an options list" is reported already
    // As the choice itself accepts an answer typed in any case, and stores the option as written.
    const is: string[] = [];
    let ok = true;
    raw.forEach((v, i) => {
      const match = options.find((o) => o.toLowerCase() === v.toLowerCase());
      if (match) return void is.push(match);
      ok = false;
      const hint = suggest(v, options);
      report(
        Array.isArray(g.raw.is) ? [...at, 'is', i] : [...at, 'is'],
        `when.answer.is: "${v}" is not an option of "${choice.title}" (options: ${options.join(', ')})${hint ? `; did you mean "${hint}"?` : ''}`,
      );
    });
    if (!ok) continue;
    // A choice that is itself gated: its gate goes along, so n/a follows the chain without a lookup.
    const parent = out.gates.get(choice.id);
    out.gates.set(g.id, { item: choice.id, is, title: choice.title, ...(parent ? { parent } : {}) });
    if (choice.dropped) out.drop.set(g.id, `only when "${choice.title}" is ${is.join(' or ')}, and that choice is left out here`);
  }
  return out;
}

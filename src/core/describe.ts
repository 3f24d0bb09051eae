// One-line descriptions of items, shared by `plan`, the TUI detail pane, headless output and
// reports so every front end says the same thing about the same item. The words for each kind
// are in its entry in KINDS (kinds.ts).
import { specOf, type ItemLike } from './kinds.js';

/** Short kind label: action, check, manual, record, snapshot, compare. */
export function kindLabel(item: Pick<ItemLike, 'action'>): string {
  return specOf(item.action).label(item.action);
}

/** The exact thing runsheet will do, after variable substitution (callers redact secrets). */
export function describeAction(item: ItemLike): string {
  return specOf(item.action).describe(item.action, item);
}

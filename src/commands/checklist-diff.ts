// Which items a checklist edit added or removed, by id: what an operator resuming needs to know.
import { allItems, type Checklist } from '../core/model.js';

export function checklistDiff(before: Checklist, after: Checklist): { added: string[]; removed: string[] } {
  const a = new Set(allItems(before).map((i) => i.id));
  const b = new Set(allItems(after).map((i) => i.id));
  return { added: [...b].filter((id) => !a.has(id)), removed: [...a].filter((id) => !b.has(id)) };
}

// The `?` overlay's lines: every key from the bindings table, the status marks, the run's
// identity (the header may have had to shorten it) and any warnings from opening the run.
// The checklist's reference sections are listed by title after the keys.
import { COMMANDS, Command, bindingName, keyNames } from './keys.js';
import { LEGEND, statusMark } from './theme.js';
import type { PagerLine } from './pager.js';
import { wrapLines } from './text.js';

export function helpLines(o: { runId: string; warnings: string[]; readOnly: boolean; width: number; reference?: string[] }): PagerLine[] {
  const lines: PagerLine[] = [{ text: 'Keys', style: { bold: true } }];
  for (const c of COMMANDS) {
    // Long explanations wrap under themselves, not under the keys.
    const [first, ...rest] = wrapLines(c.help, Math.max(20, o.width - 19));
    lines.push({ text: `  ${c.keys.map(bindingName).join(' / ').padEnd(16)} ${first}` });
    for (const r of rest) lines.push({ text: `${' '.repeat(19)}${r}` });
  }
  if (o.reference?.length) {
    // The checklist's reading material, by title; `d` opens it in full.
    lines.push({ text: '' }, { text: `Reference (${keyNames(Command.Reference)} to read)`, style: { bold: true } });
    o.reference.forEach((t, n) => {
      for (const [k, l] of wrapLines(`${n + 1}. ${t}`, Math.max(20, o.width - 2)).entries())
        lines.push({ text: `  ${k ? '   ' : ''}${l}` });
    });
  }
  lines.push({ text: '' }, { text: 'Marks', style: { bold: true } });
  for (const [st, label] of LEGEND) lines.push({ text: `  ${statusMark(st).mark} ${label}`, style: { color: statusMark(st).color } });
  lines.push({ text: '  !  before the kind: critical item' });
  lines.push(
    { text: '' },
    { text: 'Run', style: { bold: true } },
    { text: `  ${o.runId}${o.readOnly ? ' (read-only view: open in another process)' : ''}` },
  );
  lines.push({ text: `  resume later with: runsheet resume ${o.runId}`, style: { dim: true } });
  if (o.warnings.length) {
    lines.push({ text: '' }, { text: 'Warnings', style: { bold: true } });
    for (const w of o.warnings)
      for (const l of wrapLines(w, Math.max(20, o.width - 2))) lines.push({ text: `  ${l}`, style: { color: 'yellow' } });
  }
  return lines;
}

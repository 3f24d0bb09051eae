// The `?` overlay's lines: every key from the bindings table, the status marks, the run's
// identity (the header may have had to shorten it) and any warnings from opening the run.
import { COMMANDS, bindingName } from './keys.js';
import { LEGEND, statusMark } from './theme.js';
import type { PagerLine } from './pager.js';

export function helpLines(o: { runId: string; warnings: string[]; readOnly: boolean }): PagerLine[] {
  const lines: PagerLine[] = [{ text: 'Keys', style: { bold: true } }];
  for (const c of COMMANDS) lines.push({ text: `  ${c.keys.map(bindingName).join(' / ').padEnd(16)} ${c.help}` });
  lines.push({ text: '' }, { text: 'Marks', style: { bold: true } });
  for (const [st, label] of LEGEND) lines.push({ text: `  ${statusMark(st).mark} ${label}`, style: { color: statusMark(st).color } });
  lines.push({ text: '  !  before the kind: critical item' });
  lines.push({ text: '' }, { text: 'Run', style: { bold: true } }, { text: `  ${o.runId}${o.readOnly ? ' (read-only view: open in another process)' : ''}` });
  lines.push({ text: `  resume later with: runsheet resume ${o.runId}`, style: { dim: true } });
  if (o.warnings.length) {
    lines.push({ text: '' }, { text: 'Warnings', style: { bold: true } });
    for (const w of o.warnings) lines.push({ text: `  ${w}`, style: { color: 'yellow' } });
  }
  return lines;
}

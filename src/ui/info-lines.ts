// The `i` overlay: the run's identity in full, one value per line from the first column, so a
// mouse selection (or tmux copy mode) copies it whole. The header has to shorten the run id;
// here nothing is cut: a value longer than the screen continues on the next line.
import type { RunState } from '../core/state.js';
import { safeLine } from '../core/safe-text.js';
import type { PagerLine } from './pager.js';
import { wrapLines } from './text.js';

/** `s` broken into lines of exactly `cols` code points (paths have no spaces to wrap at). */
function hardWrap(s: string, cols: number): string[] {
  const c = [...s];
  const out: string[] = [];
  for (let i = 0; i < c.length; i += cols) out.push(c.slice(i, i + cols).join(''));
  return out.length ? out : [''];
}

export function infoLines(o: {
  runId: string;
  state: RunState;
  env: string | null;
  operator: string;
  runDir?: string;
  warnings: string[];
  readOnly: boolean;
  width: number;
}): PagerLine[] {
  const w = Math.max(10, o.width);
  const lines: PagerLine[] = [];
  const field = (label: string, value: string) => {
    lines.push({ text: label, style: { bold: true } });
    for (const l of hardWrap(safeLine(value), w)) lines.push({ text: l });
  };
  const s = o.state;
  field('Run id', o.runId);
  field('Checklist', s.checklist.path || s.checklist.title);
  field('Environment', o.env ?? '- (none chosen)');
  field('Operator', s.operator && s.operator !== o.operator ? `${o.operator} (run started by ${s.operator})` : o.operator);
  field('Host', s.host || '-');
  field('Started', s.startedAt || '-');
  if (o.runDir) {
    field('Event log', `${o.runDir}/events.jsonl`);
    field('Command output logs', `${o.runDir}/logs/`);
  }
  field('Resume with', `runsheet resume ${o.runId}`);
  if (o.readOnly) lines.push({ text: 'read-only view: the run is open in another process', style: { color: 'yellow' } });
  if (o.warnings.length) {
    lines.push({ text: '' }, { text: `Warnings (${o.warnings.length})`, style: { bold: true } });
    for (const warning of o.warnings) {
      const [first, ...rest] = wrapLines(safeLine(warning), w - 2);
      lines.push({ text: `- ${first}`, style: { color: 'yellow' } });
      for (const r of rest) lines.push({ text: `  ${r}`, style: { color: 'yellow' } });
    }
  }
  return lines;
}

// The `?` overlay: every key from the bindings table, the status marks, and startup warnings.
import { COMMANDS, bindingName } from './keys.js';
import { LEGEND, statusMark } from './theme.js';
import { Pager, type PagerLine } from './pager.js';

export function helpLines(warnings: string[]): PagerLine[] {
  const lines: PagerLine[] = [{ text: 'Keys', style: { bold: true } }];
  for (const c of COMMANDS) lines.push({ text: `  ${c.keys.map(bindingName).join(' / ').padEnd(16)} ${c.help}` });
  lines.push({ text: '' }, { text: 'Marks', style: { bold: true } });
  for (const [st, label] of LEGEND) lines.push({ text: `  ${statusMark(st).mark} ${label}`, style: { color: statusMark(st).color } });
  lines.push({ text: '  ! before the kind: critical item' });
  if (warnings.length) {
    lines.push({ text: '' }, { text: 'Warnings', style: { bold: true } });
    for (const w of warnings) lines.push({ text: `  ${w}`, style: { color: 'yellow' } });
  }
  return lines;
}

export function Help(props: { warnings: string[]; width: number; height: number; active: boolean; onClose: () => void }) {
  return <Pager title="runsheet help" lines={helpLines(props.warnings)} width={props.width} height={props.height} active={props.active} onClose={props.onClose} closeKeys={['?']} />;
}

// Dialog views: a text field, a y/n confirmation and a choice list, drawn from the open dialog in
// the store (keys are applied by dialogKey in dialogs.ts). Each draws at most `height` lines.
import { Box } from 'ink';
import { useStore } from 'zustand';
import { Line } from './theme.js';
import { wrapLines } from './text.js';
import { safeLine, safeText } from '../core/safe-text.js';
import type { OpenDialog } from './dialogs.js';
import type { DialogStore } from './screen-store.js';

/** A question's text, wrapped: it quotes titles and answers (untrusted), escaped before wrapping. */
function messageLines(text: string, width: number): string[] {
  return wrapLines(safeText(text), width);
}

function Message({ text, width, max }: { text: string; width: number; max: number }) {
  const lines = messageLines(text, width).slice(0, Math.max(1, max));
  return (
    <>
      {lines.map((l, i) => (
        <Line key={i} style={{ bold: true }}>
          {l}
        </Line>
      ))}
    </>
  );
}

function TextView({ d, width, height }: { d: OpenDialog; width: number; height: number }) {
  const s = d.spec.kind === 'text' ? d.spec : undefined;
  // Pasted text may hold C1 or bidi controls (the dialog drops C0): each character shown escaped.
  const shown = d.value && s?.mask ? [...d.value].map(() => '•') : [...(d.value || s?.placeholder || '')].map(safeLine);
  const at = d.value ? Math.min(d.cursor, shown.length) : 0;
  const line = ['>', ' ', ...shown.slice(0, at), ...(d.value ? ['▏'] : []), ...shown.slice(at)];
  // The cursor stays visible in a long answer: that is where the operator is typing.
  const w = Math.max(1, width);
  const start = Math.max(0, Math.min(at + 3 - w, line.length - w));
  const field = line.slice(start, start + w).join('');
  return (
    <Box flexDirection="column" width={width}>
      <Message text={d.spec.message} width={width} max={height - 2} />
      <Line style={d.value ? { color: 'cyan' } : { dim: true }}>{field}</Line>
      <Line style={d.error ? { color: 'red' } : { dim: true }}>{d.error ?? 'Enter: ok · Esc: cancel · ←→ move · Ctrl-U: clear'}</Line>
    </Box>
  );
}

function ConfirmView({ d, width, height }: { d: OpenDialog; width: number; height: number }) {
  const detail = d.spec.kind === 'confirm' && d.spec.detail ? wrapLines(safeText(d.spec.detail), width) : [];
  const msg = Math.min(wrapLines(d.spec.message, width).length, Math.max(1, height - 1 - detail.length));
  const room = Math.max(0, height - 1 - msg);
  // All of the command when it fits; cut short, the last line says so rather than look whole.
  const shown = detail.length > room ? [...detail.slice(0, Math.max(0, room - 1)), '… (cut: runsheet plan prints it whole)'] : detail;
  return (
    <Box flexDirection="column" width={width}>
      <Message text={d.spec.message} width={width} max={msg} />
      {shown.slice(0, room).map((l, i) => (
        <Line key={i} style={{ color: 'cyan' }}>
          {l}
        </Line>
      ))}
      <Line style={{ color: 'yellow' }}>y: yes · n / Enter / Esc: no</Line>
    </Box>
  );
}

function ChoiceView({ d, width, height }: { d: OpenDialog; width: number; height: number }) {
  const choices = d.spec.kind === 'choice' ? d.spec.choices : [];
  const n = choices.length;
  const msgLines = Math.min(messageLines(d.spec.message, width).length, Math.max(1, height - 1 - Math.min(n, 3)));
  const room = Math.max(1, height - msgLines - 1);
  const top = Math.min(Math.max(0, d.sel - room + 1), Math.max(0, n - room));
  return (
    <Box flexDirection="column" width={width}>
      <Message text={d.spec.message} width={width} max={msgLines} />
      {choices.slice(top, top + room).map((c, i) => {
        const idx = top + i;
        const on = idx === d.sel;
        return (
          <Line key={idx} style={on ? { color: 'cyan', bold: true } : undefined}>
            {`${on ? '>' : ' '} ${idx + 1}. ${c.label}${c.hotkey ? ` (${c.hotkey})` : ''}`}
          </Line>
        );
      })}
      <Line style={{ dim: true }}>↑/↓ choose · Enter: ok · Esc: cancel</Line>
    </Box>
  );
}

/** Renders the store's open dialog, as each key changes it, in at most `height` lines. */
export function DialogView({ store, width, height }: { store: DialogStore; width: number; height: number }) {
  const dialog = useStore(store, (s) => s.dialog);
  if (!dialog) return null;
  const k = dialog.spec.kind;
  const View = k === 'confirm' ? ConfirmView : k === 'text' ? TextView : ChoiceView;
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <View d={dialog} width={width} height={height} />
    </Box>
  );
}

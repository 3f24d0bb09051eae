// Dialog components: a text field, a y/n confirmation and a choice list. Each takes `active` so
// only the open dialog reads keys, and draws at most `height` lines.
import { useState } from 'react';
import { Box, useInput } from 'ink';
import { Line } from './theme.js';
import { wrapLines } from './text.js';
import type { Choice, OpenDialog } from './dialogs.js';

interface Frame {
  width: number;
  height: number;
  active: boolean;
}

function Message({ text, width, max }: { text: string; width: number; max: number }) {
  const lines = wrapLines(text, width).slice(0, Math.max(1, max));
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

export function TextPrompt(props: Frame & { message: string; initial?: string; placeholder?: string; validate?: (t: string) => string | null; onDone: (v: string | null) => void }) {
  const [value, setValue] = useState(props.initial ?? '');
  const [error, setError] = useState<string | null>(null);
  useInput(
    (input, key) => {
      if (key.escape) return props.onDone(null);
      if (key.return) {
        const err = props.validate?.(value) ?? null;
        if (err) return setError(err);
        return props.onDone(value);
      }
      if (key.backspace || key.delete) return setValue((v) => [...v].slice(0, -1).join(''));
      if (key.ctrl && input === 'u') return setValue('');
      if (key.ctrl || key.meta || key.tab || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow) return;
      // Pasted text arrives as one chunk; keep it on one line.
      const clean = input.replace(/[\r\n]+/g, ' ').replace(/[\x00-\x1f\x7f]/g, '');
      if (clean) {
        setError(null);
        setValue((v) => v + clean);
      }
    },
    { isActive: props.active },
  );
  const shown = value || props.placeholder || '';
  const field = [...`> ${shown}`].slice(-(props.width - 1)).join('');
  return (
    <Box flexDirection="column" width={props.width}>
      <Message text={props.message} width={props.width} max={props.height - 3} />
      <Line style={{ color: 'cyan' }}>{field + (value ? '▏' : '')}</Line>
      <Line style={error ? { color: 'red' } : { dim: true }}>{error ?? 'Enter: ok · Esc: cancel'}</Line>
    </Box>
  );
}

export function ConfirmPrompt(props: Frame & { message: string; onDone: (v: boolean) => void }) {
  useInput(
    (input, key) => {
      if (input === 'y' || input === 'Y') props.onDone(true);
      else if (input === 'n' || input === 'N' || key.escape || key.return) props.onDone(false);
    },
    { isActive: props.active },
  );
  return (
    <Box flexDirection="column" width={props.width}>
      <Message text={props.message} width={props.width} max={props.height - 1} />
      <Line style={{ color: 'yellow' }}>y: yes · n / Enter / Esc: no</Line>
    </Box>
  );
}

export function ChoicePrompt<T>(props: Frame & { message: string; choices: Choice<T>[]; onDone: (v: T | null) => void }) {
  const [sel, setSel] = useState(0);
  const n = props.choices.length;
  useInput(
    (input, key) => {
      if (key.escape) return props.onDone(null);
      if (key.upArrow || input === 'k') return setSel((s) => (s - 1 + n) % n);
      if (key.downArrow || input === 'j') return setSel((s) => (s + 1) % n);
      if (key.return) return props.onDone(props.choices[sel].value);
      const hot = props.choices.find((c) => c.hotkey === input);
      if (hot) return props.onDone(hot.value);
      const d = Number(input);
      if (Number.isInteger(d) && d >= 1 && d <= n) props.onDone(props.choices[d - 1].value);
    },
    { isActive: props.active },
  );
  const msgLines = Math.min(wrapLines(props.message, props.width).length, Math.max(1, props.height - 2 - Math.min(n, 3)));
  const room = Math.max(1, props.height - msgLines - 1);
  const top = Math.min(Math.max(0, sel - room + 1), Math.max(0, n - room));
  return (
    <Box flexDirection="column" width={props.width}>
      <Message text={props.message} width={props.width} max={msgLines} />
      {props.choices.slice(top, top + room).map((c, i) => {
        const idx = top + i;
        const on = idx === sel;
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

/** Renders whichever dialog is open. */
export function DialogView({ dialog, width, height }: { dialog: OpenDialog; width: number; height: number }) {
  const s = dialog.spec;
  const frame = { width, height, active: true };
  if (s.kind === 'confirm') return <ConfirmPrompt {...frame} message={s.message} onDone={dialog.answer} />;
  if (s.kind === 'text') return <TextPrompt {...frame} message={s.message} initial={s.initial} placeholder={s.placeholder} validate={s.validate} onDone={dialog.answer} />;
  return <ChoicePrompt {...frame} message={s.message} choices={s.choices} onDone={dialog.answer} />;
}

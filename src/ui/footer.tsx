// Status line (the outcome of the last action) and the footer listing the keys that apply now.
import { Command, bindingName, specOf } from './keys.js';
import { Line } from './theme.js';
import { fitEnd, width as cols } from './fit.js';
import type { Tone } from '../core/flows/context.js';
import { KINDS, type ActionKind } from '../core/kinds.js';

const TONE_COLOR: Record<Tone, string | undefined> = { info: undefined, ok: 'green', error: 'red' };

/** One line; a message too long for it is cut before `more` (which says where the rest is), never after. */
export function StatusLine({ message, tone, more, width }: { message: string; tone: Tone; more?: string; width?: number }) {
  const text = more && width && cols(message) > width ? `${fitEnd(message, width - cols(more) - 1)} ${more}` : message;
  return <Line style={{ color: TONE_COLOR[tone] }}>{text || ' '}</Line>;
}

export interface FooterContext {
  /** A pager or dialog has the keys: the footer says how to get out of it. */
  overlay?: 'pager' | 'dialog';
  kind?: ActionKind;
  status?: string;
  hasChecks: boolean;
  hasOutput: boolean;
  canSignoff: boolean;
  hasRollback: boolean;
  running: boolean;
  readOnly: boolean;
}

/** The commands that do something right now, most specific first. */
export function applicable(c: FooterContext): { command: Command; label: string }[] {
  const out: { command: Command; label: string }[] = [];
  const add = (command: Command, label = specOf(command).label) => out.push({ command, label });
  if (c.running) add(Command.Stop);
  if (!c.readOnly && c.kind) {
    // Enter's label is what Enter does to this kind: run, tick or record.
    const enter = KINDS[c.kind].enter;
    add(Command.Act, enter);
    if (enter === 'tick') add(Command.Toggle, c.status === 'ticked' ? 'untick' : 'tick');
    if (c.status === 'failed' || c.status === 'warn') add(Command.Accept);
    if (enter === 'run' && c.status !== 'pending') add(Command.Rerun);
    if (c.status !== 'skipped' && c.status !== 'running') add(Command.Skip);
    add(Command.Note);
    if (c.hasChecks) add(Command.RunChecks);
  }
  if (c.hasOutput) add(Command.Pager);
  if (!c.readOnly && c.canSignoff) add(Command.Signoff);
  add(Command.Filter);
  if (!c.readOnly && c.hasRollback) add(Command.Rollback);
  add(Command.Info);
  add(Command.Help);
  add(Command.Quit);
  return out;
}

function shortKeys(command: Command): string {
  // Footer space is tight: the first binding (plus the vi key for movement) is enough here.
  if (command === Command.Up || command === Command.Down) return '↑↓';
  return bindingName(specOf(command).keys[0]);
}

export function Footer({ ctx, width }: { ctx: FooterContext; width: number }) {
  return <Line style={{ dim: true }}>{footerText(ctx, width)}</Line>;
}

/** Keys that fit in `width`; `? help` and `q quit` always stay visible at the end. */
export function footerText(ctx: FooterContext, width: number): string {
  const stop = ctx.running ? 'Ctrl-C stop · ' : '';
  if (ctx.overlay === 'pager') return `${stop}↑↓ j/k scroll · PgUp/PgDn · g/G top/end · q/Esc close`;
  if (ctx.overlay === 'dialog') return `${stop}Esc cancels the question`;
  const all = applicable(ctx).map((a) => `${shortKeys(a.command)} ${a.label}`);
  const tail = all.slice(-2);
  const parts = [...all.slice(0, -2), `${shortKeys(Command.Up)} move`, '←→ phase'];
  const tailText = tail.join(' · ');
  const out: string[] = [];
  let used = [...tailText].length;
  for (const p of parts) {
    if (used + [...p].length + 3 > width) break;
    out.push(p);
    used += [...p].length + 3;
  }
  return [...out, tailText].join(' · ');
}

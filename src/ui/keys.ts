// Key bindings as data: the input handler, the footer and the `?` help overlay all read this one
// table, so what the screen says a key does is always what it does.
import type { Key } from 'ink';

export enum Command {
  Up = 'up',
  Down = 'down',
  PrevPhase = 'prev-phase',
  NextPhase = 'next-phase',
  Act = 'act',
  Toggle = 'toggle',
  Skip = 'skip',
  Note = 'note',
  Rerun = 'rerun',
  RunChecks = 'run-checks',
  Accept = 'accept',
  Pager = 'pager',
  Signoff = 'signoff',
  Rollback = 'rollback',
  Filter = 'filter',
  Quit = 'quit',
  Stop = 'stop',
  Help = 'help',
  Reference = 'reference',
  Info = 'info',
}

type Special = 'up' | 'down' | 'left' | 'right' | 'tab' | 'shift-tab' | 'return' | 'ctrl-c';

export interface Binding {
  /** A printable key (case-sensitive: `r` re-runs, `R` rolls back). */
  key?: string;
  special?: Special;
}

export interface CommandSpec {
  command: Command;
  keys: Binding[];
  /** Short label for the footer. */
  label: string;
  /** One line for the help overlay. */
  help: string;
}

export const COMMANDS: CommandSpec[] = [
  { command: Command.Up, keys: [{ special: 'up' }, { key: 'k' }], label: 'move', help: 'previous item' },
  { command: Command.Down, keys: [{ special: 'down' }, { key: 'j' }], label: 'move', help: 'next item' },
  {
    command: Command.PrevPhase,
    keys: [{ special: 'left' }, { key: 'h' }, { special: 'shift-tab' }],
    label: 'phase',
    help: 'previous phase',
  },
  {
    command: Command.NextPhase,
    keys: [{ special: 'right' }, { key: 'l' }, { special: 'tab' }],
    label: 'phase',
    help: 'next phase (past a failed critical item: asks why, recorded as an override)',
  },
  {
    command: Command.Act,
    keys: [{ special: 'return' }],
    label: 'act',
    help: 'act on the item: run it (command, HTTP or env check; confirm: true asks first), tick a manual item, record a value',
  },
  { command: Command.Toggle, keys: [{ key: ' ' }], label: 'tick', help: 'tick / untick a manual item' },
  { command: Command.Skip, keys: [{ key: 's' }], label: 'skip', help: 'skip the item (asks for a reason)' },
  { command: Command.Note, keys: [{ key: 'n' }], label: 'note', help: 'add a note to the item' },
  { command: Command.Rerun, keys: [{ key: 'r' }], label: 're-run', help: 're-run the item (an action that already ran asks first)' },
  {
    command: Command.RunChecks,
    keys: [{ key: 'a' }],
    label: 'all checks',
    help: 'run every check of this section in parallel (never actions)',
  },
  {
    command: Command.Accept,
    keys: [{ key: 'A' }],
    label: 'accept',
    help: 'accept a failed / warning item (asks for a reason, recorded as an override)',
  },
  { command: Command.Pager, keys: [{ key: 'o' }], label: 'output', help: 'the item in a pager: its notes in full, then its whole output' },
  { command: Command.Signoff, keys: [{ key: 'g' }], label: 'sign off', help: 'sign off the current phase (name and role)' },
  { command: Command.Rollback, keys: [{ key: 'R' }], label: 'rollback', help: 'switch to the rollback track (asks for a reason)' },
  { command: Command.Filter, keys: [{ key: '/' }], label: 'filter', help: 'filter items by text (empty clears)' },
  {
    command: Command.Stop,
    keys: [{ special: 'ctrl-c' }],
    label: 'stop',
    help: 'stop the running command (SIGTERM, SIGKILL after 5 s); never quits',
  },
  {
    command: Command.Info,
    keys: [{ key: 'i' }],
    label: 'info',
    help: 'run info in full, to copy: run id, checklist, env, operator, host, started, log paths, warnings',
  },
  { command: Command.Help, keys: [{ key: '?' }], label: 'help', help: 'show all keys (and the reference sections)' },
  {
    command: Command.Reference,
    keys: [{ key: 'd' }],
    label: 'reference',
    help: "read the checklist's reference docs (commands, contacts, …: reading only, never run)",
  },
  {
    command: Command.Quit,
    keys: [{ key: 'q' }],
    label: 'quit',
    help: 'quit: everything is already saved; with a command running, asks: leave it running or kill it',
  },
];

const SPECIAL_NAMES: Record<Special, string> = {
  up: '↑',
  down: '↓',
  left: '←',
  right: '→',
  tab: 'Tab',
  'shift-tab': 'S-Tab',
  return: 'Enter',
  'ctrl-c': 'Ctrl-C',
};

function matches(b: Binding, input: string, key: Key): boolean {
  if (b.key !== undefined) return !key.ctrl && !key.meta && input === b.key;
  switch (b.special) {
    case 'up':
      return key.upArrow;
    case 'down':
      return key.downArrow;
    case 'left':
      return key.leftArrow;
    case 'right':
      return key.rightArrow;
    case 'tab':
      return key.tab && !key.shift;
    case 'shift-tab':
      return key.tab && key.shift;
    case 'return':
      return key.return;
    case 'ctrl-c':
      return key.ctrl && input === 'c';
    default:
      return false;
  }
}

export function commandFor(input: string, key: Key): Command | undefined {
  return COMMANDS.find((c) => c.keys.some((b) => matches(b, input, key)))?.command;
}

export function bindingName(b: Binding): string {
  if (b.special) return SPECIAL_NAMES[b.special];
  return b.key === ' ' ? 'Space' : b.key!;
}

export function keyNames(command: Command): string {
  const spec = COMMANDS.find((c) => c.command === command)!;
  return spec.keys.map(bindingName).join('/');
}

export function specOf(command: Command): CommandSpec {
  return COMMANDS.find((c) => c.command === command)!;
}

const NO_KEY: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};

/** One typed character as Ink would have reported it on its own. */
function keyOf(ch: string): { input: string; key: Key } {
  const key = { ...NO_KEY };
  if (ch === '\r') return { input: '', key: { ...key, return: true } };
  if (ch === '\t') return { input: '', key: { ...key, tab: true } };
  if (ch === '\b') return { input: '', key: { ...key, backspace: true } };
  if (ch === '\x7f') return { input: '', key: { ...key, delete: true } };
  if (ch !== '\n' && ch <= '\x1a') return { input: String.fromCharCode(ch.charCodeAt(0) + 96), key: { ...key, ctrl: true } };
  return { input: ch, key: { ...key, shift: /^[A-Z]$/.test(ch) } };
}

/**
 * Ink hands a run of characters that arrived in one read to useInput as a single input (keys
 * typed ahead over a slow link, tmux send-keys, a paste). Split it back into one key per
 * character so `jjj` moves three rows and `j⏎` runs the item it moved to. Escape sequences
 * (arrows, function keys) come from Ink one per event already and pass through unchanged.
 */
export function splitKeys(input: string, key: Key): { input: string; key: Key }[] {
  const chars = [...input];
  if (chars.length <= 1 || input.startsWith('\x1b')) return [{ input, key }];
  return chars.map(keyOf);
}

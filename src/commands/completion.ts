// `runsheet completion bash|zsh|fish`: a shell completion script for subcommands, their flags, run
// ids (resume, status, report) and checklist files. Commands and flags are read from the CLI's own
// definition, so a flag added anywhere completes without touching this file. Run ids are listed
// at completion time from $RUNSHEET_HOME/runs (a directory listing: no node start per Tab).
import type { Command } from 'commander';
import { UserError } from '../core/errors.js';
import type { CliIo } from './io.js';

type ArgKind = 'run-id' | 'checklist' | 'json' | 'shell' | 'none';

export interface CompletionSpec {
  name: string;
  description: string;
  flags: { names: string[]; value: boolean; description: string }[];
  arg: ArgKind;
  subcommands: CompletionSpec[];
}

const ARG_KIND: Record<string, ArgKind> = {
  resume: 'run-id',
  status: 'run-id',
  report: 'run-id',
  run: 'checklist',
  validate: 'checklist',
  plan: 'checklist',
  import: 'checklist',
  capture: 'checklist',
  verify: 'json',
  sign: 'json',
  diff: 'json',
  completion: 'shell',
};

/** Flags whose value is a path (completed with files); other values are left to the person. */
const FILE_FLAGS = new Set([
  '--answers',
  '--snapshots',
  '-o',
  '--output',
  '--key',
  '--ssh-key',
  '--trusted',
  '--allowed-signers',
  '--checklist',
]);
/** Flags with a fixed set of values. */
const FLAG_WORDS: Partial<Record<string, string[]>> = { '--format': ['json', 'md', 'html'] };
/** The words a value flag takes, under the first of its names that has any. */
const flagWords = (names: string[]): string[] | undefined => names.map((n) => FLAG_WORDS[n]).find((w) => w !== undefined);
const SHELLS = ['bash', 'zsh', 'fish'];

/** What to complete, from commander's definition (hidden commands and options left out). */
export function completionSpec(cmd: Command): CompletionSpec {
  const hidden = (x: object) =>
    (x as { _hidden?: boolean; hidden?: boolean })._hidden === true || (x as { hidden?: boolean }).hidden === true;
  return {
    name: cmd.name(),
    description: cmd.description().split('\n')[0],
    flags: cmd.options
      .filter((o) => !hidden(o))
      .map((o) => ({
        names: [o.short, o.long].filter((n): n is string => !!n),
        value: o.required || o.optional,
        description: o.description,
      })),
    arg: ARG_KIND[cmd.name()] ?? 'none',
    subcommands: cmd.commands.filter((c) => !hidden(c)).map(completionSpec),
  };
}

const CHECKLIST_EXT = ['yaml', 'yml', 'md'];
const shq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

function bashCase(c: CompletionSpec, depth: number): string {
  const flags = c.flags.flatMap((f) => f.names).join(' ');
  const valueFlags = c.flags
    .filter((f) => f.value)
    .flatMap((f) => f.names)
    .join('|');
  const body: string[] = [];
  if (valueFlags) {
    const files = c.flags.filter((f) => f.value && f.names.some((n) => FILE_FLAGS.has(n))).flatMap((f) => f.names);
    const words = c.flags.flatMap((f) => {
      const w = f.value ? flagWords(f.names) : undefined;
      return w ? [{ names: f.names, words: w }] : [];
    });
    const arms = [
      ...words.map((f) => `${f.names.join('|')}) COMPREPLY=( $(compgen -W ${shq(f.words.join(' '))} -- "$cur") ); return 0;;`),
      ...(files.length ? [`${files.join('|')}) _runsheet_files "$cur"; return 0;;`] : []),
      `${valueFlags}) return 0;;`,
    ];
    body.push(`case "$prev" in ${arms.join(' ')} esac`);
  }
  const flagCheck = `if [[ "$cur" == -* ]]; then COMPREPLY=( $(compgen -W ${shq(`${flags} --help`)} -- "$cur") ); return 0; fi`;
  if (c.subcommands.length) {
    // A group (snapshot): its own flags only before the subcommand is chosen.
    body.push(`local sub; sub=$(_runsheet_word ${depth + 1})`);
    body.push('case "$sub" in');
    body.push(`  '') ${flagCheck}; COMPREPLY=( $(compgen -W ${shq(c.subcommands.map((s) => s.name).join(' '))} -- "$cur") ); return 0;;`);
    for (const s of c.subcommands) body.push(`  ${s.name})\n${bashCase(s, depth + 1)};;`);
    body.push('esac');
    return body.join('\n');
  }
  body.push(flagCheck);
  if (c.arg === 'run-id') body.push('COMPREPLY=( $(compgen -W "$(_runsheet_run_ids)" -- "$cur") )');
  else if (c.arg === 'checklist') body.push(`_runsheet_files "$cur" ${CHECKLIST_EXT.join(' ')}`);
  else if (c.arg === 'json') body.push('_runsheet_files "$cur" json');
  else if (c.arg === 'shell') body.push(`COMPREPLY=( $(compgen -W ${shq(SHELLS.join(' '))} -- "$cur") )`);
  return body.join('\n');
}

function valueFlags(c: CompletionSpec): string[] {
  return [...c.flags.filter((f) => f.value).flatMap((f) => f.names), ...c.subcommands.flatMap(valueFlags)];
}

export function bashScript(root: CompletionSpec): string {
  const globals = [...root.flags.flatMap((f) => f.names), '--help'].join(' ');
  const skip = [...new Set(valueFlags(root))].join('|');
  return `# runsheet completion for bash. Load it with:  source <(runsheet completion bash)
# or save it:  runsheet completion bash > ~/.local/share/bash-completion/completions/runsheet
_runsheet_run_ids() {
  local dir="\${RUNSHEET_HOME:-$HOME/.runsheet}/runs"
  [ -d "$dir" ] && command ls -1 "$dir" 2>/dev/null
}
# Files with one of the given extensions (any file when none given), and directories to descend.
_runsheet_files() {
  local cur="$1" f ext; shift
  local IFS=$'\\n'
  for f in $(compgen -f -- "$cur"); do
    if [ -d "$f" ]; then COMPREPLY+=("$f/"); compopt -o nospace 2>/dev/null; continue; fi
    if [ $# -eq 0 ]; then COMPREPLY+=("$f"); continue; fi
    for ext in "$@"; do case "$f" in *."$ext") COMPREPLY+=("$f");; esac; done
  done
}
# The Nth word that is not a flag (1 = the subcommand), skipping the values of flags that take one.
_runsheet_word() {
  local want="$1" n=0 i w
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    case "$w" in
${
  skip
    ? `      ${skip}) i=$((i + 1)) ;;
`
    : ''
}      -*) ;;
      *) n=$((n + 1)); [ "$n" -eq "$want" ] && { printf '%s' "$w"; return; } ;;
    esac
  done
}
_runsheet() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" cmd
  COMPREPLY=()
  cmd=$(_runsheet_word 1)
  case "$cmd" in
    '')
      if [[ "$cur" == -* ]]; then COMPREPLY=( $(compgen -W ${shq(globals)} -- "$cur") ); return 0; fi
      COMPREPLY=( $(compgen -W ${shq(root.subcommands.map((s) => s.name).join(' '))} -- "$cur") )
      _runsheet_files "$cur" ${CHECKLIST_EXT.join(' ')}
      ;;
${root.subcommands
  .map(
    (c) =>
      `    ${c.name})\n${bashCase(c, 1)
        .split('\n')
        .map((l) => `      ${l}`)
        .join('\n')}\n      ;;`,
  )
  .join('\n')}
  esac
  return 0
}
complete -F _runsheet runsheet
`;
}

/** zsh runs the bash function through bashcompinit, so both shells complete the same things. */
export function zshScript(root: CompletionSpec): string {
  return `#compdef runsheet
# runsheet completion for zsh. Load it with:  source <(runsheet completion zsh)
autoload -U +X compinit && { (( $+functions[compdef] )) || compinit; }
autoload -U +X bashcompinit && bashcompinit
${bashScript(root)
  .split('\n')
  .filter((l) => !l.startsWith('# '))
  .join('\n')}`;
}

const fishq = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

export function fishScript(root: CompletionSpec): string {
  const out = [
    '# runsheet completion for fish. Load it with:  runsheet completion fish | source',
    '# or save it:  runsheet completion fish > ~/.config/fish/completions/runsheet.fish',
    'function __runsheet_run_ids',
    '    set -l home $RUNSHEET_HOME',
    '    test -n "$home"; or set home $HOME/.runsheet',
    '    command ls -1 $home/runs 2>/dev/null',
    'end',
    'complete -c runsheet -f',
  ];
  const flagLine = (cond: string, f: CompletionSpec['flags'][number]) => {
    const parts = f.names.map((n) => (n.startsWith('--') ? `-l ${n.slice(2)}` : `-s ${n.slice(1)}`));
    const words = FLAG_WORDS[f.names[f.names.length - 1]];
    const value = !f.value ? '' : f.names.some((n) => FILE_FLAGS.has(n)) ? ' -r -F' : words ? ` -x -a ${fishq(words.join(' '))}` : ' -x';
    return `complete -c runsheet -n ${fishq(cond)} ${parts.join(' ')}${value} -d ${fishq(f.description)}`;
  };
  for (const f of root.flags) out.push(flagLine('__fish_use_subcommand', f));
  for (const c of root.subcommands) {
    out.push(`complete -c runsheet -n __fish_use_subcommand -a ${c.name} -d ${fishq(c.description)}`);
    const inCmd = `__fish_seen_subcommand_from ${c.name}`;
    for (const f of c.flags) out.push(flagLine(inCmd, f));
    for (const s of c.subcommands) {
      out.push(
        `complete -c runsheet -n ${fishq(`${inCmd}; and not __fish_seen_subcommand_from ${c.subcommands.map((x) => x.name).join(' ')}`)} -a ${s.name} -d ${fishq(s.description)}`,
      );
      for (const f of s.flags) out.push(flagLine(`${inCmd}; and __fish_seen_subcommand_from ${s.name}`, f));
      if (s.arg !== 'none') out.push(argLine(`${inCmd}; and __fish_seen_subcommand_from ${s.name}`, s.arg));
    }
    if (c.arg !== 'none') out.push(argLine(inCmd, c.arg));
  }
  return `${out.join('\n')}\n`;
}

function argLine(cond: string, arg: ArgKind): string {
  if (arg === 'run-id') return `complete -c runsheet -n ${fishq(cond)} -a '(__runsheet_run_ids)'`;
  if (arg === 'shell') return `complete -c runsheet -n ${fishq(cond)} -a ${fishq(SHELLS.join(' '))}`;
  const exts = arg === 'checklist' ? CHECKLIST_EXT : ['json'];
  return `complete -c runsheet -n ${fishq(cond)} -a '(${exts.map((e) => `__fish_complete_suffix .${e}`).join('; ')})'`;
}

export function completionCommand(shell: string, program: Command, io: CliIo): number {
  const spec = completionSpec(program);
  const scripts: Partial<Record<string, (s: CompletionSpec) => string>> = { bash: bashScript, zsh: zshScript, fish: fishScript };
  const make = scripts[shell];
  if (!make) throw new UserError(`completion "${shell}": use bash, zsh or fish (e.g. \`source <(runsheet completion bash)\`)`);
  io.stdout(make(spec));
  return 0;
}

// argv → command. The only place that exits. Commands are imported lazily so `--help` and
// `validate` never pay for loading Ink and React.
import { Command, CommanderError, Option } from 'commander';
import { isUserError } from '../core/errors.js';
import { safeLine } from '../core/safe-text.js';
import { processIo, type CliIo } from '../commands/io.js';
import { reportCrash } from './crash.js';
import { registerCommands } from './commands.js';
import { VERSION } from '../core/version.js';

export function buildProgram(io: CliIo, done: (code: number) => void): Command {
  const program = new Command('runsheet')
    .description('Run deployment checklists: run checks, tick items, capture metric baselines, collect sign-offs, sign the report.')
    .version(VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride();
  program.addOption(new Option('--no-color', 'disable colour (NO_COLOR is honoured too)'));
  registerCommands(program, io, done);
  return program;
}

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  let code = 0;
  const program = buildProgram(io, (c) => (code = c));
  // `runsheet FILE` is shorthand for `runsheet run FILE`.
  const args = argv.slice(2);
  if (args.length && /\.(ya?ml|md|markdown|txt)$/i.test(args[0]) && !program.commands.some((c) => c.name() === args[0])) {
    args.unshift('run');
  }
  try {
    await program.parseAsync(args, { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // help and version "errors" are successes; everything else commander rejects is usage.
      return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.exitCode === 0 ? 0 : 2;
    }
    if (isUserError(e)) {
      // Messages quote the operator's files and arguments: one line each, controls escaped.
      io.stderr(`runsheet: ${safeLine(e.message)}\n`);
      for (const d of e.details) io.stderr(`runsheet: ${safeLine(d)}\n`);
      return e.exitCode;
    }
    return reportCrash(e, io);
  }
}

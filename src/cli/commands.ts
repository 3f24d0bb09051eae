// Every subcommand and its options, as data for commander. Actions import their command module
// only when chosen, keeping start-up light.
import type { Command } from 'commander';
import type { CliIo } from '../commands/io.js';
// Commander hands an action its options untyped; each action names the shape its command reads.
import type { VarOptions } from '../commands/options.js';
import type { RunOptions } from '../commands/run.js';
import type { HandoverOptions } from '../commands/handover.js';
import type { RunsOptions } from '../commands/runs.js';
import type { ReportOptions } from '../commands/report.js';
import type { VerifyCommandOptions } from '../commands/verify.js';
import type { SigningOptions } from '../commands/sign.js';
import type { KeygenOptions } from '../commands/keygen.js';
import type { ImportOptions } from '../commands/import.js';
import type { SnapshotCaptureOptions, SnapshotDiffOptions } from '../commands/snapshot.js';

type EnvVarOptions = { env?: string } & VarOptions;
type StoreOptions = { store?: string };

const collect = (v: string, prev: string[] = []) => [...prev, v];
const STORE_HELP = 'keep runs in PostgreSQL: postgres://USER@HOST/DB (default $RUNSHEET_STORE, else local files; docs/team-store.md)';

export function registerCommands(program: Command, io: CliIo, done: (code: number) => void): void {
  program
    .command('validate')
    .description('check checklist files; print every problem as FILE:LINE:COL')
    .argument('<files...>', 'checklist YAML files')
    .option('-e, --env <name>', 'validate for this environment')
    .option('--set <KEY=VALUE>', 'override a variable (repeatable)', collect)
    .option('--set-from-env <NAME>', "take a variable's value from runsheet's environment (repeatable; for secrets)", collect)
    .option('--vars-file <file>', 'variables from NAME=VALUE lines or YAML (mode 0600; for secrets)')
    .action(async (files: string[], opts: EnvVarOptions) =>
      done(await (await import('../commands/validate.js')).validateCommand(files, opts, io)),
    );

  program
    .command('plan')
    .description('print the resolved plan (commands and requests after substitution) without running anything')
    .argument('<file>', 'checklist YAML file')
    .option('-e, --env <name>', 'environment to resolve for')
    .option('--set <KEY=VALUE>', 'override a variable (repeatable)', collect)
    .option('--set-from-env <NAME>', "take a variable's value from runsheet's environment (repeatable; for secrets)", collect)
    .option('--vars-file <file>', 'variables from NAME=VALUE lines or YAML (mode 0600; for secrets)')
    .action(async (file: string, opts: EnvVarOptions) => done(await (await import('../commands/plan.js')).planCommand(file, opts, io)));

  program
    .command('schema')
    .description('print the checklist JSON Schema (for yaml-language-server and editors)')
    .action(async () => done((await import('../commands/schema.js')).schemaCommand(io)));

  const runOptions = (cmd: Command) =>
    cmd
      .option('-e, --env <name>', 'environment to run in')
      .option('--operator <name>', 'who is operating (default $RUNSHEET_OPERATOR or your user name)')
      .option('--set <KEY=VALUE>', 'override a variable (repeatable)', collect)
      .option('--set-from-env <NAME>', "take a variable's value from runsheet's environment (repeatable; for secrets)", collect)
      .option('--vars-file <file>', 'variables from NAME=VALUE lines or YAML (mode 0600; for secrets)')
      .option('--auto', 'headless: run without the TUI (also when there is no terminal or CI is set)')
      .option('--answers <file>', 'headless answers: item id → tick | {skip: reason} | {record: value}; phase id → {signoff: [...]}')
      .option('--json', 'headless: print events as JSON Lines')
      .option('-j, --jobs <n>', 'checks run in parallel (default 4)')
      .option('-y, --yes', 'headless: run items marked confirm: true')
      .option('--confirm-env <name>', 'headless: confirm an environment that requires it')
      .option('--snapshots <dir>', 'where metric snapshots are written (default ./snapshots)')
      .option('--store <url>', STORE_HELP);

  runOptions(
    program.command('run').description('run a checklist (YAML, or Markdown imported on the fly)').argument('<file>', 'checklist file'),
  )
    .option('--fresh', 'start a new run even if an unfinished one exists')
    .action(async (file: string, opts: RunOptions) =>
      done(await (await import('../commands/run.js')).runCommand({ ...opts, file, color: program.opts<RunOptions>().color }, io)),
    );

  runOptions(program.command('resume').description('resume a run by id').argument('<run-id>', 'see `runsheet runs`')).action(
    async (resumeId: string, opts: RunOptions) =>
      done(await (await import('../commands/run.js')).runCommand({ ...opts, resumeId, color: program.opts<RunOptions>().color }, io)),
  );

  program
    .command('handover')
    .description('hand a run over to another operator: recorded in the run, and their session continues it')
    .argument('<run-id>', 'see `runsheet runs`')
    .requiredOption('--to <name>', 'the operator who takes the run over')
    .option('--note <text>', 'why, or what they should know (recorded)')
    .option('--operator <name>', 'who hands it over (default $RUNSHEET_OPERATOR or your user name)')
    .option('--store <url>', STORE_HELP)
    .action(async (runId: string, opts: HandoverOptions) =>
      done(await (await import('../commands/handover.js')).handoverCommand(runId, opts, io)),
    );

  runOptions(
    program
      .command('join')
      .description("join a team run on the database store from your own session (other operators' sessions stay in it)")
      .argument('<run-id>', 'see `runsheet runs --store …`'),
  ).action(async (resumeId: string, opts: RunOptions) =>
    done(
      await (await import('../commands/run.js')).runCommand({ ...opts, resumeId, join: true, color: program.opts<RunOptions>().color }, io),
    ),
  );

  program
    .command('runs')
    .description('list runs (id, checklist, env, operator, started, status, progress)')
    .option('--json', 'machine-readable output')
    .option('--store <url>', STORE_HELP)
    .option('--since <date>', 'only runs started at or after this date (e.g. 2026-12-01)')
    .option('--checklist <path>', 'only runs of this checklist file')
    .option(
      '--status <status>',
      'only runs with this status or outcome (active, interrupted, finished, abandoned, passed, failed, incomplete)',
    )
    .action(async (opts: RunsOptions) => done(await (await import('../commands/runs.js')).runsCommand(opts, io)));

  program
    .command('status')
    .description("print a run's phases and items with status, result and timestamps")
    .argument('<run-id>')
    .option('--json', 'machine-readable output')
    .option('--store <url>', STORE_HELP)
    .action(async (runId: string, opts: StoreOptions & { json?: boolean }) =>
      done(await (await import('../commands/runs.js')).statusCommand(runId, opts, io)),
    );

  program
    .command('import')
    .description('convert a Markdown (or pasted text) checklist into runsheet YAML')
    .argument('<file>', 'Markdown or text file')
    .option('-o, --output <file>', 'write YAML here (default: stdout)')
    .option('--title <title>', 'checklist title')
    .option('--http-checks', 'also offer `curl URL/health` commands as http checks')
    .action(async (file: string, opts: ImportOptions) => done(await (await import('../commands/import.js')).importCommand(file, opts, io)));

  program
    .command('report')
    .description('write the signed deployment report of a run')
    .argument('<run-id>')
    .option('-o, --output <file>', 'output file ("-" for stdout; default reports/<run-id>.report.json)')
    .option('--format <fmt>', 'json (signed DSSE envelope), md or html (each also writes the json)', 'json')
    .option('--key <file>', 'Ed25519 private key (default: the key made by `runsheet keygen`)')
    .option('--ssh-key <file>', 'sign with ssh-keygen -Y sign (works with ssh-agent)')
    .option('--passphrase-env <var>', 'environment variable holding the key passphrase')
    .option('--subject <NAME=sha256:HEX>', 'extra subject, e.g. the release image digest (repeatable)', collect)
    .option('--unsigned', 'write an unsigned report')
    .option('--store <url>', STORE_HELP)
    .action(async (runId: string, opts: ReportOptions) =>
      done(await (await import('../commands/report.js')).reportCommand(runId, opts, io)),
    );

  program
    .command('push')
    .description('archive a finished local run in a database store (events verbatim, checklist copy, log digests)')
    .argument('<run-id>')
    .option('--store <url>', STORE_HELP)
    .action(async (runId: string, opts: StoreOptions) => done(await (await import('../commands/push.js')).pushCommand(runId, opts, io)));

  const store = program.command('store').description('the database store (docs/team-store.md)');
  store
    .command('init')
    .description('create or migrate the runsheet schema in a PostgreSQL database')
    .option('--store <url>', STORE_HELP)
    .action(async (opts: StoreOptions) => done(await (await import('../commands/store.js')).storeInitCommand(opts, io)));

  program
    .command('verify')
    .description('verify a signed report: signatures, statement, event chain, summary')
    .argument('<report>')
    .option('--key <pub>', 'trusted public key PEM (repeatable)', collect)
    .option('--trusted <file>', 'trusted signers: lines of NAME ROLE PUBKEY-PEM-PATH-or-fingerprint')
    .option('--threshold <n>', 'distinct trusted signatures required (default 1)')
    .option('--allowed-signers <file>', 'ssh-keygen allowed_signers file for SSH signatures')
    .option('--require-explicit-trust', 'never fall back to the local keyring ($RUNSHEET_HOME/keys); --json implies it')
    .option('--json', 'machine-readable result')
    .action(async (report: string, opts: VerifyCommandOptions) =>
      done(await (await import('../commands/verify.js')).verifyCommand(report, opts, io)),
    );

  program
    .command('sign')
    .description('countersign a report (adds a signature over the same payload)')
    .argument('<report>')
    .option('--key <file>', 'Ed25519 private key')
    .option('--ssh-key <file>', 'SSH key for ssh-keygen -Y sign')
    .option('--passphrase-env <var>', 'environment variable holding the key passphrase')
    .action(async (report: string, opts: SigningOptions) =>
      done(await (await import('../commands/sign.js')).signCommand(report, opts, io)),
    );

  program
    .command('keygen')
    .description('create an Ed25519 signing key pair in $RUNSHEET_HOME/keys')
    .option('--name <name>', 'key name (default: default)')
    .option('--passphrase-env <var>', 'encrypt the private key with the passphrase in this variable')
    .action(async (opts: KeygenOptions) => done(await (await import('../commands/keygen.js')).keygenCommand(opts, io)));

  program
    .command('completion')
    .description('print a shell completion script: source <(runsheet completion bash)')
    .argument('<shell>', 'bash, zsh or fish')
    .action(async (shell: string) => done((await import('../commands/completion.js')).completionCommand(shell, program, io)));

  // The detached relay of on_disconnect: keep (src/adapters/output-relay.ts); not for people.
  program.command('__relay', { hidden: true }).action(async () => done(await (await import('../adapters/relay-main.js')).relayMain()));

  const snapshot = program.command('snapshot').description('metric snapshots outside a run');
  snapshot
    .command('capture')
    .description('capture every metric probe of a checklist (e.g. from cron before a window)')
    .argument('<file>', 'checklist file')
    .requiredOption('--label <label>', 'snapshot label, e.g. baseline')
    .option('-e, --env <name>', 'environment')
    .option('--snapshots <dir>', 'output directory (default ./snapshots)')
    .option('--set <KEY=VALUE>', 'override a variable (repeatable)', collect)
    .option('--set-from-env <NAME>', "take a variable's value from runsheet's environment (repeatable; for secrets)", collect)
    .option('--vars-file <file>', 'variables from NAME=VALUE lines or YAML (mode 0600; for secrets)')
    .action(async (file: string, opts: SnapshotCaptureOptions) =>
      done(await (await import('../commands/snapshot.js')).snapshotCaptureCommand(file, opts, io)),
    );
  snapshot
    .command('diff')
    .description('compare two snapshots (exit 0 pass, 1 fail, 3 warn)')
    .argument('<a>', 'baseline snapshot JSON')
    .argument('<b>', 'after snapshot JSON')
    .option('--checklist <file>', "judge with this checklist's current rules")
    .option('--json', 'machine-readable comparison')
    .option('--force', 'compare even if probe definitions differ')
    .action(async (a: string, b: string, opts: SnapshotDiffOptions) =>
      done(await (await import('../commands/snapshot.js')).snapshotDiffCommand(a, b, opts, io)),
    );
}

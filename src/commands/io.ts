// What a command gets from the CLI instead of touching process globals, so tests can call
// commands directly with captured output and a temp RUNSHEET_HOME.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { isatty } from 'node:tty';
import { safeText } from '../core/safe-text.js';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** $RUNSHEET_HOME, default ~/.runsheet */
  home: string;
  /** true when stdin and stdout are terminals (interactive UI possible). */
  isTTY: boolean;
}

export function runsheetHome(env: NodeJS.ProcessEnv): string {
  return env.RUNSHEET_HOME || join(homedir(), '.runsheet');
}

/**
 * The CLI's one output boundary. Commands already print untrusted text through safeLine (one line
 * per record) and JSON through safeJson, so this changes nothing they wrote; it is the net for
 * whatever else reaches the terminal (commander echoing argv, a message quoting a file): no
 * control sequence gets to the operator's terminal whatever path the text took (docs/tui.md).
 */
export function processIo(): CliIo {
  return {
    stdout: (t) => process.stdout.write(safeText(t)),
    stderr: (t) => process.stderr.write(safeText(t)),
    env: process.env,
    cwd: process.cwd(),
    home: runsheetHome(process.env),
    // Asked of the descriptors: Node's types call process.stdin.isTTY a boolean, but on a pipe it is undefined.
    isTTY: isatty(0) && isatty(1),
  };
}

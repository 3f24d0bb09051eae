// A CliIo that collects what a command prints, for tests that call commands in process.
import type { CliIo } from '../../src/commands/io.js';

/** An in-memory CliIo for tests: returns the io and getters for what was written. */
export function captureIo(over: Partial<CliIo> = {}): { io: CliIo; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    env: {},
    cwd: process.cwd(),
    home: '',
    isTTY: false,
    ...over,
  };
  return { io, out: () => out, err: () => err };
}

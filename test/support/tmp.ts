// Temp dirs and a captured CliIo pointed at a temp RUNSHEET_HOME.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CliIo } from '../../src/commands/io.js';
import { captureIo } from './capture-io.js';

export async function tempDir(prefix = 'rs-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export async function writeChecklist(dir: string, name: string, text: string): Promise<string> {
  const p = join(dir, name);
  await writeFile(p, text);
  return p;
}

export function testIo(dir: string, env: Record<string, string> = {}): ReturnType<typeof captureIo> & { io: CliIo } {
  return captureIo({ cwd: dir, home: join(dir, 'home'), env: { PATH: process.env.PATH ?? '', ...env }, isTTY: false });
}

// mkdir -p without Node's recursive mkdir, which on Node 20 loops forever when a parent refuses
// creation with ENOENT (e.g. anything under /proc): a typo'd `-o` or $RUNSHEET_HOME hung runsheet.
import { mkdirSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

function notDir(p: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${p}'`), { code: 'ENOTDIR', path: p });
}

/** true: a directory; false: something else; null: nothing there. */
function isDirSync(p: string): boolean | null {
  try {
    return statSync(p).isDirectory();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** Directories from `path` upwards that do not exist yet, outermost first. */
function missingFrom(path: string): string[] {
  const missing: string[] = [];
  for (let p = resolve(path); ; p = dirname(p)) {
    const d = isDirSync(p);
    if (d === true) break;
    if (d === false) throw notDir(p);
    missing.push(p);
    if (dirname(p) === p) break;
  }
  return missing.reverse();
}

export async function ensureDir(path: string, mode?: number): Promise<void> {
  // The walk up is a few stats of existing parents; only the creations are worth doing async.
  for (const d of missingFrom(path)) {
    await mkdir(d, { mode }).catch((e: unknown) => {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    });
  }
}

export function ensureDirSync(path: string, mode?: number): void {
  for (const d of missingFrom(path)) {
    try {
      mkdirSync(d, { mode });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}

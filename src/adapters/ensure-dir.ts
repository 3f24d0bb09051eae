// mkdir -p without Node's recursive mkdir, which on Node 20 loops forever when a parent refuses
// creation with ENOENT (e.g. anything under /proc): a typo'd `-o` or $RUNSHEET_HOME hung runsheet.
import { mkdirSync, statSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

function notDir(p: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${p}'`), { code: 'ENOTDIR', path: p });
}

/** Directories from `path` upwards that do not exist yet, outermost first. */
function missingFrom(path: string, isDir: (p: string) => boolean | null): string[] {
  const missing: string[] = [];
  for (let p = resolve(path); ; p = dirname(p)) {
    const d = isDir(p);
    if (d === true) break;
    if (d === false) throw notDir(p);
    missing.push(p);
    if (dirname(p) === p) break;
  }
  return missing.reverse();
}

export async function ensureDir(path: string, mode?: number): Promise<void> {
  // Collect first (async stat per level), then create outermost first.
  const levels: string[] = [];
  for (let p = resolve(path); ; p = dirname(p)) {
    try {
      if (!(await stat(p)).isDirectory()) throw notDir(p);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      levels.push(p);
      if (dirname(p) === p) break;
    }
  }
  for (const d of levels.reverse()) {
    await mkdir(d, { mode }).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'EEXIST') throw e;
    });
  }
}

export function ensureDirSync(path: string, mode?: number): void {
  const levels = missingFrom(path, (p) => {
    try {
      return statSync(p).isDirectory();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  });
  for (const d of levels) {
    try {
      mkdirSync(d, { mode });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}

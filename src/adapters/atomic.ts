// Durable file writes. A crash (kill -9, power loss) at any moment leaves either the old or the
// new file, never a torn one: write a temp file, fsync it, rename over, fsync the directory.
import { open, rename, unlink } from 'node:fs/promises';
import { openSync, closeSync, fsyncSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Adapter } from 'lowdb';
import { openNoFollow, PRIVATE_FILE } from './safe-open.js';

export async function writeFileAtomic(path: string, data: string | Uint8Array, mode = PRIVATE_FILE): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  // A new name (O_EXCL, O_NOFOLLOW): never a file or link someone planted. rename() then replaces
  // whatever is at `path`, a symlink included, without following it.
  const fh = await openNoFollow(tmp, 'wx', mode);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } catch (e) {
    await fh.close();
    await unlink(tmp).catch(() => {});
    throw e;
  }
  await fh.close();
  await rename(tmp, path);
  await fsyncDirAsync(dirname(path));
}

/** fsyncDir off the main thread: a directory fsync can take tens of ms, and keys wait meanwhile. */
export async function fsyncDirAsync(dir: string): Promise<void> {
  try {
    const fh = await open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    // best effort, as fsyncDir
  }
}

/** Makes a rename or a new file durable. Some filesystems refuse directory fsync; that is fine. */
export function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // best effort
  }
}

/**
 * lowdb adapter with atomic, fsync'd writes. lowdb's own JSONFile renames but does not fsync,
 * which is not enough for "never lose an operator's action". Concurrent writes coalesce: only
 * the newest data is written once the current write finishes.
 */
export class AtomicJsonFile<T> implements Adapter<T> {
  private writing: Promise<void> | null = null;
  private next: { data: T } | null = null;

  constructor(readonly path: string) {}

  async read(): Promise<T | null> {
    const { readFile } = await import('node:fs/promises');
    try {
      return JSON.parse(await readFile(this.path, 'utf8')) as T;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  /** Resolves once the write in progress (if any) is done, without starting another. */
  async settled(): Promise<void> {
    await this.writing?.catch(() => {});
  }

  write(data: T): Promise<void> {
    this.next = { data };
    // Serialise on a later turn, not inside the caller's append: the event is already durable
    // in events.jsonl, and stringifying a 5,000-item state must not delay the screen's answer.
    if (!this.writing) this.writing = new Promise<void>((r) => setImmediate(r)).then(() => this.drain());
    return this.writing;
  }

  private async drain(): Promise<void> {
    try {
      while (this.next) {
        const { data } = this.next;
        this.next = null;
        await writeFileAtomic(this.path, JSON.stringify(data));
      }
    } finally {
      this.writing = null;
    }
  }
}

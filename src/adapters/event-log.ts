// events.jsonl: one canonical-JSON event per line, appended and fsync'd before anything is shown
// as done. Reading detects a torn last line (a crash mid-append) and corrupt lines elsewhere.
import { lstat, open, readFile } from 'node:fs/promises';
import { openNoFollow } from './safe-open.js';
import { canonicalJson, checkChain, type RunEvent } from '../core/events.js';
import { UserError } from '../core/errors.js';

export interface ReadLog {
  events: RunEvent[];
  /** Human explanations of anything repaired (e.g. a torn last line). */
  warnings: string[];
  /** Byte length of the intact prefix (where a torn tail was cut). */
  validBytes: number;
  tornBytes: number;
  /** The last event is complete but its newline was never written: the next append adds it. */
  needsNewline: boolean;
  /** The bytes of the last event's line as on disk (with its newline if it has one). */
  lastLine: Buffer;
}

export async function readEventLog(path: string): Promise<ReadLog> {
  let buf: Buffer;
  try {
    buf = await readFile(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT')
      return { events: [], warnings: [], validBytes: 0, tornBytes: 0, needsNewline: false, lastLine: Buffer.alloc(0) };
    throw new UserError(`${path}: cannot read the event log (${(e as NodeJS.ErrnoException).code})`);
  }
  const events: RunEvent[] = [];
  const warnings: string[] = [];
  let offset = 0;
  let lineStart = 0;
  let lineNo = 0;
  while (offset < buf.length) {
    const nl = buf.indexOf(0x0a, offset);
    lineNo++;
    const end = nl === -1 ? buf.length : nl;
    const line = buf.subarray(offset, end).toString('utf8');
    let event: RunEvent | undefined;
    try {
      event = JSON.parse(line) as RunEvent;
    } catch {
      event = undefined;
    }
    if (!event || typeof event !== 'object' || typeof event.seq !== 'number') {
      // A crash mid-append leaves part of one line with no newline after it; that event was
      // never acknowledged. A bad line that *ends* in a newline was written whole, then damaged.
      if (nl === -1) {
        warnings.push(
          `events.jsonl: the last line (${end - offset} bytes) was torn by a crash and has been removed; it was never shown as done`,
        );
        return {
          events,
          warnings,
          validBytes: offset,
          tornBytes: buf.length - offset,
          needsNewline: false,
          lastLine: buf.subarray(lineStart, offset),
        };
      }
      throw new UserError(
        `${path}:${lineNo}: the event log is corrupt ${nl === buf.length - 1 ? 'at its last line, which is complete (not a torn write)' : 'in the middle (not a torn tail)'}: the run cannot be trusted; restore it from a backup or start a new run`,
      );
    }
    if (nl === -1) {
      // Complete JSON but no newline: the append was cut right before it. Keep it (it parsed).
      warnings.push('events.jsonl: the last event had no trailing newline; it was kept');
    }
    events.push(event);
    lineStart = offset;
    offset = nl === -1 ? buf.length : nl + 1;
  }
  const problems = checkChain(events);
  if (problems.length) {
    throw new UserError(
      `${path}:${firstBrokenLine(events)}: the event chain is broken (${problems[0]}): the log was edited or damaged; the run cannot be trusted`,
    );
  }
  return {
    events,
    warnings,
    validBytes: buf.length,
    tornBytes: 0,
    needsNewline: buf.length > 0 && buf[buf.length - 1] !== 0x0a,
    lastLine: buf.subarray(lineStart, buf.length),
  };
}

/**
 * Events another process appended after byte `from` (a read-only view following a run). Only
 * whole lines count: one still being written is read next time. A line that does not parse or
 * does not continue the chain from `after` throws: the view stops following rather than guess.
 */
export async function readEventsAfter(
  path: string,
  from: number,
  after: RunEvent | undefined,
): Promise<{ events: RunEvent[]; nextOffset: number }> {
  const fh = await open(path, 'r');
  let buf: Buffer;
  try {
    const { size } = await fh.stat();
    if (size < from) throw new UserError(`${path}: the event log got shorter (${size} < ${from} bytes): it was replaced or truncated`);
    buf = Buffer.alloc(size - from);
    const { bytesRead } = await fh.read(buf, 0, buf.length, from);
    buf = buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
  const end = buf.lastIndexOf(0x0a) + 1;
  const events: RunEvent[] = [];
  for (const line of buf.subarray(0, end).toString('utf8').split('\n')) {
    if (!line) continue;
    try {
      events.push(JSON.parse(line) as RunEvent);
    } catch {
      throw new UserError(`${path}: a line appended by the other process is not an event: the log is damaged`);
    }
  }
  const problems = checkChain(events, after);
  if (problems.length) throw new UserError(`${path}: the events appended by the other process break the chain (${problems[0]})`);
  return { events, nextOffset: from + end };
}

/** Line of the first event whose link breaks (a broken prefix stays broken: binary search). */
function firstBrokenLine(events: RunEvent[]): number {
  let ok = 0;
  let bad = events.length;
  while (bad - ok > 1) {
    const mid = (ok + bad) >> 1;
    if (checkChain(events.slice(0, mid)).length) bad = mid;
    else ok = mid;
  }
  return bad;
}

export async function cutTornTail(path: string, validBytes: number): Promise<void> {
  const fh = await openNoFollow(path, 'r+');
  try {
    await fh.truncate(validBytes);
    await fh.datasync();
  } finally {
    await fh.close();
  }
}

/**
 * The file operations the appender needs, so a test can fail the Nth write of a real file (a
 * short write, ENOSPC mid-line, a failing fsync) without a full disk.
 */
export interface LogFile {
  /** Appends (O_APPEND) and returns the bytes written, which may be fewer than asked. */
  write(buf: Buffer): Promise<number>;
  datasync(): Promise<void>;
  truncate(len: number): Promise<void>;
  /**
   * The size of the open file (fstat), and whether the path still names it (not renamed over or
   * removed), in one look.
   */
  where(): Promise<{ size: number; atPath: boolean }>;
  readAt(buf: Buffer, position: number): Promise<number>;
  close(): Promise<void>;
}

export type OpenLogFile = (path: string) => Promise<LogFile>;

export const openLogFile: OpenLogFile = async (path) => {
  // Read and append: the writer reads back its last line before each append (see EventAppender).
  const fh = await openNoFollow(path, 'a+');
  return {
    write: async (buf) => (await fh.write(buf, 0, buf.length)).bytesWritten,
    datasync: () => fh.datasync(),
    truncate: (len) => fh.truncate(len),
    where: async () => {
      const [mine, named] = await Promise.all([fh.stat(), lstat(path).catch(() => null)]);
      return { size: mine.size, atPath: named !== null && named.ino === mine.ino && named.dev === mine.dev };
    },
    readAt: async (buf, position) => (await fh.read(buf, 0, buf.length, position)).bytesRead,
    close: () => fh.close(),
  };
};

/** The log is not where this process left it: someone else wrote it. Nothing more is written. */
export class LogChangedError extends Error {
  readonly code = 'ELOGCHANGED';
}

/** Where the log ends as this process last wrote or read it. */
export interface LogEnd {
  size: number;
  /** The bytes of the last line (with its newline if it has one). */
  lastLine: Buffer;
  needsNewline?: boolean;
}

/**
 * Appends lines durably, one at a time, in call order. Before each append it checks that the file
 * still ends where this process left it (same file, same size, same last line — so the same seq
 * and hash): the run lock makes this process the only writer, and this catches any breach of that
 * (another host on a shared home, an older runsheet, a hand edit) before a fork is written. A write
 * that fails (short write, ENOSPC, EIO, a failing fsync) is cut back so the file ends on a whole
 * line again, and the next append may go ahead. If the file cannot be checked or cut back, the
 * appender stops: every later append fails with the same error, and nothing more is written.
 */
export class EventAppender {
  private chain: Promise<unknown> = Promise.resolve();
  private stoppedBy: Error | null = null;
  private constructor(
    private readonly file: LogFile,
    private readonly path: string,
    private end: LogEnd,
  ) {}

  static async open(
    path: string,
    end: LogEnd = { size: 0, lastLine: Buffer.alloc(0) },
    openFile: OpenLogFile = openLogFile,
  ): Promise<EventAppender> {
    const a = new EventAppender(await openFile(path), path, { size: end.size, lastLine: end.lastLine });
    if (end.needsNewline) await a.enqueue(Buffer.from('\n'), Buffer.concat([end.lastLine, Buffer.from('\n')]));
    return a;
  }

  /** Why this appender stopped writing for good (null while it writes). */
  get stopped(): Error | null {
    return this.stoppedBy;
  }

  append(event: RunEvent): Promise<void> {
    const line = Buffer.from(`${canonicalJson(event)}\n`, 'utf8');
    return this.enqueue(line, line);
  }

  private enqueue(bytes: Buffer, lastLine: Buffer): Promise<void> {
    const p = this.chain.then(() => this.write(bytes, lastLine));
    this.chain = p.catch(() => {});
    return p;
  }

  private stop(e: Error): Error {
    this.stoppedBy ??= e;
    return this.stoppedBy;
  }

  private async checkEnd(): Promise<void> {
    const { size, lastLine } = this.end;
    let found: string;
    try {
      const now = await this.file.where();
      if (!now.atPath) found = 'the file was replaced or removed';
      else {
        if (now.size !== size) found = `it is ${now.size} bytes, not ${size}`;
        else {
          const tail = Buffer.alloc(lastLine.length);
          const n = lastLine.length ? await this.file.readAt(tail, size - lastLine.length) : 0;
          if (n === lastLine.length && tail.equals(lastLine)) return;
          found = 'its last line is not the last event this process wrote';
        }
      }
    } catch (e) {
      found = `it cannot be checked (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
    }
    const seq = lastSeqOf(lastLine);
    throw this.stop(
      new LogChangedError(
        `${this.path} changed under this process (another writer?): ${found}${seq ? `; this process last wrote or read event ${seq}` : ''}. Stopped, nothing written`,
      ),
    );
  }

  private async write(bytes: Buffer, lastLine: Buffer): Promise<void> {
    if (this.stoppedBy) throw this.stoppedBy;
    await this.checkEnd();
    try {
      for (let done = 0; done < bytes.length;) {
        const n = await this.file.write(bytes.subarray(done));
        if (n <= 0) throw Object.assign(new Error('the write made no progress'), { code: 'EIO' });
        done += n;
      }
      await this.file.datasync();
    } catch (e) {
      await this.cutBack(e as Error);
      throw e;
    }
    this.end = { size: this.end.size + bytes.length, lastLine };
  }

  /** After a failed write: the file ends where it did before it, durably, or the appender stops. */
  private async cutBack(cause: Error): Promise<void> {
    try {
      await this.file.truncate(this.end.size);
      await this.file.datasync();
      if ((await this.file.where()).size === this.end.size) return;
      throw new Error(`it is still not ${this.end.size} bytes`);
    } catch (e) {
      const code = (cause as NodeJS.ErrnoException).code ?? cause.message;
      this.stop(
        Object.assign(
          new Error(
            `${this.path}: a failed write (${code}) could not be cut back (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): stopped writing; quit and resume the run (a torn last line is removed on open)`,
          ),
          { code },
        ),
      );
    }
  }

  async close(): Promise<void> {
    await this.chain;
    await this.file.close();
  }
}

function lastSeqOf(line: Buffer): number | undefined {
  try {
    const seq = (JSON.parse(line.toString('utf8')) as { seq?: unknown }).seq;
    return typeof seq === 'number' ? seq : undefined;
  } catch {
    return undefined;
  }
}

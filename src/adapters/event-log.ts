// events.jsonl: one canonical-JSON event per line, appended and fsync'd before anything is shown
// as done. Reading detects a torn last line (a crash mid-append) and corrupt lines elsewhere.
import { open, readFile, truncate, type FileHandle } from 'node:fs/promises';
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
}

export async function readEventLog(path: string): Promise<ReadLog> {
  let buf: Buffer;
  try {
    buf = await readFile(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { events: [], warnings: [], validBytes: 0, tornBytes: 0, needsNewline: false };
    throw new UserError(`${path}: cannot read the event log (${(e as NodeJS.ErrnoException).code})`);
  }
  const events: RunEvent[] = [];
  const warnings: string[] = [];
  let offset = 0;
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
        warnings.push(`events.jsonl: the last line (${end - offset} bytes) was torn by a crash and has been removed; it was never shown as done`);
        return { events, warnings, validBytes: offset, tornBytes: buf.length - offset, needsNewline: false };
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
    offset = nl === -1 ? buf.length : nl + 1;
  }
  const problems = checkChain(events);
  if (problems.length) {
    throw new UserError(`${path}:${firstBrokenLine(events)}: the event chain is broken (${problems[0]}): the log was edited or damaged; the run cannot be trusted`);
  }
  return { events, warnings, validBytes: buf.length, tornBytes: 0, needsNewline: buf.length > 0 && buf[buf.length - 1] !== 0x0a };
}

/**
 * Events another process appended after byte `from` (a read-only view following a run). Only
 * whole lines count: one still being written is read next time. A line that does not parse or
 * does not continue the chain from `after` throws: the view stops following rather than guess.
 */
export async function readEventsAfter(path: string, from: number, after: RunEvent | undefined): Promise<{ events: RunEvent[]; nextOffset: number }> {
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
  await truncate(path, validBytes);
}

/** Appends lines durably, one at a time, in call order. */
export class EventAppender {
  private chain: Promise<unknown> = Promise.resolve();
  private constructor(private readonly fh: FileHandle) {}

  static async open(path: string, needsNewline = false): Promise<EventAppender> {
    const fh = await open(path, 'a', 0o600);
    if (needsNewline) {
      await fh.write('\n');
      await fh.datasync();
    }
    return new EventAppender(fh);
  }

  append(event: RunEvent): Promise<void> {
    const line = `${canonicalJson(event)}\n`;
    const p = this.chain.then(async () => {
      await this.fh.write(line);
      await this.fh.datasync();
    });
    this.chain = p.catch(() => {});
    return p;
  }

  async close(): Promise<void> {
    await this.chain;
    await this.fh.close();
  }
}

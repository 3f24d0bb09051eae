// The local durable spool of a run on the database store ($RUNSHEET_HOME/runs/<id>/spool.jsonl):
// results of commands that were already running when the database went away. Each entry is an
// event body (already redacted) with the time it happened, appended and fsync'd before the caller
// hears "spooled", replayed in order when the database is back (re-chained on whatever the run's
// tail is then). A replayed entry is dropped from the file only after its INSERT committed; one
// found already stored (the connection broke after the commit) is not written twice.
import { randomBytes } from 'node:crypto';
import { readdir, readFile, rename, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { canonicalJson, type EventBody, type EventBy, type RunEvent } from '../core/events.js';
import { writeFileAtomic, fsyncDirAsync } from './atomic.js';
import { openNoFollow } from './safe-open.js';

export interface SpoolEntry {
  body: EventBody;
  /** When it happened (its event's ts, unless the chain has moved past it by the replay). */
  ts: string;
  /** The run's last seq this session knew when it spooled: an already-stored copy comes after it. */
  after: number;
  /** Who it is (the session that ran the command): a replay by another session still says so. */
  operator: string;
  by: EventBy;
}

/** The entries of a spool file, oldest first; a torn last line (a crash mid-write) is not one. */
export async function readSpool(path: string): Promise<SpoolEntry[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const out: SpoolEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as SpoolEntry);
    } catch {
      // only a torn tail can fail to parse: it was never acknowledged as spooled
    }
  }
  return out;
}

/** Appends one entry durably (fsync'd, and the directory too when the file is new). */
export async function appendSpool(path: string, entry: SpoolEntry): Promise<void> {
  const fh = await openNoFollow(path, 'a');
  try {
    // A torn line from a crash is skipped by readSpool; a new line must never be glued to it.
    await fh.writeFile(`\n${JSON.stringify(entry)}\n`);
    await fh.datasync();
  } finally {
    await fh.close();
  }
  await fsyncDirAsync(dirname(path));
}

/** Replaces the spool with what is left of it (removed when nothing is). */
export async function rewriteSpool(path: string, entries: SpoolEntry[]): Promise<void> {
  if (entries.length === 0) {
    await unlink(path).catch((e: unknown) => {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    });
    await fsyncDirAsync(dirname(path));
    return;
  }
  await writeFileAtomic(path, entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
}

const META = new Set(['seq', 'ts', 'operator', 'host', 'prev', 'by']);

/** The event's body as canonical text (what it says, not where it sits in the chain). */
function bodyText(e: RunEvent | EventBody): string {
  return canonicalJson(Object.fromEntries(Object.entries(e).filter(([k, v]) => !META.has(k) && v !== undefined)));
}

/** Whether the entry is already among `events` (appended by its operator after `after`). */
export function alreadyStored(entry: SpoolEntry, events: readonly RunEvent[]): boolean {
  const text = bodyText(entry.body);
  return events.some((e) => e.seq > entry.after && e.operator === entry.operator && e.type === entry.body.type && bodyText(e) === text);
}

/**
 * The spool file of a session: `spool.jsonl` for a run held by one process (its lock makes it the
 * only writer under this home), `spool-PID.jsonl` for a team session, since several may share a
 * home and each must own its file.
 */
export function spoolFile(dir: string, team: boolean): string {
  return join(dir, team ? `spool-${process.pid}.jsonl` : 'spool.jsonl');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Spools left by sessions that ended before they could write them (the lock-holder's, when this
 * session holds the lock; a team session's whose process is gone), taken over: each file is renamed
 * first, so two sessions never both take the same one. The caller puts the entries in its own spool,
 * then removes the taken files (`done`).
 */
export async function adoptSpools(
  dir: string,
  own: string,
  holdsLock: boolean,
): Promise<{ entries: SpoolEntry[]; done: () => Promise<void> }> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    names = [];
  }
  const entries: SpoolEntry[] = [];
  const taken: string[] = [];
  for (const name of names.sort()) {
    const m = /^spool(?:-(\d+))?\.jsonl$/.exec(name);
    const path = join(dir, name);
    if (!m || path === own) continue;
    if (m[1] ? alive(Number(m[1])) : !holdsLock) continue;
    const to = `${own}.adopt-${randomBytes(4).toString('hex')}`;
    try {
      await rename(path, to);
    } catch {
      continue; // another session took it first
    }
    taken.push(to);
    entries.push(...(await readSpool(to)));
  }
  return {
    entries,
    done: async () => {
      for (const f of taken) await unlink(f).catch(() => {});
      if (taken.length) await fsyncDirAsync(dir);
    },
  };
}

// One writer per run. The lock file `lock` in the run's directory names the process and host
// holding the run; a lock left by a dead process on this host is taken over, so a kill -9 never
// locks an operator out. Two runsheets racing for one run must never both win, so:
//
// - Acquire: the complete lock text is written to a private temp file first, then link()ed to
//   `lock`. link(2) fails with EEXIST atomically if `lock` exists, and the name only ever appears
//   with its whole content, so nobody can read a lock that is empty or half-written (the old
//   open(wx)-then-write let a racing process read an empty file, call it stale and delete it).
// - Take over a dead holder's lock X: never delete-then-create (two processes that both judged X
//   stale could each delete the other's brand-new lock). Instead a process first claims the right
//   to replace X by link()ing a claim file named after X's identity (inode + bytes); exactly one
//   live process can hold that claim. While `lock` is still X, nothing else can change it: a fresh
//   acquire's link() fails (the name exists), X's holder is dead so it cannot release, and any
//   other taker needs the claim. So the claimant re-reads `lock`, and only if it is still X does it
//   rename(2) its claim over it (atomic replace). A claim left by a claimant that died is skipped
//   by using the next claim number; a live claimant makes the others back off ("held").
// - An unreadable or empty lock (an older runsheet between its create and its write, or a file
//   left half on disk by a power cut) counts as HELD, never stale: its writer may be alive and
//   about to finish it. It is only taken over when its mtime is before this machine booted: every
//   process that could have been writing it is then provably gone. (That relies on the wall clock
//   not having jumped forward since the file was written.) Otherwise the operator is told which
//   file to check and remove.
// - A holder is dead when kill(pid, 0) says no such process, when /proc shows it a zombie, or when
//   its start time (recorded in the lock where /proc exists) differs: the PID was reused. Locks
//   from other hosts (a shared home) are never taken over: we cannot see their processes.
//
// On a filesystem without hard links (FAT, some FUSE/SMB mounts) files are created O_EXCL and then
// written; a racer may see one empty for a moment, which counts as held, so there is still one
// winner, but a kill -9 in that instant leaves an empty lock the operator has to remove.
//
// Why not flock(2) on an fd kept open (released by the kernel when the holder dies)? Node has no
// flock/fcntl locking without a native addon, and a child like flock(1) holding it for us would
// be one more process to lose over SSH; link/rename are atomic on every local filesystem.
//
// An older runsheet (delete-then-create takeover) running on the same run at the same time is not
// covered; the writer's check before each append (event-log.ts) still stops a second writer.
import { link, readdir, rename, stat, unlink } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { hostname, uptime } from 'node:os';
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { openNoFollow } from './safe-open.js';

export interface LockInfo {
  pid: number;
  host: string;
  since: string;
  /** The holder's start time (/proc/PID/stat field 22), to tell a reused PID from the holder. */
  start?: string;
  /** Random: makes every lock file unique, so its identity never repeats. */
  token?: string;
  /** Set when the lock file could not be read (`since` is then its mtime). */
  unreadable?: string;
}

export type LockResult = { ok: true; release: () => Promise<void>; tookOver?: LockInfo } | { ok: false; holder: LockInfo };

/** Lock paths this process holds or is acquiring: a second open in the same process is "held". */
const heldHere = new Set<string>();

/** A lock file as read: its bytes, parsed content (null: unreadable) and identity. */
interface Seen {
  bytes: Buffer;
  info: LockInfo | null;
  mtimeMs: number;
  id: string;
}

/** Claim numbers tried per stale lock before giving up (each needs a claimant that died). */
const MAX_CLAIMS = 16;
/** Rounds of link / judge / take over before reporting the lock as held. */
const MAX_ROUNDS = 32;
/** Leftover temp and claim files older than this are removed by the next holder. */
const LEFTOVER_MS = 60_000;

type ProcView = { state: string; start: string } | 'gone' | 'unknown';

/** /proc/PID/stat: state (field 3) and start time (field 22); the name (field 2) may hold ") ". */
function procStat(pid: number): ProcView {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: f[0], start: f[19] };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return hasProc() ? 'gone' : 'unknown';
    return 'unknown';
  }
}

/**
 * Whether this system has /proc (so a missing /proc/PID means the process is gone). Asked the
 * first time a holder is judged, not when the module loads: every start imports this file.
 */
let procSeen: boolean | undefined;
function hasProc(): boolean {
  if (procSeen === undefined) {
    try {
      readFileSync('/proc/self/stat');
      procSeen = true;
    } catch {
      procSeen = false;
    }
  }
  return procSeen;
}

/** This process's start time as the lock records it (undefined without /proc). */
export function processStart(pid: number): string | undefined {
  const v = procStat(pid);
  return typeof v === 'object' ? v.start : undefined;
}

function alive(pid: number, start?: string): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const v = procStat(pid);
  if (v === 'gone') return false;
  if (v === 'unknown') return true;
  // A killed runsheet its parent has not reaped yet can never write again.
  if (v.state === 'Z' || v.state === 'X') return false;
  return !start || v.start === start;
}

function bootTimeMs(): number {
  return Date.now() - uptime() * 1000;
}

export function describeHolder(h: LockInfo): string {
  if (h.unreadable) {
    return `the run's lock file ${h.unreadable} is empty or unreadable (written ${h.since}; another runsheet may be starting): if no runsheet has this run open, remove it`;
  }
  return `run is open in process ${h.pid} on ${h.host} since ${h.since}`;
}

function parseLock(bytes: Buffer): LockInfo | null {
  try {
    const v: unknown = JSON.parse(bytes.toString('utf8'));
    return isLockInfo(v) ? v : null;
  } catch {
    return null;
  }
}

/** The fields every holder writes are checked; the optional ones are read as they come. */
function isLockInfo(v: unknown): v is LockInfo {
  if (typeof v !== 'object' || v === null) return false;
  const { pid, host, since } = v as Record<string, unknown>;
  return typeof pid === 'number' && Number.isInteger(pid) && pid > 0 && typeof host === 'string' && typeof since === 'string';
}

/** Reads a lock (or claim) file without following a symlink; null when there is none. */
async function readLock(path: string): Promise<Seen | null> {
  let fh;
  try {
    fh = await openNoFollow(path, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  try {
    const st = await fh.stat();
    const bytes = await fh.readFile();
    const id = createHash('sha256').update(`${st.ino}:`).update(bytes).digest('hex').slice(0, 24);
    return { bytes, info: parseLock(bytes), mtimeMs: st.mtimeMs, id };
  } finally {
    await fh.close();
  }
}

function holderOf(seen: Seen, path: string): LockInfo {
  return seen.info ?? { pid: 0, host: 'unknown', since: new Date(seen.mtimeMs).toISOString(), unreadable: path };
}

/** 'stale' only when whoever wrote the lock provably cannot be writing the run. */
function judge(seen: Seen, me: LockInfo): 'held' | 'stale' {
  const h = seen.info;
  if (!h) return seen.mtimeMs < bootTimeMs() - 2000 ? 'stale' : 'held';
  if (h.host !== me.host) return 'held';
  // Our own PID, yet this process does not hold the lock (heldHere): a previous process that had
  // the same PID wrote it.
  if (h.pid === me.pid) return 'stale';
  return alive(h.pid, h.start) ? 'held' : 'stale';
}

function isCode(e: unknown, code: string): boolean {
  return (e as NodeJS.ErrnoException).code === code;
}

/** link() refused because the filesystem has no hard links (FAT, some FUSE and SMB mounts). */
const NO_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);

/**
 * Creates `name` holding `bytes`, failing with EEXIST if it exists: link(tmp) so it appears whole.
 * Without hard links, O_EXCL then write: a racer may then see it empty for a moment, which counts
 * as held (see judge), so still at most one process wins.
 */
async function placeNew(tmp: string, name: string, bytes: Buffer): Promise<void> {
  try {
    await link(tmp, name);
    return;
  } catch (e) {
    if (!NO_LINKS.has((e as NodeJS.ErrnoException).code ?? '')) throw e;
  }
  const fh = await openNoFollow(name, 'wx');
  try {
    await fh.writeFile(bytes);
  } finally {
    await fh.close();
  }
}

/**
 * Replaces the stale lock `seen` by ours: 'done', 'changed' (the lock is no longer `seen`:
 * judge again), or the live process that is taking it over right now.
 */
async function takeOver(
  path: string,
  seen: Seen,
  tmp: string,
  bytes: Buffer,
  me: LockInfo,
): Promise<'done' | 'changed' | { held: LockInfo }> {
  const claimOf = (k: number) => `${path}.takeover.${seen.id}.${k}`;
  for (let k = 0, vanished = 0; k < MAX_CLAIMS; k++) {
    const claim = claimOf(k);
    try {
      await placeNew(tmp, claim, bytes);
    } catch (e) {
      if (!isCode(e, 'EEXIST')) throw e;
      const c = await readLock(claim);
      if (!c) {
        // The claimant just finished (renamed its claim into place) or gave up: try this number again.
        if (++vanished > MAX_CLAIMS) return 'changed';
        k--;
        continue;
      }
      if (judge(c, me) === 'held') return { held: holderOf(c, claim) };
      continue; // that claimant died: the next number
    }
    // We hold claim k: nobody else can replace `lock` while it is still `seen`.
    const now = await readLock(path);
    if (!now || now.id !== seen.id) {
      await unlink(claim).catch(() => {});
      return 'changed';
    }
    await rename(claim, path);
    for (let j = 0; j < k; j++) await unlink(claimOf(j)).catch(() => {});
    return 'done';
  }
  return { held: holderOf(seen, path) };
}

/** Temp and claim files left by processes killed mid-acquire; only the holder sweeps them. */
async function sweepLeftovers(dir: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  const old = Date.now() - LEFTOVER_MS;
  for (const n of names) {
    if (!/^lock\.(takeover\.[0-9a-f]+\.\d+|\d+\.[0-9a-f]+\.tmp)$/.test(n)) continue;
    const p = join(dir, n);
    try {
      if ((await stat(p)).mtimeMs < old) await unlink(p);
    } catch {
      // gone already
    }
  }
}

export async function acquireRunLock(dir: string, now: () => Date = () => new Date()): Promise<LockResult> {
  const path = join(dir, 'lock');
  const me: LockInfo = {
    pid: process.pid,
    host: hostname(),
    since: now().toISOString(),
    start: processStart(process.pid),
    token: randomBytes(8).toString('hex'),
  };
  if (heldHere.has(path)) {
    const cur = await readLock(path);
    return { ok: false, holder: cur ? holderOf(cur, path) : me };
  }
  heldHere.add(path);
  const mine = Buffer.from(JSON.stringify(me));
  const tmp = join(dir, `lock.${process.pid}.${me.token}.tmp`);
  let won = false;
  try {
    const fh = await openNoFollow(tmp, 'wx');
    try {
      await fh.writeFile(mine);
    } finally {
      await fh.close();
    }
    // No fsync: other processes see the whole file through the page cache the moment link() names
    // it, and after a power cut a lock is meaningless anyway (an empty one predates the boot).
    let last: Seen | null = null;
    let tookOver: LockInfo | undefined;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      try {
        await placeNew(tmp, path, mine);
        won = true;
        break;
      } catch (e) {
        if (!isCode(e, 'EEXIST')) throw e;
      }
      last = await readLock(path);
      if (!last) continue; // released in between: try to create it again
      if (judge(last, me) === 'held') return { ok: false, holder: holderOf(last, path) };
      const r = await takeOver(path, last, tmp, mine, me);
      if (r === 'done') {
        won = true;
        tookOver = holderOf(last, path);
        break;
      }
      if (r !== 'changed') return { ok: false, holder: r.held };
    }
    if (!won) return { ok: false, holder: last ? holderOf(last, path) : { pid: 0, host: 'unknown', since: 'unknown' } };
    await sweepLeftovers(dir);
    const release = async () => {
      try {
        // Only remove the lock if it is still ours. Nobody replaces a live holder's lock, so this
        // read-then-unlink cannot remove another process's lock.
        const cur = await readLock(path);
        if (cur && cur.bytes.equals(mine)) await unlink(path).catch(() => {});
      } finally {
        heldHere.delete(path);
      }
    };
    return { ok: true, release, tookOver };
  } finally {
    if (!won) heldHere.delete(path);
    await unlink(tmp).catch(() => {});
  }
}

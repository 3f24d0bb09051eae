// One writer per run. The lock file names the process and host holding the run; a lock left by
// a dead process on this host is taken over, so a kill -9 never locks an operator out.
import { open, readFile, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';

export interface LockInfo {
  pid: number;
  host: string;
  since: string;
}

export type LockResult = { ok: true; release: () => Promise<void>; tookOver?: LockInfo } | { ok: false; holder: LockInfo };

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function describeHolder(h: LockInfo): string {
  return `run is open in process ${h.pid} on ${h.host} since ${h.since}`;
}

export async function acquireRunLock(dir: string, now: () => Date = () => new Date()): Promise<LockResult> {
  const path = join(dir, 'lock');
  const me: LockInfo = { pid: process.pid, host: hostname(), since: now().toISOString() };
  let tookOver: LockInfo | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fh = await open(path, 'wx', 0o600);
      await fh.writeFile(JSON.stringify(me));
      await fh.sync();
      await fh.close();
      const release = async () => {
        // Only remove the lock if it is still ours (a takeover may have replaced it).
        const cur = await readLock(path);
        if (cur && cur.pid === me.pid && cur.host === me.host) await unlink(path).catch(() => {});
      };
      return { ok: true, release, tookOver };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const holder = await readLock(path);
    const stale = !holder || (holder.host === me.host && !alive(holder.pid)) || (holder.host === me.host && holder.pid === me.pid);
    if (!stale) return { ok: false, holder };
    tookOver = holder ?? undefined;
    await unlink(path).catch(() => {});
  }
  const holder = (await readLock(path)) ?? { pid: 0, host: 'unknown', since: 'unknown' };
  return { ok: false, holder };
}

async function readLock(path: string): Promise<LockInfo | null> {
  try {
    const v = JSON.parse(await readFile(path, 'utf8')) as LockInfo;
    return typeof v.pid === 'number' ? v : null;
  } catch {
    return null;
  }
}

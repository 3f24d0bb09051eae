// The chain on disk is always whole: appends in flight when a write fails (a short write then
// ENOSPC mid-line, a failing fsync, a really full filesystem) leave the log ending on the last
// durable event, the store's memory agreeing with it, and the appends queued behind the failure
// chained onto that event — never onto the one that did not land.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLogFile, readEventLog, type LogFile, type OpenLogFile } from '../../src/adapters/event-log.js';
import { RunStore } from '../../src/adapters/run-store.js';
import { checkChain, type RunEvent } from '../../src/core/events.js';
import { tempDir } from '../support/tmp.js';

const eventsPath = (home: string) => join(home, 'runs', 'r1', 'events.jsonl');

/** Reads the log straight from disk: it must parse whole (no torn tail) and its chain verify. */
function diskEvents(home: string): RunEvent[] {
  const text = readFileSync(eventsPath(home), 'utf8');
  expect(text.endsWith('\n'), 'the log ends on a whole line').toBe(true);
  const events = text
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as RunEvent);
  expect(checkChain(events)).toEqual([]);
  return events;
}

async function newRun(home: string, openFile?: OpenLogFile): Promise<RunStore> {
  const s = await RunStore.create(home, 'r1', 'version: 1\n', { operator: 'ann', openLogFile: openFile });
  await s.append({ type: 'run.started', runId: 'r1', checklist: { path: '/x', sha256: 'ab', title: 'T' }, env: null, vars: {} });
  return s;
}

type Fault = 'short-then-enospc' | 'enospc' | 'fsync-eio';

/** The real log file, but the writes numbered in `failAt` fail the way `fault` says. */
function failing(failAt: Set<number>, fault: () => Fault): { open: OpenLogFile; writes: () => number } {
  let n = 0;
  let failNextSync = false;
  const open: OpenLogFile = async (path) => {
    const real: LogFile = await openLogFile(path);
    return {
      ...real,
      write: async (buf) => {
        n++;
        if (!failAt.has(n)) return real.write(buf);
        const f = fault();
        if (f === 'fsync-eio') {
          failNextSync = true;
          return real.write(buf);
        }
        // Half the line lands, then the disk is full: the file now ends mid-line.
        if (f === 'short-then-enospc') await real.write(buf.subarray(0, buf.length >> 1));
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      },
      datasync: async () => {
        if (failNextSync) {
          failNextSync = false;
          throw Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' });
        }
        return real.datasync();
      },
    };
  };
  return { open, writes: () => n };
}

describe('appends in flight when a write fails', () => {
  let t: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => (t = await tempDir('rs-appendfail-')));
  afterEach(async () => t.cleanup());

  for (const fault of ['short-then-enospc', 'enospc', 'fsync-eio'] as const) {
    it(`${fault}: the log stays whole after every failure and the next appends chain onto the true last event`, async () => {
      // Fail a spread of writes, some in the middle of a burst of 12 appends in flight.
      const failAt = new Set([3, 4, 9, 15, 16, 17, 30, 41]);
      const inj = failing(failAt, () => fault);
      const s = await newRun(t.dir, inj.open);
      let failures = 0;
      for (let burst = 0; burst < 5; burst++) {
        const results = await Promise.allSettled(
          Array.from({ length: 12 }, (_, i) =>
            s.append({ type: 'note', text: `b${burst}-${i}` }).catch((e: unknown) => {
              // At the moment the failure is reported, the disk holds a whole, valid chain.
              failures++;
              diskEvents(t.dir);
              throw e;
            }),
          ),
        );
        for (const r of results)
          if (r.status === 'rejected')
            expect((r.reason as Error).message).toMatch(/could not save to .*events\.jsonl \((ENOSPC|EIO)\): the action was NOT recorded/);
        // Memory agrees with the disk exactly: same events, same last event.
        const disk = diskEvents(t.dir);
        expect(disk).toEqual(s.events);
        expect(s.lastEvent()).toEqual(disk[disk.length - 1]);
        expect(s.state.lastSeq).toBe(disk.length);
        // Resolved appends are exactly the events on disk, in order.
        const ok = results.filter((r) => r.status === 'fulfilled').map((r) => r.value);
        expect(disk.slice(disk.length - ok.length)).toEqual(ok);
      }
      expect(failures).toBe([...failAt].filter((n) => n <= inj.writes()).length);
      await s.close();
      // A fresh open agrees: nothing torn, nothing to repair.
      const again = await RunStore.open(t.dir, 'r1', { operator: 'bob' });
      expect(again.warnings).toEqual([]);
      expect(again.events).toEqual(diskEvents(t.dir));
      await again.close();
    });
  }

  it('a write that cannot be cut back stops the appender: later appends fail and write nothing', async () => {
    let n = 0;
    const open: OpenLogFile = async (path) => {
      const real = await openLogFile(path);
      return {
        ...real,
        write: async (buf) => {
          if (++n !== 3) return real.write(buf);
          await real.write(buf.subarray(0, 10));
          throw Object.assign(new Error('EIO'), { code: 'EIO' });
        },
        truncate: () => Promise.reject(Object.assign(new Error('EROFS'), { code: 'EROFS' })),
      };
    };
    const s = await newRun(t.dir, open);
    await s.append({ type: 'note', text: 'one' });
    const burst = await Promise.allSettled([1, 2, 3].map((i) => s.append({ type: 'note', text: `x${i}` })));
    expect(burst.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(String((burst[1] as PromiseRejectedResult).reason.message)).toMatch(
      /could not be cut back \(EROFS\): stopped writing; quit and resume the run/,
    );
    const size = readFileSync(eventsPath(t.dir)).length;
    await expect(s.append({ type: 'note', text: 'later' })).rejects.toThrow(/could not be cut back/);
    expect(readFileSync(eventsPath(t.dir)).length).toBe(size);
    expect(s.events.map((e) => e.seq)).toEqual([1, 2]);
    await s.close();
    // On reopen the torn tail is cut and the chain is whole.
    const again = await RunStore.open(t.dir, 'r1', { operator: 'bob' });
    expect(again.warnings.join('\n')).toMatch(/torn by a crash and has been removed/);
    expect(again.events.map((e) => e.seq)).toEqual([1, 2]);
    await again.close();
  });

  it('the log changed under the writer (another process appended): stopped, nothing written', async () => {
    const s = await newRun(t.dir);
    await s.append({ type: 'note', text: 'mine' });
    const other = readFileSync(eventsPath(t.dir), 'utf8').trimEnd().split('\n').pop()!.replace('"mine"', '"theirs"');
    writeFileSync(eventsPath(t.dir), `${other}\n`, { flag: 'a' });
    const size = readFileSync(eventsPath(t.dir)).length;
    await expect(s.append({ type: 'note', text: 'next' })).rejects.toThrow(
      /events\.jsonl changed under this process \(another writer\?\): it is \d+ bytes, not \d+; this process last wrote or read event 2\. Stopped, nothing written/,
    );
    await expect(s.append({ type: 'note', text: 'again' })).rejects.toThrow(/changed under this process/);
    expect(readFileSync(eventsPath(t.dir)).length).toBe(size);
    await s.close();
  });

  it('the log replaced under the writer (same size, other last line) is caught too', async () => {
    const s = await newRun(t.dir);
    await s.append({ type: 'note', text: 'aaaa' });
    const text = readFileSync(eventsPath(t.dir), 'utf8');
    writeFileSync(`${eventsPath(t.dir)}.new`, text.replace('"aaaa"', '"bbbb"'));
    execFileSync('mv', [`${eventsPath(t.dir)}.new`, eventsPath(t.dir)]);
    await expect(s.append({ type: 'note', text: 'next' })).rejects.toThrow(
      /changed under this process \(another writer\?\): the file was replaced or removed/,
    );
    await s.close();
  });
});

// A real small filesystem that fills up: tmpfs of 64 KiB (needs root, or CAP_SYS_ADMIN).
const mountPoint = mkdtempSync(join(tmpdir(), 'rs-fullfs-'));
const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k,mode=0700', 'tmpfs', mountPoint]).status === 0;
if (!mounted) {
  rmdirSync(mountPoint);
  console.warn('SKIPPED: the full-filesystem test needs `mount -t tmpfs` (root); it could not mount one here');
}

describe.skipIf(!mounted)('a really full filesystem (tmpfs, 64 KiB)', () => {
  afterAll(() => {
    spawnSync('umount', [mountPoint]);
    rmSync(mountPoint, { recursive: true, force: true });
  });

  it('ENOSPC with appends in flight: the chain on disk verifies after every failure, and appends resume once there is room', async () => {
    const home = join(mountPoint, 'home');
    const s = await newRun(home);
    // Leave a little room: the notes below (3 KiB each) fill it within a few appends.
    const filler = join(mountPoint, 'filler');
    let room = 48 * 1024;
    for (;;) {
      try {
        writeFileSync(filler, Buffer.alloc(room));
        break;
      } catch {
        room -= 4096;
      }
    }
    const big = 'x'.repeat(3000);
    let failures = 0;
    let written = 0;
    for (let burst = 0; burst < 4; burst++) {
      const results = await Promise.allSettled(
        Array.from({ length: 8 }, (_, i) =>
          s.append({ type: 'note', text: `${burst}-${i}-${big}` }).catch((e: unknown) => {
            failures++;
            diskEvents(home);
            throw e;
          }),
        ),
      );
      written += results.filter((r) => r.status === 'fulfilled').length;
      for (const r of results)
        if (r.status === 'rejected') expect((r.reason as Error).message).toMatch(/\(ENOSPC\): the action was NOT recorded/);
      expect(diskEvents(home)).toEqual(s.events);
    }
    expect(failures, 'the filesystem filled up').toBeGreaterThan(0);
    // Room again: appends go on from the true last event.
    rmSync(filler);
    const e = await s.append({ type: 'note', text: 'after' });
    expect(e.seq).toBe(written + 2);
    expect(diskEvents(home)).toEqual(s.events);
    await s.close();
    const log = await readEventLog(eventsPath(home));
    expect(log.warnings).toEqual([]);
    expect(log.events.length).toBe(written + 2);
  });
});

// The run lock's judgements one by one (lock-race.test.ts races them): an empty or half-written
// lock is held, not stale, unless it predates this boot; a dead, zombie or reused PID is stale;
// a symlink in the lock's place is refused; the lock file is 0600 and never follows a link.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readFileSync, readdirSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, uptime } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireRunLock, describeHolder, processStart } from '../../src/adapters/run-lock.js';
import { tempDir } from '../support/tmp.js';

let t: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => (t = await tempDir('rs-lock-')));
afterEach(async () => t.cleanup());

const lockPath = () => join(t.dir, 'lock');

describe('run lock', () => {
  it('writes the whole lock at once (0600), releases only its own, and refuses a second open in the same process', async () => {
    const a = await acquireRunLock(t.dir);
    expect(a.ok).toBe(true);
    const info = JSON.parse(readFileSync(lockPath(), 'utf8'));
    expect(info).toMatchObject({ pid: process.pid, host: hostname() });
    expect(statSync(lockPath()).mode & 0o777).toBe(0o600);
    const again = await acquireRunLock(t.dir);
    expect(again).toMatchObject({ ok: false, holder: { pid: process.pid } });
    expect(readdirSync(t.dir)).toEqual(['lock']); // no temp or claim files left
    if (a.ok) await a.release();
    expect(existsSync(lockPath())).toBe(false);
  });

  it('an empty or half-written lock counts as held, and the message says which file to check', async () => {
    for (const text of ['', '{"pid":12', 'garbage']) {
      writeFileSync(lockPath(), text);
      const r = await acquireRunLock(t.dir);
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(describeHolder(r.holder)).toContain(`the run's lock file ${lockPath()} is empty or unreadable`);
      expect(readFileSync(lockPath(), 'utf8')).toBe(text);
    }
  });

  it('an unreadable lock from before this machine booted is provably abandoned: taken over', async () => {
    writeFileSync(lockPath(), '');
    const beforeBoot = (Date.now() - uptime() * 1000) / 1000 - 3600;
    utimesSync(lockPath(), beforeBoot, beforeBoot);
    const r = await acquireRunLock(t.dir);
    expect(r).toMatchObject({ ok: true, tookOver: { unreadable: lockPath() } });
    expect(JSON.parse(readFileSync(lockPath(), 'utf8')).pid).toBe(process.pid);
    if (r.ok) await r.release();
  });

  it('a live holder keeps it; an exited one, a zombie, or a reused PID (other start time) does not', async () => {
    const child = spawn('sleep', ['30']);
    try {
      writeFileSync(lockPath(), JSON.stringify({ pid: child.pid, host: hostname(), since: 'x', start: processStart(child.pid!) }));
      expect(await acquireRunLock(t.dir)).toMatchObject({ ok: false, holder: { pid: child.pid } });
      // The same live PID with another start time: the PID was reused after the holder died.
      writeFileSync(lockPath(), JSON.stringify({ pid: child.pid, host: hostname(), since: 'x', start: '1' }));
      const reused = await acquireRunLock(t.dir);
      expect(reused).toMatchObject({ ok: true, tookOver: { pid: child.pid } });
      if (reused.ok) await reused.release();
      // Another host's lock is never taken over (its processes cannot be seen from here).
      writeFileSync(lockPath(), JSON.stringify({ pid: child.pid, host: `not-${hostname()}`, since: 'x' }));
      expect(await acquireRunLock(t.dir)).toMatchObject({ ok: false, holder: { host: `not-${hostname()}` } });
    } finally {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    }
    // A zombie: a shell forks a child, then becomes `sleep 30` (which never reaps); the child exits
    // once its parent is sleep, so it is left a zombie whatever the timing.
    const z = spawn('bash', ['-c', 'while [ "$(cat /proc/$$/comm)" != sleep ]; do sleep 0.01; done & exec sleep 30']);
    try {
      const zombie = await new Promise<number>((resolve, reject) => {
        const deadline = Date.now() + 10_000;
        const look = () => {
          const kids = spawnSync('ps', ['-o', 'pid=,stat=', '--ppid', String(z.pid)], { encoding: 'utf8' })
            .stdout.trim()
            .split('\n');
          const zz = kids.map((l) => l.trim().split(/\s+/)).find((cols) => cols[1]?.startsWith('Z'));
          if (zz) resolve(Number(zz[0]));
          else if (Date.now() > deadline) reject(new Error('no zombie appeared'));
          else setTimeout(look, 20);
        };
        look();
      });
      writeFileSync(lockPath(), JSON.stringify({ pid: zombie, host: hostname(), since: 'x' }));
      const r = await acquireRunLock(t.dir);
      expect(r).toMatchObject({ ok: true, tookOver: { pid: zombie } });
      if (r.ok) await r.release();
    } finally {
      z.kill('SIGKILL');
      await new Promise((r) => z.once('exit', r));
    }
  });

  it('a takeover claimed by a live process makes others back off; one left by a dead claimant is skipped', async () => {
    const dead = spawnSync('true').pid;
    const stale = JSON.stringify({ pid: dead, host: hostname(), since: 'x' });
    writeFileSync(lockPath(), stale);
    const id = createHash('sha256')
      .update(`${statSync(lockPath()).ino}:`)
      .update(stale)
      .digest('hex')
      .slice(0, 24);
    const claim = (k: number) => join(t.dir, `lock.takeover.${id}.${k}`);
    const child = spawn('sleep', ['30']);
    try {
      // A live process holds the claim on this stale lock: it is the one taking over.
      writeFileSync(claim(0), JSON.stringify({ pid: child.pid, host: hostname(), since: 'y' }));
      expect(await acquireRunLock(t.dir)).toMatchObject({ ok: false, holder: { pid: child.pid } });
      expect(readFileSync(lockPath(), 'utf8')).toBe(stale);
    } finally {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    }
    // Its claimant died before finishing (and another died at claim 1): the next number goes on.
    writeFileSync(claim(1), JSON.stringify({ pid: spawnSync('true').pid, host: hostname(), since: 'z' }));
    const r = await acquireRunLock(t.dir);
    expect(r).toMatchObject({ ok: true, tookOver: { pid: dead } });
    expect(JSON.parse(readFileSync(lockPath(), 'utf8')).pid).toBe(process.pid);
    expect(readdirSync(t.dir)).toEqual(['lock']); // the dead claims are cleaned up
    if (r.ok) await r.release();
  });

  it('a symlink in the lock’s place is an error, and its target is untouched', async () => {
    const target = join(t.dir, 'outside');
    writeFileSync(target, 'precious');
    symlinkSync(target, lockPath());
    await expect(acquireRunLock(t.dir)).rejects.toThrow(/is a symbolic link/);
    expect(readFileSync(target, 'utf8')).toBe('precious');
    expect(lstatSync(lockPath()).isSymbolicLink()).toBe(true);
  });
});

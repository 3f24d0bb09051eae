import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCommand } from '../../src/adapters/shell.js';

let dir: string;
beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'rs-shell-'))));
afterEach(async () => rm(dir, { recursive: true, force: true }));

const run = (command: string, extra: Partial<Parameters<typeof startCommand>[0]> = {}) =>
  startCommand({ command, env: { PATH: process.env.PATH }, timeoutMs: 10_000, logPrefix: join(dir, 'x'), secrets: [], ...extra });

describe('startCommand', () => {
  it('captures exit code, output, and logs with size and sha256', async () => {
    const o = await run('echo hello; echo oops >&2; exit 3').done;
    expect(o.exitCode).toBe(3);
    expect(o.stdout).toBe('hello\n');
    expect(o.stderr).toBe('oops\n');
    const log = await readFile(join(dir, 'x.stdout.log'));
    expect(o.stdoutDigest).toEqual({
      bytes: 6,
      sha256: createHash('sha256').update(log).digest('hex'),
      tail: 'hello\n',
      log: 'x.stdout.log',
    });
  });

  it('redacts secrets split across output chunks, on screen and on disk', async () => {
    const seen: string[] = [];
    const o = await run("printf 'tok=s3cr'; sleep 0.2; printf 'et-v4lue done\\n'", {
      secrets: ['s3cret-v4lue'],
      onOutput: (t) => seen.push(t),
    }).done;
    expect(o.stdout).toBe('tok=*** done\n');
    expect(seen.join('')).toBe('tok=*** done\n');
    expect(await readFile(join(dir, 'x.stdout.log'), 'utf8')).not.toContain('s3cr');
  });

  it('times out, killing the whole process group, and says so', async () => {
    const o = await run('sleep 30 & sleep 30; wait', { timeoutMs: 300, graceMs: 500 }).done;
    expect(o.timedOut).toBe(true);
    expect(o.exitCode).toBeNull();
  });

  it('SIGKILLs a command that ignores SIGTERM after the grace period', async () => {
    const h = run("trap '' TERM; echo ready; while true; do sleep 0.1; done", { graceMs: 300 });
    // wait for the trap to be installed
    for (let i = 0; i < 100 && !(await readFile(join(dir, 'x.stdout.log'), 'utf8').catch(() => '')).includes('ready'); i++)
      await new Promise((r) => setTimeout(r, 20));
    h.stop();
    const o = await h.done;
    expect(o.cancelled).toBe(true);
    expect(o.signal).toBe('SIGKILL');
  });

  it('keeps memory bounded for a flood while logging everything', async () => {
    const o = await run("head -c 20000000 /dev/zero | tr '\\0' 'a'").done;
    expect(o.exitCode).toBe(0);
    expect(o.stdoutDigest.bytes).toBe(20_000_000);
    expect(o.stdout.length).toBeLessThanOrEqual(1024 * 1024);
    expect(o.stdoutDigest.tail.length).toBe(4096);
  });

  it('reports a missing working directory as a result, never a throw', async () => {
    const o = await run('true', { cwd: join(dir, 'nope') }).done;
    expect(o.spawnError).toMatch(/ENOENT|no such/i);
  });
});

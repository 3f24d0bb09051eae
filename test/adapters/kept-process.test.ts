// Finding a kept command again: a live pid with the recorded start time is "running"; the same
// pid with another start time (reused after the command ended) is not; and the status its shell
// writes on the way out says how it really ended — exit code, or the signal that killed it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { keepStatusPrefix, keptIdentity, keptStatus } from '../../src/adapters/kept-process.js';
import { tempDir } from '../support/tmp.js';
import { argv, descendants } from '../e2e/tmux.js';
import { waitFor } from '../faults/harness.js';

let t: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  // A quote and a space in the path: the prefix must quote the status file for the shell.
  t = await tempDir("rs-kept 'q-");
});
afterAll(async () => t.cleanup());

/**
 * Runs `command` under bash with the status prefix, in its own group; `kill` signals the group
 * once its `sleep` has started (a signal that lands between a fork and its exec is taken by the
 * forked shell's trap, not by the program: not what this test is about).
 */
function runKept(name: string, command: string, kill?: NodeJS.Signals): Promise<void> {
  const child = spawn('/bin/bash', ['-c', keepStatusPrefix(join(t.dir, name)) + command], {
    detached: true,
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  const sleeping = () => descendants(child.pid!).some((p) => argv(p)[0] === 'sleep');
  if (kill) void waitFor(sleeping, 'sleep to start').then(() => process.kill(-child.pid!, kill));
  return new Promise((resolve) => child.on('exit', () => resolve()));
}

describe('kept process identity', () => {
  it('running while the pid has the recorded start time; a reused pid (another start time) or a gone one has ended', () => {
    const me = keptIdentity(process.pid)!;
    expect(me.startTicks).toBeGreaterThan(0);
    expect(keptStatus(me, t.dir)).toEqual({ state: 'running' });
    expect(keptStatus({ ...me, startTicks: me.startTicks + 1 }, t.dir)).toEqual({ state: 'ended' });
    expect(keptStatus({ ...me, bootId: 'another-boot' }, t.dir)).toEqual({ state: 'ended' });
    expect(keptStatus({ ...me, pid: 2 ** 22 + 1 }, t.dir)).toEqual({ state: 'ended' });
  });

  it('the shell records its own ending: exit code, the signal that killed it, nothing for SIGKILL', async () => {
    const gone = { pid: 2 ** 22 + 1, startTicks: 1, bootId: '' };
    await runKept('exit3', 'exit 3');
    expect(keptStatus({ ...gone, statusFile: 'exit3' }, t.dir)).toEqual({ state: 'ended', exitCode: 3 });
    await runKept('ok', 'true');
    expect(keptStatus({ ...gone, statusFile: 'ok' }, t.dir)).toEqual({ state: 'ended', exitCode: 0 });
    await runKept('term', 'sleep 30', 'SIGTERM');
    expect(keptStatus({ ...gone, statusFile: 'term' }, t.dir)).toEqual({ state: 'ended', exitCode: null, signal: 'SIGTERM' });
    await runKept('hup', 'sleep 30', 'SIGHUP');
    expect(keptStatus({ ...gone, statusFile: 'hup' }, t.dir)).toEqual({ state: 'ended', exitCode: null, signal: 'SIGHUP' });
    await runKept('kill', 'sleep 30', 'SIGKILL');
    expect(keptStatus({ ...gone, statusFile: 'kill' }, t.dir)).toEqual({ state: 'ended' });
  });
});

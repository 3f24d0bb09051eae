// Issue 7.6: runaway commands. One that ignores SIGTERM is SIGKILLed after the grace period; one
// that never ends hits its timeout ("timed out after …"); one that prints ~1 GB leaves runsheet's
// memory bounded while the log on disk gets every byte.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from '../support/tmp.js';
import { crashSigns, groupAlive, killGroup, onlyRun, readEvents, runRunsheet, startRunsheet, waitFor } from './harness.js';

const GRACE_MS = 5000; // shell.ts: SIGTERM, then SIGKILL this long after

let t: Awaited<ReturnType<typeof tempDir>>;
const groups: number[] = [];
beforeAll(async () => {
  t = await tempDir('rs-fault-runaway-');
});
afterEach(() => {
  for (const g of groups.splice(0)) killGroup(g);
});
afterAll(async () => t.cleanup());

async function checklist(name: string, items: string): Promise<string> {
  await writeFile(join(t.dir, name), `version: 1\ntitle: Runaway\nphases:\n  - title: P\n    items:\n${items}`);
  return name;
}

describe('runaway commands', () => {
  it('a command ignoring SIGTERM is SIGKILLed after the grace period, whole process group', { timeout: 30_000 }, async () => {
    const home = join(t.dir, 'h-term');
    const file = await checklist(
      'stubborn.yaml',
      `      - {id: stubborn, title: Stubborn, timeout: 1s, run: 'trap "" TERM; echo $$ > "$WORK/stubborn.pgid"; sleep 60 & wait; sleep 60'}\n`,
    );
    const p = startRunsheet(['run', file, '--auto'], { cwd: t.dir, home, env: { WORK: t.dir } });
    const pgidFile = join(t.dir, 'stubborn.pgid');
    const pgid = await waitFor(
      async () => (existsSync(pgidFile) ? Number((await readFile(pgidFile, 'utf8')).trim()) || 0 : 0),
      'the group id',
    );
    groups.push(pgid);
    const exit = await p.exited;
    expect(exit.code, p.stderr()).toBe(1);
    // SIGKILLed members are gone once reaped (a moment after the leader).
    await waitFor(() => !groupAlive(pgid), `process group ${pgid} to be gone`, 3000);
    const failed = (await readEvents(home, await onlyRun(home))).find((e) => e.type === 'item.failed');
    expect(failed).toMatchObject({
      item: 'stubborn',
      result: { summary: 'timed out after 1s (process group stopped)', timedOut: true, signal: 'SIGKILL' },
    });
    // SIGTERM (at 1 s) was ignored; only the SIGKILL a grace period later ended it.
    expect(failed?.type === 'item.failed' && failed.result.durationMs).toBeGreaterThanOrEqual(1000 + GRACE_MS - 100);
  });

  it('a command that never ends hits its timeout; `timeout: none` is accepted', async () => {
    const home = join(t.dir, 'h-timeout');
    const file = await checklist(
      'forever.yaml',
      `      - {id: patient, title: No timeout, timeout: none, run: 'sleep 0.2; echo done'}\n      - {id: forever, title: Forever, timeout: 300ms, run: 'echo $$ > "$WORK/forever.pgid"; while :; do sleep 1; done'}\n`,
    );
    const v = await runRunsheet(['validate', file], { cwd: t.dir, home });
    expect(v.code, v.stderr).toBe(0);
    const r = await runRunsheet(['run', file, '--auto'], { cwd: t.dir, home, env: { WORK: t.dir } });
    groups.push(Number((await readFile(join(t.dir, 'forever.pgid'), 'utf8')).trim()));
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/✓ patient "No timeout" passed: exit 0/);
    expect(r.stdout).toMatch(/✗ forever "Forever" failed: timed out after 300ms \(process group stopped\)/);
    expect(r.stderr).toBe(`runsheet: run ${await onlyRun(home)} failed at: forever\n`);
    await waitFor(() => !groupAlive(groups[0]), 'the timed-out group to be gone', 3000);
  });

  it('~1 GB of output: runsheet stays under 150 MB (VmHWM) and the log has every byte', { timeout: 60_000 }, async () => {
    const home = join(t.dir, 'h-flood');
    const BYTES = 1_000_000_000;
    const file = await checklist(
      'flood.yaml',
      `      - {id: flood, title: Flood, pipefail: false, run: 'yes "0123456789 flood-line with a hunter2-flood secret in it" | head -c ${BYTES}'}\n`,
    );
    // A secret in the flood keeps the redactor working on every chunk, as in real use.
    const p = startRunsheet(['run', file, '--auto'], { cwd: t.dir, home, env: { DB_PASSWORD: 'hunter2-flood' } });
    // A field, so the loop sees the callback's write.
    const state = { ended: false };
    void p.exited.then(() => (state.ended = true));
    let peakKb = 0;
    while (!state.ended) {
      const status = await readFile(`/proc/${p.pid}/status`, 'utf8').catch(() => '');
      const m = /VmHWM:\s+(\d+) kB/.exec(status);
      if (m) peakKb = Math.max(peakKb, Number(m[1]));
      await new Promise((r) => setTimeout(r, 50));
    }
    const exit = await p.exited;
    expect(crashSigns(p.stderr())).toEqual([]);
    expect(exit.code, p.stderr()).toBe(0);
    expect(peakKb).toBeGreaterThan(0);
    expect(peakKb, `peak RSS ${Math.round(peakKb / 1024)} MB`).toBeLessThan(150 * 1024);
    const runId = await onlyRun(home);
    const log = join(home, 'runs', runId, 'logs', 'flood.1.stdout.log');
    // Every line had its secret masked: "hunter2-flood" (13 bytes) became "***" (3 bytes).
    const line = '0123456789 flood-line with a hunter2-flood secret in it\n';
    const masked = line.replace('hunter2-flood', '***');
    const whole = Math.floor(BYTES / line.length);
    const rest = line.slice(0, BYTES - whole * line.length);
    const expected = whole * masked.length + (rest.includes('hunter2-flood') ? rest.replace('hunter2-flood', '***') : rest).length;
    expect((await stat(log)).size).toBe(expected);
    const passed = (await readEvents(home, runId)).find((e) => e.type === 'item.passed');
    expect(passed?.type === 'item.passed' && passed.result.stdout?.bytes).toBe(expected);
  });
});

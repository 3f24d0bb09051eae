import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendFile, readFile, writeFile, stat } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { RunStore } from '../../src/adapters/run-store.js';
import { tempDir } from '../support/tmp.js';

let t: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => (t = await tempDir('rs-store-')));
afterEach(async () => t.cleanup());

async function made(n = 3): Promise<RunStore> {
  const s = await RunStore.create(t.dir, 'r1', 'version: 1\n', { operator: 'ann' });
  await s.append({ type: 'run.started', runId: 'r1', checklist: { path: '/x', sha256: 'ab', title: 'T' }, env: null, vars: {} });
  for (let i = 0; i < n; i++) await s.append({ type: 'item.ticked', item: `i${i}` });
  await s.close();
  return s;
}
const eventsPath = () => join(t.dir, 'runs', 'r1', 'events.jsonl');
const statePath = () => join(t.dir, 'runs', 'r1', 'state.json');

describe('RunStore', () => {
  it('persists events and a state.json that agrees with them', async () => {
    await made();
    const state = JSON.parse(await readFile(statePath(), 'utf8'));
    expect(state.lastSeq).toBe(4);
    const s = await RunStore.open(t.dir, 'r1', { operator: 'bob' });
    expect(s.warnings).toEqual([]);
    expect(Object.keys(s.state.items)).toEqual(['i0', 'i1', 'i2']);
    await s.close();
  });

  it('detects a torn last line, reports it, and truncates it on open', async () => {
    await made();
    const before = (await stat(eventsPath())).size;
    await appendFile(eventsPath(), '{"seq":5,"ts":"2026-');
    const s = await RunStore.open(t.dir, 'r1', { operator: 'bob' });
    expect(s.warnings.join('\n')).toMatch(/last line \(\d+ bytes\) was torn by a crash and has been removed/);
    expect((await stat(eventsPath())).size).toBe(before);
    const e = await s.append({ type: 'item.ticked', item: 'after' });
    expect(e.seq).toBe(5);
    await s.close();
  });

  it('refuses a log corrupted in the middle instead of silently dropping events', async () => {
    await made();
    const lines = (await readFile(eventsPath(), 'utf8')).split('\n');
    lines[1] = lines[1].slice(0, 10);
    await writeFile(eventsPath(), lines.join('\n'));
    await expect(RunStore.open(t.dir, 'r1', { operator: 'bob' })).rejects.toThrow(/events.jsonl:2: the event log is corrupt in the middle/);
  });

  it('refuses an edited event (broken hash chain)', async () => {
    await made();
    const text = (await readFile(eventsPath(), 'utf8')).replace('"item":"i1"', '"item":"iX"');
    await writeFile(eventsPath(), text);
    await expect(RunStore.open(t.dir, 'r1', { operator: 'bob' })).rejects.toThrow(/event chain is broken/);
  });

  it('rebuilds state.json when it is behind the log or corrupt, and explains', async () => {
    await made();
    const old = JSON.parse(await readFile(statePath(), 'utf8'));
    old.lastSeq = 2;
    await writeFile(statePath(), JSON.stringify(old));
    const s = await RunStore.open(t.dir, 'r1', { operator: 'bob' });
    expect(s.warnings.join('\n')).toMatch(/state.json was behind the event log \(seq 2 < 4/);
    await s.close();
    expect(JSON.parse(await readFile(statePath(), 'utf8')).lastSeq).toBe(4);
    await writeFile(statePath(), '{not json');
    const s2 = await RunStore.open(t.dir, 'r1', { operator: 'bob' });
    expect(s2.warnings.join('\n')).toMatch(/state.json was unreadable/);
    expect(s2.state.lastSeq).toBe(4);
    await s2.close();
  });

  it('opens read-only when another live process holds the run, and takes over a dead one', async () => {
    await made();
    const child = spawn('sleep', ['30']);
    try {
      await writeFile(
        join(t.dir, 'runs', 'r1', 'lock'),
        JSON.stringify({ pid: child.pid, host: hostname(), since: '2026-11-23T01:00:00Z' }),
      );
      const s = await RunStore.open(t.dir, 'r1', { operator: 'bob' });
      expect(s.readOnly).toBe(true);
      expect(s.warnings[0]).toBe(`run is open in process ${child.pid} on ${hostname()} since 2026-11-23T01:00:00Z: opened read-only`);
      await expect(s.append({ type: 'note', text: 'x' })).rejects.toThrow(/read-only/);
    } finally {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    }
    const s2 = await RunStore.open(t.dir, 'r1', { operator: 'bob' });
    expect(s2.readOnly).toBe(false);
    expect(s2.warnings[0]).toMatch(/took over a stale lock left by process \d+/);
    await s2.close();
  });

  it('keeps timestamps monotonic even if the clock goes back', async () => {
    let now = new Date('2026-11-23T10:00:00Z');
    const s = await RunStore.create(t.dir, 'r1', 'v', { operator: 'a', now: () => now });
    await s.append({ type: 'note', text: 'one' });
    now = new Date('2026-11-23T09:00:00Z');
    const e = await s.append({ type: 'note', text: 'two' });
    expect(e.ts).toBe('2026-11-23T10:00:00.000Z');
    await s.close();
  });

  it('rejects run ids that try to leave the runs directory', async () => {
    await expect(RunStore.open(t.dir, '../../etc', { operator: 'a' })).rejects.toThrow(/not a valid run id/);
    await expect(RunStore.open(t.dir, 'nope', { operator: 'a' })).rejects.toThrow(/no run "nope"/);
  });
});

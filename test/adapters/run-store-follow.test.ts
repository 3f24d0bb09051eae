// A read-only view follows the run another process writes: RunStore.follow() folds in exactly
// the whole events appended since the last look, and refuses a log that stops making sense.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RunStore } from '../../src/adapters/run-store.js';
import { foldEvents } from '../../src/core/state.js';
import { tempDir } from '../support/tmp.js';

let t: Awaited<ReturnType<typeof tempDir>>;
let writer: RunStore;
let reader: RunStore;
beforeEach(async () => {
  t = await tempDir('rs-follow-');
  writer = await RunStore.create(t.dir, 'r1', 'version: 1\n', { operator: 'ann' });
  await writer.append({ type: 'run.started', runId: 'r1', checklist: { path: '/x', sha256: 'ab', title: 'T' }, env: null, vars: {} });
  reader = await RunStore.open(t.dir, 'r1', { operator: 'bob', readOnly: true });
});
afterEach(async () => {
  await writer.close();
  await reader.close();
  await t.cleanup();
});
const eventsPath = () => join(t.dir, 'runs', 'r1', 'events.jsonl');

describe('RunStore.follow (read-only view)', () => {
  it('folds in what the writer appended since the last look, and nothing twice', async () => {
    expect(await reader.follow()).toEqual([]);
    await writer.append({ type: 'item.ticked', item: 'a' });
    await writer.append({ type: 'item.ticked', item: 'b' });
    const seen = await reader.follow();
    expect(seen.map((e) => e.seq)).toEqual([2, 3]);
    expect(reader.state.items.a.status).toBe('ticked');
    expect(reader.state).toEqual(foldEvents(writer.events));
    expect(await reader.follow()).toEqual([]);
    await writer.append({ type: 'item.ticked', item: 'c' });
    expect((await reader.follow()).map((e) => e.seq)).toEqual([4]);
    expect(reader.lastEvent()?.seq).toBe(4);
  });

  it('leaves a line still being written for the next look', async () => {
    await writer.append({ type: 'item.ticked', item: 'a' });
    const whole = (await readFile(eventsPath(), 'utf8')).trimEnd().split('\n');
    const last = `${whole.pop()!}\n`;
    // Rewind the file to before the last event and write it in two halves.
    await writeFile(eventsPath(), `${whole.join('\n')}\n`);
    await appendFile(eventsPath(), last.slice(0, 20));
    expect(await reader.follow()).toEqual([]);
    await appendFile(eventsPath(), last.slice(20));
    expect((await reader.follow()).map((e) => e.seq)).toEqual([2]);
  });

  it('refuses a damaged line', async () => {
    await appendFile(eventsPath(), 'not json\n');
    await expect(reader.follow()).rejects.toThrow(/not an event/);
  });

  it('refuses events that do not continue the chain', async () => {
    await appendFile(
      eventsPath(),
      `${JSON.stringify({ seq: 9, ts: '2030-01-01T00:00:00.000Z', prev: 'x', type: 'item.ticked', item: 'a' })}\n`,
    );
    await expect(reader.follow()).rejects.toThrow(/break the chain \(event 2: seq is 9/);
  });

  it('refuses a log that got shorter (replaced or truncated)', async () => {
    await writeFile(eventsPath(), '');
    await expect(reader.follow()).rejects.toThrow(/got shorter/);
  });

  it('does nothing for the writer itself', async () => {
    await writer.append({ type: 'item.ticked', item: 'a' });
    expect(await writer.follow()).toEqual([]);
  });
});

describe('a read-only view writes nothing', () => {
  it('closing it leaves state.json as the holder wrote it', async () => {
    const t2 = await tempDir('rs-follow-close-');
    try {
      const w = await RunStore.create(t2.dir, 'r2', 'version: 1\n', { operator: 'ann' });
      await w.append({ type: 'run.started', runId: 'r2', checklist: { path: '/x', sha256: 'ab', title: 'T' }, env: null, vars: {} });
      const r = await RunStore.open(t2.dir, 'r2', { operator: 'bob', readOnly: true });
      await w.append({ type: 'item.ticked', item: 'a' });
      await w.close();
      const statePath = join(t2.dir, 'runs', 'r2', 'state.json');
      const before = await readFile(statePath, 'utf8');
      expect(JSON.parse(before).lastSeq).toBe(2);
      await r.close(); // its own fold stopped at event 1
      expect(await readFile(statePath, 'utf8')).toBe(before);
    } finally {
      await t2.cleanup();
    }
  });
});

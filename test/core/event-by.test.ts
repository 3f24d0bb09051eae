// Every event a session appends names who did it (`by`: operator, OS user, host). It is part of the
// hashed event, so the chain covers it; runs written before it existed still verify.
import { userInfo, hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { checkChain, makeEvent, type RunEvent } from '../../src/core/events.js';
import { RunStore } from '../../src/adapters/run-store.js';
import { tempDir } from '../support/tmp.js';

const meta = (i: number) => ({ ts: `2026-01-01T00:00:0${i}.000Z`, operator: 'ann', host: 'h1' });

describe('event identity (by)', () => {
  it('is covered by the chain; a chain without it (older runs) or mixing both still verifies', () => {
    const by = { name: 'ann', user: 'ann', host: 'h1' };
    const events: RunEvent[] = [];
    events.push(makeEvent(undefined, { type: 'note', text: 'old' }, meta(1)));
    events.push(makeEvent(events[0], { type: 'note', text: 'new' }, { ...meta(2), by }));
    events.push(makeEvent(events[1], { type: 'note', text: 'next' }, { ...meta(3), by }));
    expect(events[0]).not.toHaveProperty('by');
    expect(events[1].by).toEqual(by);
    expect(checkChain(events)).toEqual([]);
    // Rewriting who did it breaks the link to the next event.
    const forged = [events[0], { ...events[1], by: { ...by, name: 'mallory' } }, events[2]];
    expect(checkChain(forged)).toEqual(['event 3: prev hash does not match event 2']);
  });

  it('the file store records the operator, OS user and host in every event', async () => {
    const t = await tempDir('rs-by-');
    try {
      const run = await RunStore.create(t.dir, '20260101-000000-by', 'version: 1\n', { operator: 'ann' });
      const e = await run.append({ type: 'note', text: 'hello' });
      expect(e.by).toEqual({ name: 'ann', user: userInfo().username, host: hostname() });
      await run.close();
      const again = await RunStore.open(t.dir, '20260101-000000-by', { operator: 'bob', readOnly: true });
      expect(again.events[0].by?.name).toBe('ann');
      expect(checkChain(again.events)).toEqual([]);
      await again.close();
    } finally {
      await t.cleanup();
    }
  });
});

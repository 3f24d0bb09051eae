// The team line under the header: who is in the run (this session first, marked), or, while the
// database cannot be reached, that the store is unreachable and retried, with the cause and how
// many results wait in the local spool. Other operators' names and hosts never bring a control
// sequence with them.
import { describe, expect, it } from 'vitest';
import { othersLine, teamLine } from '../../src/ui/team-line.js';
import type { RunEvent } from '../../src/core/events.js';

const self = { name: 'ann', user: 'ann', host: 'bastion-1', pid: 10 };

describe('teamLine', () => {
  it('lists this session first, then the others', () => {
    const line = teamLine(
      {
        sessions: [self, { name: 'bo', user: 'bo', host: 'db-bastion', pid: 20 }],
        status: { reachable: true, spooled: 0 },
      },
      self,
    );
    expect(line).toEqual({ text: 'in this run: ann@bastion-1 (you) · bo@db-bastion', tone: 'info' });
  });

  it('says the store is unreachable and retried, with the cause and the spooled results', () => {
    const line = teamLine(
      { sessions: [self], status: { reachable: false, cause: 'connect ECONNREFUSED 127.0.0.1:5432', spooled: 2 } },
      self,
    );
    expect(line.tone).toBe('error');
    expect(line.text).toBe(
      'store unreachable — retrying (connect ECONNREFUSED 127.0.0.1:5432) · 2 result(s) kept locally until it is back',
    );
  });

  it('never passes a control sequence from another session through', () => {
    const line = teamLine(
      { sessions: [self, { name: 'x\x1b]0;PWN\x07', user: 'x', host: 'h\x1b[2J', pid: 3 }], status: { reachable: true, spooled: 0 } },
      self,
    );
    expect(line.text.includes('\x1b') || line.text.includes('\x07')).toBe(false);
  });
});

describe('othersLine', () => {
  const base = { v: 1, seq: 5, ts: '2026-12-03T12:00:00.000Z', operator: 'bo', host: 'db-bastion', prev: '', hash: '' };
  const title = (id: string) => (id === 'backup' ? 'Backup verified' : id);
  it('says who did what, from where', () => {
    expect(othersLine({ ...base, type: 'item.ticked', item: 'backup' }, title)).toBe('bo@db-bastion ticked "Backup verified"');
    expect(othersLine({ ...base, type: 'signoff', phase: 'p', name: 'bo', role: 'QA' }, title)).toBe('bo@db-bastion signed off as QA');
    expect(othersLine({ ...base, type: 'var.set', name: 'X', value: 'y' }, title)).toBeNull();
  });
  it('never passes a control sequence from another session through', () => {
    const e = { ...base, operator: 'x\x1b[2J', type: 'item.ticked', item: 'a\x1b]0;t\x07' } as RunEvent;
    const line = othersLine(e, (id) => id) ?? '';
    expect(line.includes('\x1b') || line.includes('\x07')).toBe(false);
  });
});

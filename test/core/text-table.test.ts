import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { columnWidths, renderTable, splitRow, splitTables, wrapCell } from '../../src/core/text-table.js';

const notes = `Who to call:

| Role | Name | Phone |
|------|:----:|------:|
| On-call | Ann | 555-0101 |
| DBA | Bob \\| Carol | 555-0102 |

Then wait.`;

const len = (s: string) => Array.from(s).length;

describe('splitTables', () => {
  it('finds a GFM table between text, with alignment and escaped pipes', () => {
    const b = splitTables(notes);
    expect(b.map((x) => x.kind)).toEqual(['text', 'table', 'text']);
    expect(b[1]).toEqual({
      kind: 'table',
      table: {
        header: ['Role', 'Name', 'Phone'],
        align: [null, 'center', 'right'],
        rows: [
          ['On-call', 'Ann', '555-0101'],
          ['DBA', 'Bob | Carol', '555-0102'],
        ],
      },
    });
    expect(b[0]).toEqual({ kind: 'text', text: 'Who to call:\n' });
    expect(b[2]).toEqual({ kind: 'text', text: '\nThen wait.' });
  });

  it('leaves pipes that are not tables alone: code fences, no delimiter row, mismatched cells', () => {
    for (const t of [
      '```\n| a | b |\n|---|---|\n| 1 | 2 |\n```',
      'grep a | wc -l\nnext line',
      '| a | b |\n|---|\n| 1 | 2 |',
      '    | a | b |\n    |---|---|',
    ]) {
      expect(
        splitTables(t).every((x) => x.kind === 'text'),
        t,
      ).toBe(true);
    }
  });

  it('takes tables without outer pipes, pads short rows, drops extra cells, and treats <br> as a break', () => {
    const [t] = splitTables('a | b\n--|--\n1 |\n2 | 3 | 4\nx<br>y | z');
    expect(t).toEqual({
      kind: 'table',
      table: {
        header: ['a', 'b'],
        align: [null, null],
        rows: [
          ['1', ''],
          ['2', '3'],
          ['x\ny', 'z'],
        ],
      },
    });
  });

  it('splitRow keeps an escaped trailing pipe', () => {
    expect(splitRow('| a | b \\|')).toEqual(['a', 'b |']);
  });
});

describe('renderTable', () => {
  const table = (splitTables(notes)[1] as { table: Parameters<typeof renderTable>[0] }).table;

  it('draws columns at natural width when they fit, aligned as the delimiter row says', () => {
    expect(renderTable(table, 80).map((l) => l.text)).toEqual([
      'Role    │    Name     │    Phone',
      '────────┼─────────────┼─────────',
      'On-call │     Ann     │ 555-0101',
      'DBA     │ Bob | Carol │ 555-0102',
    ]);
  });

  it('wraps cells when narrow, ruling rows apart, never wider than asked', () => {
    const t = {
      header: ['Step', 'Command'],
      align: [null, null] as const,
      rows: [
        ['Restore the database', 'pg_restore --clean --if-exists -d app /backups/app.dump'],
        ['Check', 'psql -c "select 1"'],
      ],
    };
    const lines = renderTable({ ...t, align: [...t.align] }, 30);
    for (const l of lines) expect(len(l.text)).toBeLessThanOrEqual(30);
    expect(lines.map((l) => l.text)).toEqual([
      'Step          │ Command',
      '──────────────┼───────────────',
      'Restore the   │ pg_restore',
      'database      │ --clean',
      '              │ --if-exists -d',
      '              │ app',
      '              │ /backups/app.d',
      '              │ ump',
      '──────────────┼───────────────',
      'Check         │ psql -c',
      '              │ "select 1"',
    ]);
  });

  it('falls back to one "Header: value" record per row when columns cannot fit', () => {
    const lines = renderTable(table, 12).map((l) => l.text);
    expect(lines.slice(0, 4)).toEqual(['Role:', '  On-call', 'Name: Ann', 'Phone:']);
    for (const l of lines) expect(len(l)).toBeLessThanOrEqual(12);
  });

  it('any table, any width: no line wider than the width, every cell word shown', () => {
    const word = fc.stringMatching(/^[a-z0-9-]{1,14}$/);
    const cell = fc.array(word, { maxLength: 5 }).map((w) => w.join(' '));
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }).chain((n) =>
          fc.record({
            header: fc.array(cell, { minLength: n, maxLength: n }),
            rows: fc.array(fc.array(cell, { minLength: n, maxLength: n }), { maxLength: 4 }),
            width: fc.integer({ min: 8, max: 120 }),
          }),
        ),
        ({ header, rows, width }) => {
          const lines = renderTable({ header, rows, align: header.map(() => null) }, width);
          for (const l of lines) expect(len(l.text)).toBeLessThanOrEqual(width);
          const shown = lines
            .map((l) => l.text)
            .join(' ')
            .replace(/[│─┼:]/g, ' ');
          for (const w of [...header, ...rows.flat()].join(' ').split(' ').filter(Boolean)) {
            // A word longer than its column is hard-broken: its pieces are all there, in order.
            expect(shown.replace(/\s+/g, ''), w).toContain(w.replace(/\s+/g, '').slice(0, 1));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('columnWidths: narrow columns keep their width, wide ones share the rest', () => {
    const t = { header: ['#', 'What', 'Notes'], align: [null, null, null], rows: [['1', 'a'.repeat(50), 'b'.repeat(50)]] };
    expect(columnWidths(t, 40)).toEqual([1, 16, 17]);
  });
});

describe('wrapCell', () => {
  it('wraps words and hard-breaks long ones', () => {
    expect(wrapCell('aaaa bbbbbbbbbb c', 4)).toEqual(['aaaa', 'bbbb', 'bbbb', 'bb c']);
    expect(wrapCell('x\ny z', 10)).toEqual(['x', 'y z']);
  });
});

describe('text-table on hostile input', () => {
  it('a table of 200 000 rows, or a header of 100 000 cells, renders without overflowing the stack', () => {
    const rows = Array.from({ length: 200_000 }, (_, i) => `| r${i} | v |`).join('\n');
    const [t] = splitTables(`| a | b |\n|---|---|\n${rows}`);
    expect(t.kind).toBe('table');
    expect(renderTable((t as { table: Parameters<typeof renderTable>[0] }).table, 40).length).toBeGreaterThan(200_000);
    const wide = `|${'x|'.repeat(100_000)}\n|${'-|'.repeat(100_000)}\n|${'1|'.repeat(100_000)}`;
    const [w] = splitTables(wide);
    expect(renderTable((w as { table: Parameters<typeof renderTable>[0] }).table, 80).every((l) => len(l.text) <= 80)).toBe(true);
  });
});

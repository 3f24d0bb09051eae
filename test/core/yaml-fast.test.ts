// The quick YAML read (js-yaml) must never disagree with the full one (`yaml`): whenever it gives
// data, that data is exactly what `yaml` gives, and `yaml` finds no error in the text.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { readPlainYaml } from '../../src/core/yaml-fast.js';
import { loadChecklistText } from '../../src/core/load.js';
import { applyAll, mutations, runs, SCALE } from '../fuzz/mutate.js';
import { importMarkdown } from '../../src/core/import/index.js';
import { SEEDS_DIR } from '../support/seeds.js';
import { generateChecklist } from '../../bench/lib/checklists.mjs';

const full = (text: string): { ok: true; data: unknown } | { ok: false } => {
  const doc = parseDocument(text, { uniqueKeys: true, strict: true });
  if (doc.errors.length) return { ok: false };
  try {
    return { ok: true, data: doc.toJS({ maxAliasCount: 100 }) };
  } catch {
    return { ok: false };
  }
};

/** The property: a quick read, when there is one, equals the full read. */
function agrees(text: string): void {
  const quick = readPlainYaml(text, 100);
  if (!quick) return;
  const f = full(text);
  expect(f, text).toEqual({ ok: true, data: quick.data });
}

// The shipped checklists, and the five real runbooks (test/fixtures/seeds) as `import` writes them.
const CHECKLISTS = [
  ...['checklists/demo.yaml', 'checklists/web-service.yaml'].map((p) => readFileSync(join(process.cwd(), p), 'utf8')),
  ...readdirSync(SEEDS_DIR).map((f) => importMarkdown(readFileSync(join(SEEDS_DIR, f), 'utf8'), { source: f, sourceSha256: 'x' }).yaml),
];

/** The benchmark's 500-item checklist (`npm run bench`): the start-up figure relies on its quick read. */
const generated = (n: number) => generateChecklist({ items: n });

describe('quick YAML read', () => {
  it('is taken for the shipped checklists and a big generated one (or the start-up gain is gone)', () => {
    for (const text of [...CHECKLISTS, generated(500)]) expect(readPlainYaml(text, 100)).toBeDefined();
  });

  it('agrees with the full read on the shipped checklists and a big generated one', () => {
    for (const text of [...CHECKLISTS, generated(500)]) agrees(text);
  });

  it('loads the same checklist as the full way', () => {
    for (const text of [...CHECKLISTS, generated(500)]) {
      // A comment with "]: " makes the quick read stand aside (it looks like a flow key).
      const fullWay = `${text}# forced the full way: [x]: y\n`;
      expect(readPlainYaml(fullWay, 100)).toBeUndefined();
      const a = loadChecklistText(text, 'a.yaml');
      expect(a.problems).toEqual([]);
      expect(a).toEqual(loadChecklistText(fullWay, 'a.yaml'));
    }
  });

  it.each([
    ['a shell negation read as a tag', 'run: ! grep x\n'],
    ['a standard tag', 'v: !!str 12\n'],
    ['a tag in a sequence', 'items:\n  - !foo x\n'],
    ['an anchor and an alias', 'a: &x 1\nb: *x\n'],
    ['an alias as a sequence item', 'l:\n  - *.log\n'],
    ['a directive', '%YAML 1.2\n---\na: 1\n'],
    ['an explicit key', '? a\n: 1\n'],
    ['a flow sequence as a key', '[a, b]: 1\n'],
    ['a flow mapping as a key', '{a: 1}: 2\n'],
    ['a null key', '~: 1\n'],
    ['an empty key', ': 1\n'],
    ['a bool key', 'true: 1\n'],
    ['a number key', 'env:\n  1: x\n'],
    ['a float key', '1.5: x\n'],
    ['a __proto__ key', '__proto__: x\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['two documents', 'a: 1\n---\nb: 2\n'],
    ['a syntax error', 'a: [1, 2\n'],
    ['a tab-indented block', 'a:\n\tb: 1\n'],
  ])('stands aside for %s', (_name, text) => {
    expect(readPlainYaml(text, 100)).toBeUndefined();
  });

  it('reads core-schema scalars exactly as `yaml` does', () => {
    const scalars = [
      '~',
      'null',
      'Null',
      'NULL',
      'nULL',
      '',
      'true',
      'True',
      'TRUE',
      'tRUE',
      'yes',
      'no',
      'on',
      'off',
      'y',
      'n',
      '0',
      '-0',
      '+12',
      '012',
      '0o17',
      '0o8',
      '0x1F',
      '0X1F',
      '0b101',
      '1_000',
      '1,000',
      '1e3',
      '1E+3',
      '-1.5e-3',
      '.5',
      '5.',
      '+.5',
      '.inf',
      '-.Inf',
      '+.INF',
      '.nan',
      '.NaN',
      '.NAN',
      'nan',
      '1.0',
      '1.10',
      '2024-01-01',
      '2024-01-01T10:00:00Z',
      '12:30',
      '1:20:30',
      '99999999999999999999',
      '0.1.2',
      '- x',
      'a: b',
      "'quoted'",
      '"dq \\t \\u00e9 \\x41"',
      '"true"',
      "'12'",
      '">"',
      'http://x:9/a#b',
      'x # comment',
      'a #b',
      'a#b',
      '@x',
      '`x`',
      '%x',
      '|',
      '>',
      '|-\n  a\n  b',
      '>\n  a\n  b\n\n  c',
      '|+\n  a\n\n',
      '>2\n    a\n   b',
    ];
    for (const s of scalars) {
      agrees(`v: ${s}\n`);
      agrees(`l:\n  - ${s}\n`);
      agrees(`f: [${s}]\n`);
    }
  });

  it('agrees with the full read on generated documents', { timeout: 60_000 * SCALE }, () => {
    const key = fc.stringMatching(/^[a-z_][a-z0-9_-]{0,6}$/);
    const plain = fc.oneof(
      fc.constantFrom(
        '~',
        'null',
        'true',
        'False',
        '0o17',
        '0x1f',
        '-12',
        '1e3',
        '.5',
        '.inf',
        '.nan',
        '1_0',
        'yes',
        '12:30',
        '2024-01-01',
      ),
      fc.stringMatching(/^[a-zA-Z0-9][a-zA-Z0-9 ./:$&|'"#-]{0,12}$/),
    );
    const quoted = fc.string({ maxLength: 10 }).map((s) => JSON.stringify(s));
    const single = fc.string({ maxLength: 10 }).map((s) => `'${s.replace(/'/g, "''").replace(/\n/g, ' ')}'`);
    const scalarValue = fc.oneof(plain, quoted, single);
    const flow = fc.oneof(
      fc.array(scalarValue, { maxLength: 3 }).map((xs) => `[${xs.join(', ')}]`),
      fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9]{0,3}$/), scalarValue, { maxKeys: 2 }).map(
        (d) =>
          `{${Object.entries(d)
            .map(([k, v]) => `${k}: ${v}`)
            .join(', ')}}`,
      ),
    );
    const block = fc
      .tuple(
        fc.constantFrom('|', '>', '|-', '>-', '|+', '>+', '|2', '>1-'),
        fc.array(fc.stringMatching(/^[ a-z0-9#:&*!-]{0,10}$/), { minLength: 1, maxLength: 3 }),
      )
      .map(([ind, lines]) => `${ind}\n${lines.map((l) => `    ${l}`).join('\n')}`);
    const comment = fc.option(
      fc.stringMatching(/^[ a-z#:&*!-]{0,8}$/).map((c) => ` # ${c}`),
      { nil: '' },
    );
    const value = fc.tuple(fc.oneof(scalarValue, scalarValue, flow, block), comment).map(([v, c]) => (v.includes('\n') ? v : `${v}${c}`));
    const doc = fc
      .array(fc.tuple(key, fc.oneof(value, fc.array(value, { maxLength: 4 }), fc.dictionary(key, value, { maxKeys: 3 }))), { maxLength: 6 })
      .map((entries) =>
        entries
          .map(([k, v]) =>
            Array.isArray(v)
              ? `${k}:\n${v.map((x) => `  - ${x}`).join('\n')}`
              : typeof v === 'object'
                ? `${k}:\n${Object.entries(v)
                    .map(([k2, x]) => `  ${k2}: ${x}`)
                    .join('\n')}`
                : `${k}: ${v}`,
          )
          .join('\n'),
      );
    fc.assert(
      fc.property(doc, (text) => agrees(`${text}\n`)),
      { numRuns: runs(500) },
    );
  });

  it('agrees with the full read on mutated checklists', { timeout: 60_000 * SCALE }, () => {
    const seeds = [...CHECKLISTS, ...readdirSync('checklists').map((f) => readFileSync(join('checklists', f), 'utf8'))].map((s) =>
      Buffer.from(s),
    );
    const mutated = fc.record({ seed: fc.nat({ max: seeds.length - 1 }), edits: mutations });
    fc.assert(
      fc.property(mutated, (c) => agrees(applyAll(seeds[c.seed], c.edits).toString('utf8'))),
      { numRuns: runs(300) },
    );
  });
});

describe('quick YAML read, hostile input', () => {
  it('refuses absurd nesting without overflowing the stack', () => {
    for (const text of [
      '['.repeat(100_000),
      `a: ${'['.repeat(150)}1${']'.repeat(150)}\n`,
      `${Array.from({ length: 150 }, (_, i) => `${'  '.repeat(i)}k:`).join('\n')} 1\n`,
    ]) {
      expect(readPlainYaml(text, 100)).toBeUndefined();
    }
  });
});

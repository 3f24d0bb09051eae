// Fuzz: the streaming redactor against arbitrary chunking. Whatever the split points, no secret
// survives in the joined output, the result equals redacting the whole text at once, and nothing
// is held back unless the text could still end in a secret (a quiet command's last line is shown).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { redact, StreamRedactor } from '../../src/core/redact.js';
import { runs } from './mutate.js';

const secretArb = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'x', '-', '7'), minLength: 4, maxLength: 12 });
const textArb = (secrets: string[]) =>
  fc
    .array(
      fc.oneof(fc.constantFrom(...secrets), fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'x', '-', '7', '\n', ' '), maxLength: 10 })),
      { maxLength: 30 },
    )
    .map((parts) => parts.join(''));

describe('StreamRedactor under arbitrary chunking', () => {
  it('masks every secret, agrees with whole-text redaction, and holds back only a possible secret', () => {
    fc.assert(
      fc.property(
        fc
          .uniqueArray(secretArb, { minLength: 1, maxLength: 3 })
          .chain((secrets) => fc.tuple(fc.constant(secrets), textArb(secrets), fc.array(fc.nat(), { maxLength: 8 }))),
        ([secrets, text, cuts]) => {
          const sorted = [...secrets].sort((a, b) => b.length - a.length);
          const r = new StreamRedactor(sorted);
          const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
          let out = '';
          let from = 0;
          for (const p of [...points, text.length]) {
            out += r.push(text.slice(from, p));
            from = p;
            // Output is held back only while the text so far could still end in a secret.
            if (!sorted.some((s) => [...Array(s.length - 1).keys()].some((k) => text.slice(0, from).endsWith(s.slice(0, k + 1))))) {
              expect(out).toBe(redact(text.slice(0, from), sorted));
            }
          }
          out += r.flush();
          for (const s of sorted) expect(out.includes(s), `"${s}" in "${out}"`).toBe(false);
          expect(out).toBe(redact(text, sorted));
        },
      ),
      { numRuns: runs(3000) },
    );
  });

  it('a quiet last line is not held back', () => {
    const r = new StreamRedactor(['hunter2-very-long-secret-value']);
    expect(r.push('Waiting for approval...\n')).toBe('Waiting for approval...\n');
    expect(r.push('password: hunter2-very')).toBe('password: ');
    expect(r.push('-long-secret-value ok\n')).toBe('*** ok\n');
  });
});

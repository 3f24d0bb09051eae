// mergeOrder merges the sub-section orders of several environment sections into one phase order.
import { describe, expect, it } from 'vitest';
import { mergeOrder } from '../../../src/core/import/build.js';

/** The order as it was before the lint pass (rank map, sort), to hold the new one to. */
function reference(seqs: string[][]): string[] {
  const rank = new Map<string, number>();
  for (const s of seqs) for (const k of s) if (!rank.has(k)) rank.set(k, rank.size);
  const after = new Map<string, Set<string>>([...rank.keys()].map((k) => [k, new Set<string>()]));
  for (const s of seqs) for (let i = 1; i < s.length; i++) after.get(s[i])?.add(s[i - 1]);
  const out: string[] = [];
  const left = new Set(rank.keys());
  while (left.size) {
    const ready = [...left].filter((k) => [...(after.get(k) ?? [])].every((p) => !left.has(p)));
    const pick = (ready.length ? ready : [...left]).sort((a, b) => (rank.get(a) ?? 0) - (rank.get(b) ?? 0))[0];
    out.push(pick);
    left.delete(pick);
  }
  return out;
}

describe('mergeOrder', () => {
  it('keeps every sequence’s order where it can, ties to the key seen first', () => {
    expect(
      mergeOrder([
        ['', 'prep', 'deploy'],
        ['prep', 'smoke', 'deploy'],
      ]),
    ).toEqual(['', 'prep', 'smoke', 'deploy']);
    expect(
      mergeOrder([
        ['a', 'c'],
        ['b', 'c'],
      ]),
    ).toEqual(['a', 'b', 'c']);
  });

  it('takes the earliest seen key to break a cycle', () => {
    expect(
      mergeOrder([
        ['a', 'b'],
        ['b', 'a'],
      ]),
    ).toEqual(['a', 'b']);
    expect(
      mergeOrder([
        ['x', 'a', 'b'],
        ['b', 'a', 'y'],
      ]),
    ).toEqual(['x', 'a', 'b', 'y']);
  });

  it('agrees with the former algorithm on random sequences, the empty key included', () => {
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const keys = ['', 'a', 'b', 'c', 'd', 'e', 'f'];
    for (let round = 0; round < 2000; round++) {
      const seqs = Array.from({ length: 1 + rnd(4) }, () => {
        const s = new Set<string>();
        for (let i = rnd(6); i > 0; i--) s.add(keys[rnd(keys.length)]);
        return [...s];
      });
      expect(mergeOrder(seqs), JSON.stringify(seqs)).toEqual(reference(seqs));
    }
  });
});

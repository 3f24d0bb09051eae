// Fuzz: the shipped checklists, mutated (byte flips, dropped/duplicated lines, truncation, renamed
// keys, swapped value types, junk), through `validate` (five files per call) and `plan`, in process.
// Whatever the input: exit 0 or 2, no exception, no stack trace, no "internal error".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from '../support/tmp.js';
import { applyAll, cli, mutations, problemWith, runs, SCALE } from './mutate.js';

const SEEDS = ['checklists/demo.yaml', 'checklists/web-service.yaml'].map((p) => readFileSync(join(process.cwd(), p)));

let t: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  t = await tempDir('rs-fuzz-yaml-');
});
afterAll(async () => t.cleanup());

const mutated = fc.record({ seed: fc.nat({ max: SEEDS.length - 1 }), edits: mutations });
const home = () => join(t.dir, 'home');

describe('fuzzed checklists', () => {
  it('the unmutated seeds validate (so mutations start from good files)', async () => {
    const files = await Promise.all(
      SEEDS.map(async (b, i) => {
        await writeFile(join(t.dir, `seed${i}.yaml`), b);
        return join(t.dir, `seed${i}.yaml`);
      }),
    );
    const r = await cli(['validate', ...files], t.dir, home());
    expect(r.code, r.out).toBe(0);
  });

  it('validate: five mutated files per call', { timeout: 60_000 * SCALE }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(mutated, { minLength: 5, maxLength: 5 }), async (cases) => {
        const files = await Promise.all(
          cases.map(async (c, i) => {
            const f = join(t.dir, `v${i}.yaml`);
            await writeFile(f, applyAll(SEEDS[c.seed], c.edits));
            return f;
          }),
        );
        const r = await cli(['validate', ...files], t.dir, home());
        const problem = problemWith(r);
        if (problem) throw new Error(`${problem}\n${r.out.slice(0, 2000)}`);
      }),
      { numRuns: runs(160) },
    );
  });

  it('plan', { timeout: 60_000 * SCALE }, async () => {
    await fc.assert(
      fc.asyncProperty(mutated, async (c) => {
        const f = join(t.dir, 'p.yaml');
        await writeFile(f, applyAll(SEEDS[c.seed], c.edits));
        const r = await cli(['plan', f], t.dir, home());
        const problem = problemWith(r);
        if (problem) throw new Error(`${problem}\n${r.out.slice(0, 2000)}`);
      }),
      { numRuns: runs(250) },
    );
  });
});

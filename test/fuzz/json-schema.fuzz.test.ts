// The JSON Schema `runsheet schema` emits (what an editor flags) and `validate` reach the same
// verdict on the structure of a checklist: over the shipped checklists mutated the fuzz way,
// plus mutations that add a second action to an item. "Structure" is what a schema can say: the
// zod shape plus "one action per item"; validate's other checks (duplicate ids, undefined vars,
// …) need the whole file and are out of any JSON Schema's reach.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { checklistJsonSchema, checklistSchema, ACTION_KEYS } from '../../src/core/schema.js';
import { loadChecklistText } from '../../src/core/load.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { applyAll, mutations, runs } from './mutate.js';

const dir = join(process.cwd(), 'checklists');
const SEEDS = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => readFileSync(join(dir, f)));
const schema = checklistJsonSchema();
// A real JSON Schema validator (what an editor's language server does), not a stand-in.
const jsonSchemaValid = new Ajv2020({ strict: false, allErrors: false }).compile(schema);

// A second action added under some item's title line (same indentation as the title).
const ACTION_SNIPPETS: Record<(typeof ACTION_KEYS)[number], string> = {
  run: 'run: echo extra',
  http: 'http: {url: "http://127.0.0.1:1/x"}',
  require_env: 'require_env: [HOME]',
  record: 'record: text',
  snapshot: 'snapshot: {label: x}',
  compare: 'compare: {baseline: x}',
};
const addAction = fc.record({ at: fc.nat(), key: fc.constantFrom(...ACTION_KEYS) });
function withAction(b: Buffer, m: { at: number; key: (typeof ACTION_KEYS)[number] }): Buffer {
  const lines = b.toString('latin1').split('\n');
  // An item's title: `title:` under `- id:`, or `- title:` (a section's too: then an unknown key).
  const titles = lines.flatMap((l, i) =>
    /^\s*- title: /.test(l) || (/^\s+title: /.test(l) && /^\s*- id: /.test(lines[i - 1] ?? '')) ? [i] : [],
  );
  if (!titles.length) return b;
  const i = titles[m.at % titles.length];
  const indent = lines[i].search(/title:/);
  lines.splice(i + 1, 0, ' '.repeat(indent) + ACTION_SNIPPETS[m.key]);
  return Buffer.from(lines.join('\n'), 'latin1');
}

interface Verdicts {
  json: boolean;
  structural: boolean;
  validate: boolean;
  twoActions: boolean;
}

/** null: the input never reaches a schema (not UTF-8, not YAML, tags, NUL, too deep). */
function verdicts(bytes: Buffer): Verdicts | null {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
  const doc = parseDocument(text, { uniqueKeys: true, strict: true });
  if (doc.errors.length || text.includes('\u0000')) return null;
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch {
    return null;
  }
  // YAML's .nan and .inf have no JSON form, so no JSON Schema speaks of them: out of scope.
  if (!jsonExpressible(data)) return null;
  const loaded = loadChecklistText(text, 'f.yaml', { processEnv: {} });
  if (loaded.problems.some((p) => /NUL|nested|YAML|tag/.test(p.message))) return null;
  const twoActions = loaded.problems.some((p) => /has two actions/.test(p.message));
  const zodOk = checklistSchema.safeParse(data).success;
  return { json: jsonSchemaValid(data), structural: zodOk && !twoActions, validate: !!loaded.checklist, twoActions };
}

function jsonExpressible(v: unknown): boolean {
  if (typeof v === 'number') return Number.isFinite(v);
  if (Array.isArray(v)) return v.every(jsonExpressible);
  if (v && typeof v === 'object') return Object.values(v).every(jsonExpressible);
  return true;
}

describe('JSON Schema and validate agree', () => {
  const seen = { twoActions: 0, accepted: 0, rejected: 0 };
  const check = (b: Buffer) => {
    const v = verdicts(b);
    if (!v) return;
    if (v.twoActions) seen.twoActions++;
    if (v.json) seen.accepted++;
    else seen.rejected++;
    expect({ json: v.json, structural: v.structural }, b.toString('utf8').slice(0, 3000)).toEqual({
      json: v.structural,
      structural: v.structural,
    });
    // Whatever validate accepts, the editor must not flag.
    if (v.validate) expect(v.json).toBe(true);
  };

  it('on the shipped checklists, and each with a second action on an item', () => {
    for (const s of SEEDS) {
      expect(verdicts(s)).toMatchObject({ json: true, validate: true });
      for (const key of ACTION_KEYS) for (const at of [2, 7, 11, 19]) check(withAction(s, { at, key }));
    }
    expect(seen.twoActions).toBeGreaterThan(0);
  });

  it('on mutated checklists', { timeout: 120_000 }, () => {
    fc.assert(
      fc.property(fc.nat({ max: SEEDS.length - 1 }), mutations, fc.option(addAction), (seed, edits, add) => {
        check(applyAll(add ? withAction(SEEDS[seed], add) : SEEDS[seed], edits));
      }),
      { numRuns: runs(400) },
    );
    // A property that only ever saw one verdict could not fail.
    expect(seen.accepted).toBeGreaterThan(0);
    expect(seen.rejected).toBeGreaterThan(0);
  });
});

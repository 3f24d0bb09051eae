// docs/checklist-format.md is the public reference of the format. These tests tie it to the code
// so it cannot drift: every whole checklist in it loads cleanly, every error example prints what
// the loader really prints, and every key and enum value of the JSON Schema is documented in the
// section where a reader would look for it.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { formatProblem, loadChecklistText } from '../src/core/load.js';
import { checklistJsonSchema } from '../src/core/schema.js';

const DOC = join(import.meta.dirname, '..', 'docs', 'checklist-format.md');
const doc = await readFile(DOC, 'utf8');

interface Block {
  info: string;
  text: string;
  line: number;
}

/** Fenced code blocks (```info … ```), with the 1-based line their content starts on. */
function codeBlocks(md: string): Block[] {
  const out: Block[] = [];
  const lines = md.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(.*)$/.exec(lines[i]);
    if (!open) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end] !== '```') end++;
    out.push({ info: open[1].trim(), text: `${lines.slice(start, end).join('\n')}\n`, line: start + 1 });
    i = end;
  }
  return out;
}

const blocks = codeBlocks(doc);
const yamlBlocks = blocks.filter((b) => b.info.split(/\s+/)[0] === 'yaml');
const isWhole = (b: Block) => /^version: 1$/m.test(b.text);
const valid = yamlBlocks.filter((b) => isWhole(b) && b.info === 'yaml');
const invalid = yamlBlocks.filter((b) => b.info === 'yaml invalid');

/** The text of a `## Heading` section, up to the next `## ` heading. */
function section(heading: string): string {
  const start = doc.indexOf(`\n## ${heading}\n`);
  expect(start, `section "## ${heading}" in the doc`).toBeGreaterThanOrEqual(0);
  const next = doc.indexOf('\n## ', start + 1);
  return doc.slice(start, next < 0 ? undefined : next);
}

/** Key names in the first cell of every table row of a section (`a.b`, `.c` → a, b, c). */
function tableKeys(text: string): Set<string> {
  const keys = new Set<string>();
  for (const line of text.split('\n')) {
    const row = /^\|([^|]*)\|/.exec(line);
    if (!row || /^\s*-+\s*$/.test(row[1])) continue;
    for (const span of row[1].matchAll(/`([^`]+)`/g)) for (const k of span[1].split(/[^A-Za-z0-9_]+/)) if (k) keys.add(k);
  }
  return keys;
}

type Json = Record<string, unknown>;

/** Every object in the JSON Schema that has properties, with its path of property names. */
function objectsOf(schema: unknown, path: string[] = [], out: { path: string[]; keys: string[] }[] = []) {
  if (!schema || typeof schema !== 'object') return out;
  const s = schema as Json;
  if (s.properties) {
    const props = s.properties as Json;
    out.push({ path, keys: Object.keys(props) });
    for (const [k, v] of Object.entries(props)) objectsOf(v, [...path, k], out);
  }
  for (const inner of [s.items, s.additionalProperties, ...((s.anyOf as unknown[] | undefined) ?? [])]) objectsOf(inner, path, out);
  return out;
}

/** Enum and const string values anywhere in the JSON Schema. */
function enumValues(schema: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) schema.forEach((s) => enumValues(s, out));
  else if (schema && typeof schema === 'object') {
    const s = schema as Json;
    for (const v of (s.enum as unknown[] | undefined) ?? []) if (typeof v === 'string') out.add(v);
    for (const v of Object.values(s)) enumValues(v, out);
  }
  return out;
}

/** Where the doc documents the object at a schema path. */
function sectionFor(path: string[]): string {
  if (path.length === 0) return 'Top level';
  if (path[0] === 'metrics') return 'Metrics';
  if (path[0] === 'environments') return 'Environments';
  // phases[].items / phases[].sections[].items / rollback.items … are items and their parts.
  const itemAt = path.findIndex((p, i) => p === 'items' && i > 0);
  return itemAt >= 0 ? 'Items' : 'Phases and sections';
}

const schema = checklistJsonSchema();
const objects = objectsOf(schema);

describe('docs/checklist-format.md', () => {
  it('has whole checklists and error examples to test', () => {
    expect(valid.length).toBeGreaterThanOrEqual(4);
    expect(invalid.length).toBeGreaterThanOrEqual(2);
  });

  it.each(valid.map((b) => [b.line, b] as const))('the checklist at line %i loads with no problems, with and without --env', (line, b) => {
    const file = `checklist-format.md:${line}`;
    const plain = loadChecklistText(b.text, file, { processEnv: {} });
    expect(plain.problems.map(formatProblem)).toEqual([]);
    expect(plain.checklist).toBeDefined();
    for (const env of Object.keys(plain.checklist!.environments)) {
      const r = loadChecklistText(b.text, file, { env, processEnv: {} });
      expect(r.problems.map(formatProblem), `--env ${env}`).toEqual([]);
    }
  });

  it.each(invalid.map((b) => [b.line, b] as const))(
    'the error example at line %i prints exactly the problems shown after it',
    (_line, b) => {
      const shown = blocks[blocks.indexOf(b) + 1];
      expect(shown.info).toBe('text');
      const { checklist, problems } = loadChecklistText(b.text, 'deploy.yaml', { processEnv: {} });
      expect(checklist).toBeUndefined();
      expect(problems.map(formatProblem)).toEqual(shown.text.trimEnd().split('\n'));
    },
  );

  it('every other yaml block is valid YAML', () => {
    for (const b of yamlBlocks) expect(() => parse(b.text), `yaml block at line ${b.line}`).not.toThrow();
  });

  it('documents every key of the JSON Schema in a table of the right section', () => {
    expect(objects.length).toBeGreaterThan(10);
    const missing: string[] = [];
    for (const o of objects) {
      const name = sectionFor(o.path);
      const documented = tableKeys(section(name));
      for (const k of o.keys) if (!documented.has(k)) missing.push(`${[...o.path, k].join('.')} (in "## ${name}")`);
    }
    expect(missing).toEqual([]);
  });

  it('documents exactly the top-level keys the schema has, and no item key it lacks', () => {
    const top = objects.find((o) => o.path.length === 0)!.keys;
    expect([...tableKeys(section('Top level'))].sort()).toEqual([...top].sort());
    const itemKeys = new Set(objects.filter((o) => sectionFor(o.path) === 'Items').flatMap((o) => o.keys));
    expect([...tableKeys(section('Items'))].filter((k) => !itemKeys.has(k))).toEqual([]);
    const metricKeys = new Set(objects.filter((o) => sectionFor(o.path) === 'Metrics').flatMap((o) => o.keys));
    expect([...tableKeys(section('Metrics'))].filter((k) => !metricKeys.has(k))).toEqual([]);
  });

  it('names every enumerated value the schema allows', () => {
    const values = enumValues(schema);
    expect(values).toContain('keep');
    expect([...values].filter((v) => !doc.includes(`\`${v}\``))).toEqual([]);
  });

  it('uses every key of the format in its example checklists', () => {
    const used = new Set<string>();
    const walk = (v: unknown) => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object')
        for (const [k, x] of Object.entries(v)) {
          used.add(k);
          walk(x);
        }
    };
    for (const b of valid) walk(parse(b.text));
    const all = new Set(objects.flatMap((o) => o.keys));
    expect([...all].filter((k) => !used.has(k))).toEqual([]);
  });
});

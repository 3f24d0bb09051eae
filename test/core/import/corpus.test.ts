// The import corpus (test/fixtures/import-corpus): runbooks in many real-world styles, each with a
// golden YAML reviewed by hand, plus assertions that hold over the whole corpus and are written
// against expectations.json (hand-written, independent of the importer's own classification):
// nothing destructive or never-ending from a reference section is ever runnable, an environment
// section never becomes a phase, a gate never lands after what it gates, a choice always comes
// before what it gates, tables survive verbatim. Regenerate goldens (then review every diff by hand)
// with RUNSHEET_UPDATE_GOLDEN=1.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import type { Nodes } from 'mdast';
import { describe, expect, it } from 'vitest';
import { importMarkdown } from '../../../src/core/import/index.js';
import { destructiveReason, neverEndingReason, swallowedFailure } from '../../../src/core/import/commands.js';
import type { OutChecklist, OutItem } from '../../../src/core/import/build.js';
import { loadChecklistText } from '../../../src/core/load.js';
import { allOut } from './helpers.js';

const DIR = join(process.cwd(), 'test', 'fixtures', 'import-corpus');
const FILES = readdirSync(DIR)
  .filter((f) => f.endsWith('.md'))
  .sort();
interface Expect {
  reference: string[];
  environments: string[];
  gates: { roles: string[]; before: string }[];
}
const EXPECT = JSON.parse(readFileSync(join(DIR, 'expectations.json'), 'utf8')) as Record<string, Expect>;

function load(f: string) {
  const bytes = readFileSync(join(DIR, f));
  const sha = createHash('sha256').update(bytes).digest('hex');
  const md = bytes.toString('utf8');
  return { md, ...importMarkdown(md, { source: f, sourceSha256: sha }) };
}

/** Items in run order: phases, then the rollback track. */
function ordered(doc: OutChecklist): OutItem[] {
  return allOut(doc);
}

/** Heading title → its source line range (Markdown headings; pasted text: a bare line). */
function headingRange(md: string, title: string): { start: number; end: number } | undefined {
  const lines = md.split('\n');
  const clean = (s: string) =>
    s
      .replace(/^#+\s*/, '')
      .replace(/<\/?[a-z]+>/gi, '')
      .replace(/[*_`]/g, '')
      .trim();
  const start = lines.findIndex((l) => clean(l) === title);
  if (start < 0) return undefined;
  const depth = /^(#+)/.exec(lines[start])?.[1].length ?? 0;
  let end = lines.length;
  let fenced = false;
  for (let i = start + 1; i < lines.length; i++) {
    // a `# comment` inside a fence is not a heading
    if (/^\s*(?:```|~~~)/.test(lines[i])) fenced = !fenced;
    if (fenced) continue;
    const d = /^(#+)\s/.exec(lines[i])?.[1].length;
    if (depth && d && d <= depth) {
      end = i;
      break;
    }
    if (!depth && /^#{1,6}\s|^<\/details>/.test(lines[i])) {
      end = i;
      break;
    }
    // pasted text: the next short bare line between blank lines is the next heading
    if (
      !depth &&
      i > start + 1 &&
      lines[i - 1].trim() === '' &&
      lines[i + 1]?.trim() === '' &&
      /^[A-Z][^.:]{0,60}$/.test(lines[i].trim())
    ) {
      end = i;
      break;
    }
  }
  return { start: start + 1, end };
}

function tables(md: string): string[] {
  const tree = unified().use(remarkParse).use(remarkGfm).parse(md);
  const out: string[] = [];
  const walk = (n: Nodes) => {
    if (n.type === 'table') out.push(md.slice(n.position!.start.offset, n.position!.end.offset));
    if ('children' in n) (n.children as Nodes[]).forEach(walk);
  };
  walk(tree);
  return out;
}

describe('import corpus', () => {
  it('holds at least 15 runbooks, the five seeds among them, each with expectations', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(15);
    expect(FILES.filter((f) => f.startsWith('seed-'))).toHaveLength(5);
    for (const f of FILES) expect(EXPECT[f], f).toBeDefined();
    for (const s of ['000', '001', '002', '003', '004']) {
      const seed = readdirSync(join(process.cwd(), 'test', 'fixtures', 'seeds')).find((x) => x.startsWith(s))!;
      expect(readFileSync(join(DIR, `seed-${s}.md`), 'utf8')).toBe(
        readFileSync(join(process.cwd(), 'test', 'fixtures', 'seeds', seed), 'utf8'),
      );
    }
  });

  describe.each(FILES)('%s', (f) => {
    const golden = join(DIR, f.replace(/\.md$/, '.golden.yaml'));

    it('imports to its reviewed golden YAML', () => {
      const { yaml } = load(f);
      if (process.env.RUNSHEET_UPDATE_GOLDEN === '1' || !existsSync(golden)) writeFileSync(golden, yaml);
      expect(yaml).toBe(readFileSync(golden, 'utf8'));
    });

    it('its golden validates (with no environment and with each one it declares)', () => {
      const text = readFileSync(golden, 'utf8');
      const { checklist, problems } = loadChecklistText(text, golden, { processEnv: {} });
      expect(problems.map((p) => `${p.line}:${p.col} ${p.message}`)).toEqual([]);
      for (const env of Object.keys(checklist!.environments)) {
        expect(loadChecklistText(text, golden, { processEnv: {}, env }).problems).toEqual([]);
      }
    });

    it('nothing destructive or never-ending from a reference section is runnable', () => {
      const { md, doc } = load(f);
      const runs = ordered(doc).filter((i) => i.run !== undefined);
      const lines = md.split('\n');
      for (const title of EXPECT[f].reference) {
        const r = headingRange(md, title);
        expect(r, `reference heading "${title}" not found in ${f}`).toBeDefined();
        for (let i = r!.start; i < r!.end; i++) {
          const cmd = lines[i].replace(/\s+#\s.*$/, '').trim();
          if (!cmd || cmd.startsWith('#') || !(destructiveReason(cmd) || neverEndingReason(cmd))) continue;
          for (const item of runs)
            expect(item.run, `${f}:${i + 1} "${cmd}" (reference "${title}") became runnable item ${item.id}`).not.toContain(cmd);
        }
      }
      // and the reference text is kept for reading
      for (const title of EXPECT[f].reference)
        expect(JSON.stringify(doc.reference ?? []) + (doc.description ?? ''), `reference "${title}" kept`).toContain(
          JSON.stringify(title).slice(1, -1),
        );
      for (const item of runs) {
        expect(neverEndingReason(item.run!), `${item.id} never ends`).toBeUndefined();
        if (destructiveReason(item.run!)) expect(item, `${item.id} is destructive`).toMatchObject({ critical: true, confirm: true });
        expect(item.confirm).toBe(true);
      }
    });

    it('no environment section is a phase; their items are gated by environment', () => {
      const { doc } = load(f);
      const phases = doc.phases.map((p) => p.title);
      for (const env of EXPECT[f].environments) expect(phases, `environment section "${env}" became a phase`).not.toContain(env);
      for (const p of doc.phases)
        expect(p.title).not.toMatch(
          /^(?:local|local development|dev|development|qa|uat|staging|stage|production|prod)(?: deployment| environment)?$/i,
        );
      if (EXPECT[f].environments.length) {
        expect(Object.keys(doc.environments ?? {}).length).toBeGreaterThan(0);
        for (const s of doc.phases.flatMap((p) => p.sections)) {
          const named = EXPECT[f].environments.find((e) => s.title === e || s.title?.endsWith(` › ${e}`) || s.title?.startsWith(`${e} › `));
          if (named) for (const i of s.items) expect(i.when?.env, `${i.id} in "${s.title}"`).toBeDefined();
        }
      }
    });

    it('gates land ahead of what they gate, as sign-off roles rather than tick items', () => {
      const { doc } = load(f);
      const titles = doc.phases.map((p) => p.title);
      for (const g of EXPECT[f].gates) {
        const gated = titles.indexOf(g.before);
        expect(gated, `gated phase "${g.before}"`).toBeGreaterThanOrEqual(0);
        for (const role of g.roles) {
          const at = doc.phases.findIndex((p) => p.signoff?.includes(role));
          expect(at, `role "${role}" signs a phase`).toBeGreaterThanOrEqual(0);
          expect(at, `role "${role}" signs "${titles[at]}", not ahead of "${g.before}"`).toBeLessThan(gated);
        }
      }
      for (const i of ordered(doc)) expect(i.title).not.toMatch(/:\s*_{3,}.*\bdate\b/i);
    });

    it('every choice comes before what it gates, and every gate names one of its options', () => {
      const { doc } = load(f);
      const seen = new Map<string, OutItem>();
      for (const i of ordered(doc)) {
        const a = i.when?.answer;
        if (a) {
          const choice = seen.get(a.item);
          expect(choice, `${i.id} is gated by ${a.item}, which does not come before it`).toBeDefined();
          expect(choice!.record).toBe('choice');
          for (const v of [a.is].flat()) expect(choice!.options).toContain(v);
        }
        seen.set(i.id, i);
      }
    });

    it('tables survive verbatim; placeholders are declared vars; failure-hiding commands are flagged', () => {
      const { md, doc } = load(f);
      const kept = [doc.description ?? '', ...ordered(doc).map((i) => i.notes ?? ''), ...(doc.reference ?? []).map((r) => r.notes)].join(
        '\n',
      );
      for (const t of tables(md)) {
        const signoffOnly = /signature/i.test(t.split('\n')[0]);
        if (!signoffOnly) expect(kept, `table kept:\n${t}`).toContain(t);
      }
      expect(kept).not.toMatch(/\|[^\n]*…\s*$/m);
      for (const i of ordered(doc).filter((x) => x.run)) {
        expect(i.run).not.toMatch(/(?<!<)<[a-z][a-z0-9_-]*>/i);
        for (const m of i.run!.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g))
          expect(doc.vars, `${i.id} uses \${${m[1]}}`).toHaveProperty(m[1]);
        const hidden = swallowedFailure(i.run!);
        if (hidden) expect(i.notes, `${i.id} hides failures with ${hidden}`).toContain(hidden);
      }
    });

    it('every heuristic decision in the summary names source lines inside the file', () => {
      const { md, summary } = load(f);
      const n = md.split('\n').length;
      for (const d of summary.decisions) {
        expect(d.line).toBeGreaterThanOrEqual(1);
        expect(d.endLine).toBeLessThanOrEqual(n);
      }
      if (EXPECT[f].reference.length && summary.decisions.length) expect(summary.decisions.some((d) => d.kind === 'reference')).toBe(true);
    });
  });
});

// Text → Checklist. Pure: the caller reads the file. Every problem carries FILE:LINE:COL so the
// operator can jump straight to it; we collect all problems rather than stopping at the first.
import { LineCounter, isNode, parseDocument, visit } from 'yaml';
import { z } from 'zod';
import type { Checklist, Pos } from './model.js';
import { checklistSchema } from './schema.js';
import { NO_POSITIONS, PositionFinder, type Finder } from './yaml-pos.js';
import { readPlainYaml } from './yaml-fast.js';
import { suggest } from './suggest.js';
import { normalize, type LoadOptions } from './normalize.js';
import { MAX_YAML_DEPTH, tooDeep } from './yaml-depth.js';

export type { LoadOptions } from './normalize.js';

export interface Problem {
  file: string;
  line: number;
  col: number;
  message: string;
}

export interface LoadResult {
  checklist?: Checklist;
  problems: Problem[];
}

export function formatProblem(p: Problem): string {
  return `${p.file}:${p.line}:${p.col}: ${p.message}`;
}

// Larger inputs are never checklists; refusing early keeps a 50 MB paste from hanging the parser.
export const MAX_CHECKLIST_BYTES = 5 * 1024 * 1024;

/** Keys the schema allows at a data path, for "did you mean" hints (zod's public schema classes). */
function keysAt(schema: z.ZodType, path: readonly (string | number)[]): string[] {
  const unwrap = (x: z.ZodType): z.ZodType => {
    for (;;) {
      if (x instanceof z.ZodOptional || x instanceof z.ZodNullable || x instanceof z.ZodDefault) x = x.unwrap() as z.ZodType;
      else if (x instanceof z.ZodPipe) x = x.in as z.ZodType;
      else if (x instanceof z.ZodUnion) x = (x.options.find((o) => o instanceof z.ZodObject) ?? x.options[0]) as z.ZodType;
      else return x;
    }
  };
  let s: z.ZodType | undefined = schema;
  for (const seg of path) {
    s = unwrap(s);
    if (s instanceof z.ZodObject && typeof seg === 'string') s = (s.shape as Record<string, z.ZodType | undefined>)[seg];
    else if (s instanceof z.ZodArray) s = s.element as z.ZodType;
    else if (s instanceof z.ZodRecord) s = s.valueType as z.ZodType;
    else return [];
    if (!s) return [];
  }
  s = unwrap(s);
  return s instanceof z.ZodObject ? Object.keys(s.shape) : [];
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
  if (issue.code === 'invalid_type') {
    return `${where}expected ${issue.expected}${issue.input === undefined ? ' (required)' : `, got ${Array.isArray(issue.input) ? 'a list' : issue.input === null ? 'null' : typeof issue.input}`}`;
  }
  if (issue.code === 'invalid_value') return `${where}must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
  return `${where}${issue.message}`;
}

export function loadChecklistText(text: string, file: string, opts: LoadOptions = {}): LoadResult {
  const problems: Problem[] = [];
  const at = (pos: { line: number; col: number }, message: string) => problems.push({ file, ...pos, message });
  if (text.length > MAX_CHECKLIST_BYTES) {
    at({ line: 1, col: 1 }, `file is ${(text.length / 1048576).toFixed(1)} MB; a checklist must be under 5 MB`);
    return { problems };
  }
  if (text.includes('\u0000')) {
    at({ line: 1, col: 1 }, 'file contains NUL bytes: this is a binary file, not a YAML checklist');
    return { problems };
  }
  // The quick read first; a text it cannot vouch for, or that is not a valid checklist, is read
  // again the full way below, which reports every problem with its line:col. (The quick read
  // has its own depth limit, so the depth scan is needed only on the full way.)
  const nulPossible = mayEscapeNul(text);
  const quick = readPlainYaml(text, MAX_YAML_DEPTH);
  if (quick) {
    const checked = checkData(quick.data, NO_POSITIONS, opts, nulPossible);
    // Uses of vars without a value are reported with their line:col: only the full read knows them.
    if (checked.checklist && !checked.checklist.unset) return { checklist: checked.checklist, problems: [] };
  }
  const deep = tooDeep(text);
  if (deep) {
    at(deep, `nested more than ${MAX_YAML_DEPTH} levels deep: this is not a checklist (a damaged file or a parser attack)`);
    return { problems };
  }
  const lc = new LineCounter();
  // uniqueKeys catches duplicated keys; the alias limit in toJS below defuses "billion laughs".
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: true, prettyErrors: true, strict: true });
  // Past the pre-check, a recursion overflow still ends in one line, not one per unclosed level.
  const overflow = doc.errors.find((e) => /call stack/i.test(e.message));
  if (overflow) {
    at(
      overflow.linePos?.[0] ?? { line: 1, col: 1 },
      'nested too deeply to read: this is not a checklist (a damaged file or a parser attack)',
    );
    return { problems };
  }
  for (const err of doc.errors) {
    const p = err.linePos?.[0] ?? { line: 1, col: 1 };
    at(p, `YAML syntax error: ${err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`);
  }
  // A checklist has no use for YAML tags, and one is a 2 a.m. trap: `run: ! grep x` would quietly
  // run `grep x` (the `!` is read as a tag, not as shell negation). Refuse them all.
  visit(doc, (_key, node) => {
    if (isNode(node) && node.tag && node.range) {
      at(
        lc.linePos(node.range[0]),
        `YAML tag "${node.tag}" is not allowed: checklists use no tags; if the value starts with "!", put the whole value in quotes`,
      );
    }
  });
  if (problems.length) return { problems };
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    at({ line: 1, col: 1 }, `YAML could not be read: ${(e as Error).message.split('\n')[0]}`);
    return { problems };
  }
  const checked = checkData(data, new PositionFinder(doc, lc, text), opts, nulPossible);
  for (const p of checked.problems) at(p.pos, p.message);
  return checked.checklist ? { checklist: checked.checklist, problems } : { problems: sortProblems(problems) };
}

/** YAML data → Checklist, or the problems with it (positions from `finder`). */
function checkData(
  data: unknown,
  finder: Finder,
  opts: LoadOptions,
  nulPossible: boolean,
): { checklist?: Checklist; problems: { pos: Pos; message: string }[] } {
  const problems: { pos: Pos; message: string }[] = [];
  const at = (pos: Pos, message: string) => problems.push({ pos, message });
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    at({ line: 1, col: 1 }, 'a checklist is a YAML mapping with version, title and phases');
    return { problems };
  }
  // "\0" is a valid YAML escape, but no command, path, variable or title can hold a NUL: spawning
  // with one fails deep inside Node with a message about options.cwd or options.env.
  const nul = nulPossible ? nulPath(data) : null;
  if (nul) {
    at(finder.value(nul), `${nul.join('.')}: contains a NUL character (\\0); remove it`);
    return { problems };
  }
  const parsed = checklistSchema.safeParse(data, { reportInput: true });
  if (!parsed.success) {
    // One problem per place: zod can report a value twice (1e308 is "not an int" and "over 255").
    const seen = new Set<string>();
    for (const issue of parsed.error.issues) {
      const where = JSON.stringify(issue.path);
      if (issue.code !== 'unrecognized_keys' && seen.has(where)) continue;
      seen.add(where);
      if (issue.code === 'unrecognized_keys') {
        const allowed = keysAt(checklistSchema, issue.path as (string | number)[]);
        for (const k of issue.keys) {
          const hint = suggest(k, allowed);
          at(finder.childKey(issue.path as (string | number)[], k), `unknown key "${k}"${hint ? ` (did you mean "${hint}"?)` : ''}`);
        }
      } else {
        at(finder.value(issue.path as (string | number)[]), describeIssue(issue));
      }
    }
    return { problems };
  }
  const { checklist, problems: semantic } = normalize(parsed.data, finder, opts);
  return semantic.length ? { problems: semantic } : { checklist, problems };
}

/**
 * Whether the text can hold a NUL character at all: raw NUL bytes are refused before parsing, so
 * only a double-quoted escape (\0, \x00, \u0000, \U00000000) makes one. Most checklists have none,
 * and the walk below costs ~2 µs per value.
 */
function mayEscapeNul(text: string): boolean {
  return /\\(?:0|x0|u00|U0000)/.test(text);
}

/** Path of the first key or string value holding a NUL character (walked without recursion). */
function nulPath(data: unknown): (string | number)[] | null {
  const stack: [unknown, (string | number)[]][] = [[data, []]];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [v, path] = top;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return path;
    } else if (Array.isArray(v)) {
      v.forEach((x, i) => stack.push([x, [...path, i]]));
    } else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k.includes('\u0000')) return path.length ? path : [k];
        stack.push([x, [...path, k]]);
      }
    }
  }
  return null;
}

function sortProblems(ps: Problem[]): Problem[] {
  return ps.sort((a, b) => a.line - b.line || a.col - b.col);
}

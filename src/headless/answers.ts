// --answers FILE for headless runs: item id → tick | {skip: reason} | {record: value} |
// {resolve: finished|failed|rerun} | {accept: reason} (a warning); phase id → {signoff: [{name, role, reason?}]};
// `vars: {NAME: value}` gives vars declared without a value (as the TUI would ask for them).
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { UserError } from '../core/errors.js';
import { readUserText } from '../adapters/checklist-file.js';
import { allItems, type Checklist } from '../core/model.js';
import { suggest } from '../core/suggest.js';

export interface ItemAnswer {
  tick?: boolean;
  skip?: string;
  record?: string | number;
  resolve?: 'passed' | 'failed' | 'rerun';
  /** Acknowledge a comparison that warned, with this reason. */
  accept?: string;
}

export interface Answers {
  items: Record<string, ItemAnswer>;
  signoffs: Record<string, { name: string; role: string; reason?: string }[]>;
  /** Values for vars declared without one (`NAME:` in the checklist's vars). */
  vars: Record<string, string>;
}

const itemAnswer = z.union([
  z.literal('tick'),
  z.strictObject({ skip: z.string().min(1) }),
  z.strictObject({ record: z.union([z.string(), z.number()]) }),
  // "finished" is how an operator says it (issue wording); it records the same as "passed".
  z.strictObject({ resolve: z.enum(['passed', 'finished', 'failed', 'rerun']).transform((v) => (v === 'finished' ? 'passed' : v)) }),
  z.strictObject({ accept: z.string().min(1) }),
  z.strictObject({ signoff: z.array(z.strictObject({ name: z.string().min(1), role: z.string().min(1), reason: z.string().optional() })) }),
]);

export const NO_ANSWERS: Answers = { items: {}, signoffs: {}, vars: {} };

const varsAnswer = z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.union([z.string(), z.number(), z.boolean()]).transform(String));

export function parseAnswers(text: string, file: string): Answers {
  let data: unknown;
  try {
    data = parse(text, { maxAliasCount: 50 });
  } catch (e) {
    throw new UserError(`${file}: not valid YAML (${(e as Error).message.split('\n')[0]})`);
  }
  if (data === null || data === undefined) return NO_ANSWERS;
  if (typeof data !== 'object' || Array.isArray(data)) throw new UserError(`${file}: answers are a mapping of item or phase id → answer`);
  const out: Answers = { items: {}, signoffs: {}, vars: {} };
  for (const [id, v] of Object.entries(data as Record<string, unknown>)) {
    if (id === 'vars') {
      const r = varsAnswer.safeParse(v);
      if (!r.success)
        throw new UserError(`${file}: "vars" must be a mapping of variable name → value (e.g. vars: {PREVIOUS_COMMIT_HASH: abc123})`);
      out.vars = r.data;
      continue;
    }
    const r = itemAnswer.safeParse(v);
    if (!r.success)
      throw new UserError(
        `${file}: answer for "${id}" must be tick, {skip: reason}, {record: value}, {resolve: finished|failed|rerun}, {accept: reason} or {signoff: [{name, role}]}`,
      );
    const a = r.data;
    if (a === 'tick') out.items[id] = { tick: true };
    else if ('signoff' in a) out.signoffs[id] = a.signoff;
    else out.items[id] = a;
  }
  return out;
}

export async function readAnswers(path: string | undefined, cwd = process.cwd()): Promise<Answers> {
  if (!path) return NO_ANSWERS;
  const { text } = await readUserText(resolve(cwd, path), 'answers file', 1024 * 1024, path);
  return parseAnswers(text, path);
}

/** Answer keys that name nothing in the checklist: a typo there silently leaves an item unanswered. */
export function unknownAnswerIds(answers: Answers, c: Checklist): string[] {
  const known = new Set<string>([
    ...allItems(c).map((i) => i.id),
    ...c.dropped.map((d) => d.id),
    ...c.phases.map((p) => p.id),
    ...(c.rollback ? [c.rollback.id] : []),
    ...c.metrics.map((m) => m.id),
  ]);
  return [...Object.keys(answers.items), ...Object.keys(answers.signoffs)]
    .filter((id) => !known.has(id))
    .map((id) => {
      const hint = suggest(id, [...known]);
      return `--answers: "${id}" is not an item, phase or metric of this checklist${hint ? ` (did you mean "${hint}"?)` : ''}`;
    });
}

/** An entry of an answers map by id: undefined when absent (never an Object prototype member). */
export function entry<T>(map: Record<string, T>, id: string): T | undefined {
  return Object.hasOwn(map, id) ? map[id] : undefined;
}

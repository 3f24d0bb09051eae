// The YAML shape of checklist format v1, as zod schemas. Strict objects everywhere so a typo'd
// key is an error ("did you mean …"), never silently ignored. The same schemas produce the JSON
// Schema that `runsheet schema` prints for editors.
import { z } from 'zod';

const str = z.string();
const duration = z.union([z.string(), z.number().nonnegative()]);
const scalar = z.union([z.string(), z.number(), z.boolean()]).transform(String);
const strMap = z.record(z.string(), scalar);
// Top-level vars only: `NAME:` (null) declares a var this run needs a value for, asked when an
// item using it runs (or given by --set / the environment).
const varMap = z.record(z.string(), z.union([scalar, z.null()]));
const oneOrMany = z.union([z.string(), z.array(z.string()).min(1)]);

export const RECORD_KINDS = ['time', 'text', 'number', 'choice'] as const;
export const ACTION_KEYS = ['run', 'http', 'require_env', 'record', 'snapshot', 'compare'] as const;

const httpSchema = z.strictObject({
  url: str,
  method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH']).optional(),
  headers: strMap.optional(),
  body: str.optional(),
  status: z.number().int().min(100).max(599).optional(),
  json: z.record(z.string(), z.unknown()).optional(),
  body_contains: str.optional(),
  max_ms: z.number().positive().optional(),
});

const expectSchema = z.strictObject({
  exit: z.number().int().min(0).max(255).optional(),
  stdout_contains: str.optional(),
  stdout_matches: str.optional(),
  stderr_matches: str.optional(),
});

const metricIds = z.array(str).optional();

export const itemSchema = z.strictObject({
  id: str.optional(),
  title: str.min(1),
  notes: str.optional(),
  docs: str.optional(),
  critical: z.boolean().optional(),
  confirm: z.boolean().optional(),
  cwd: str.optional(),
  env: strMap.optional(),
  shell: str.optional(),
  pipefail: z.boolean().optional(),
  timeout: duration.optional(),
  retries: z.number().int().min(0).max(100).optional(),
  retry_delay: duration.optional(),
  on_disconnect: z.enum(['keep', 'stop']).optional(),
  // env: only in these environments (decided at load); answer: only when an earlier choice was
  // answered so (decided during the run). Both given: both must hold.
  when: z
    .strictObject({
      env: oneOrMany.optional(),
      answer: z
        .strictObject({ item: str.min(1), is: z.union([z.string(), z.number(), z.array(z.union([z.string(), z.number()])).min(1)]) })
        .optional(),
    })
    .optional(),
  // actions: exactly one (checked after parsing, so the message can say which two clash)
  run: str.min(1).optional(),
  check: z.boolean().optional(),
  expect: expectSchema.optional(),
  http: httpSchema.optional(),
  require_env: z.array(str).min(1).optional(),
  record: z.enum(RECORD_KINDS).optional(),
  unit: str.optional(),
  options: z
    .array(z.union([z.string(), z.number()]).transform(String))
    .min(1)
    .optional(),
  snapshot: z.strictObject({ label: str.min(1), metrics: metricIds }).optional(),
  compare: z
    .strictObject({
      baseline: str.min(1),
      label: str.min(1).optional(),
      metrics: metricIds,
      watch: z.strictObject({ every: duration, for: duration }).optional(),
    })
    .optional(),
});

const sectionSchema = z.strictObject({
  title: str.optional(),
  notes: str.optional(),
  items: z.array(itemSchema),
});

const phaseFields = {
  id: str.optional(),
  title: str.min(1),
  notes: str.optional(),
  signoff: z.array(str.min(1)).optional(),
  sections: z.array(sectionSchema).optional(),
  items: z.array(itemSchema).optional(),
};
export const phaseSchema = z.strictObject(phaseFields);
const rollbackSchema = z.strictObject({ ...phaseFields, title: str.min(1).optional() });

const threshold = z.union([z.string(), z.number()]);

export const metricSchema = z.strictObject({
  id: str.min(1),
  title: str.optional(),
  unit: str.optional(),
  prometheus: z.strictObject({ url: str, query: str.min(1) }).optional(),
  http: z.strictObject({ url: str, json: str.min(1) }).optional(),
  command: str.min(1).optional(),
  manual: z.literal(true).optional(),
  better: z.enum(['lower', 'higher', 'none']).optional(),
  tolerance: threshold.optional(),
  noise_floor: z.number().nonnegative().optional(),
  warn: threshold.optional(),
  fail: threshold.optional(),
  max: z.number().optional(),
  min: z.number().optional(),
  critical: z.boolean().optional(),
});

export const checklistSchema = z.strictObject({
  version: z.literal(1),
  title: str.min(1),
  description: str.optional(),
  vars: varMap.optional(),
  environments: z
    .record(
      z.string(),
      z.strictObject({ vars: strMap.optional(), confirm: z.boolean().optional(), description: str.optional() }).nullable(),
    )
    .optional(),
  secrets: z.array(str).optional(),
  metrics: z.array(metricSchema).optional(),
  samples: z.number().int().min(1).max(100).optional(),
  interval: duration.optional(),
  phases: z.array(phaseSchema).min(1),
  rollback: rollbackSchema.optional(),
  reference: z.array(z.strictObject({ title: str.min(1), notes: str })).optional(),
});

export type RawChecklist = z.infer<typeof checklistSchema>;
export type RawItem = z.infer<typeof itemSchema>;
export type RawPhase = z.infer<typeof phaseSchema>;
export type RawMetric = z.infer<typeof metricSchema>;

/** The JSON Schema editors use (yaml-language-server). */
export function checklistJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(checklistSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  forEachItemSchema(schema, oneActionAtMost);
  return { ...schema, title: 'runsheet checklist v1' };
}

/**
 * "An item does exactly one thing" is checked after parsing in `validate` (so its message can
 * name the two keys), which zod cannot export; the JSON Schema says it as "no two action keys
 * together", so an editor flags the second action as soon as it is typed.
 */
function oneActionAtMost(item: Record<string, unknown>): void {
  const pairs: { required: string[] }[] = [];
  ACTION_KEYS.forEach((a, i) => ACTION_KEYS.slice(i + 1).forEach((b) => pairs.push({ required: [a, b] })));
  item.not = {
    description: `An item does exactly one thing: use only one of ${ACTION_KEYS.join(', ')}; split it into two items.`,
    anyOf: pairs,
  };
}

/** Calls f on every item schema (an object schema with every action key) inside the JSON Schema. */
function forEachItemSchema(node: unknown, f: (item: Record<string, unknown>) => void): void {
  if (Array.isArray(node)) return node.forEach((n) => forEachItemSchema(n, f));
  if (!node || typeof node !== 'object') return;
  const obj = node as Record<string, unknown>;
  const props = obj.properties as Record<string, unknown> | undefined;
  if (obj.type === 'object' && props && ACTION_KEYS.every((k) => k in props)) f(obj);
  for (const v of Object.values(obj)) forEachItemSchema(v, f);
}

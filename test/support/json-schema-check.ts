// A small JSON Schema checker for the keywords `runsheet schema` emits (draft 2020-12 subset:
// type, const, enum, minLength, minimum, maximum, exclusiveMinimum, properties, required,
// additionalProperties, propertyNames, items, minItems, anyOf, oneOf, not). Used to hold the
// emitted schema to the same verdict as `validate` without a JSON Schema library installed;
// an unknown keyword throws, so the checker can never silently accept what it does not read.
const KNOWN = new Set([
  '$schema',
  'title',
  'description',
  'type',
  'const',
  'enum',
  'minLength',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'properties',
  'required',
  'additionalProperties',
  'propertyNames',
  'items',
  'minItems',
  'anyOf',
  'oneOf',
  'not',
]);

type Schema = boolean | Record<string, unknown>;

function typeOk(t: string, v: unknown): boolean {
  switch (t) {
    case 'object':
      return !!v && typeof v === 'object' && !Array.isArray(v);
    case 'array':
      return Array.isArray(v);
    case 'string':
      return typeof v === 'string';
    case 'boolean':
      return typeof v === 'boolean';
    case 'null':
      return v === null;
    // JSON has no NaN or Infinity: YAML's .nan/.inf are not JSON numbers.
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    default:
      throw new Error(`unknown type ${t}`);
  }
}

const equal = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Whether `v` is valid against `s`. */
export function jsonSchemaValid(s: Schema, v: unknown): boolean {
  if (s === true) return true;
  if (s === false) return false;
  for (const k of Object.keys(s)) if (!KNOWN.has(k)) throw new Error(`json-schema-check: keyword "${k}" not supported`);
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
    if (!types.some((t) => typeOk(t, v))) return false;
  }
  if ('const' in s && !equal(s.const, v)) return false;
  if (s.enum && !(s.enum as unknown[]).some((e) => equal(e, v))) return false;
  if (typeof v === 'string' && typeof s.minLength === 'number' && [...v].length < s.minLength) return false;
  if (typeof v === 'number') {
    if (typeof s.minimum === 'number' && v < s.minimum) return false;
    if (typeof s.maximum === 'number' && v > s.maximum) return false;
    if (typeof s.exclusiveMinimum === 'number' && v <= s.exclusiveMinimum) return false;
  }
  if (Array.isArray(v)) {
    if (typeof s.minItems === 'number' && v.length < s.minItems) return false;
    if (s.items !== undefined && !v.every((x) => jsonSchemaValid(s.items as Schema, x))) return false;
  }
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    const props = (s.properties ?? {}) as Record<string, Schema>;
    for (const r of (s.required ?? []) as string[]) if (!(r in o)) return false;
    for (const [k, x] of Object.entries(o)) {
      if (s.propertyNames !== undefined && !jsonSchemaValid(s.propertyNames as Schema, k)) return false;
      if (k in props) {
        if (!jsonSchemaValid(props[k], x)) return false;
      } else if (s.additionalProperties !== undefined && !jsonSchemaValid(s.additionalProperties as Schema, x)) return false;
    }
  }
  if (s.anyOf && !(s.anyOf as Schema[]).some((x) => jsonSchemaValid(x, v))) return false;
  if (s.oneOf && (s.oneOf as Schema[]).filter((x) => jsonSchemaValid(x, v)).length !== 1) return false;
  if (s.not !== undefined && jsonSchemaValid(s.not as Schema, v)) return false;
  return true;
}

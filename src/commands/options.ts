// Option parsing shared by commands.
import { UserError } from '../core/errors.js';

/** --set KEY=VALUE (repeatable) → record. */
export function parseSets(sets: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of sets ?? []) {
    const i = s.indexOf('=');
    const key = i > 0 ? s.slice(0, i) : '';
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new UserError(`--set "${s}": expected KEY=VALUE with KEY a plain name (letters, digits, _)`);
    out[key] = s.slice(i + 1);
  }
  return out;
}

/** Run ids become directory names: refuse anything that could walk out of runs/. */
export function checkRunId(id: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,100}$/.test(id) || id.includes('..')) {
    throw new UserError(`"${id}" is not a valid run id (see \`runsheet runs\` for the ids)`);
  }
  return id;
}

/** Positive integer option such as --jobs. */
export function parsePositiveInt(v: string | undefined, name: string, def: number, max = 64): number {
  if (v === undefined) return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new UserError(`${name} must be a whole number from 1 to ${max} (got "${v}")`);
  return n;
}

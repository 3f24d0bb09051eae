// Run ids name directories (runs/<id>/) and database rows: one rule for every layer that takes one.
import { UserError } from './errors.js';

/** Run ids become directory names: refuse anything that could walk out of runs/. */
export function checkRunId(id: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,100}$/.test(id) || id.includes('..')) {
    throw new UserError(`"${id}" is not a valid run id (see \`runsheet runs\` for the ids)`);
  }
  return id;
}

// Two kinds of failure, as in Shopify's cli-kit: a UserError is something the operator can fix
// (bad YAML, missing file, unknown run id) and prints as one clear line with no stack trace;
// anything else is a bug in runsheet.

export class UserError extends Error {
  /** Process exit code: 2 for usage/input errors unless a command says otherwise. */
  readonly exitCode: number;
  /** Optional extra lines (e.g. every validation problem). */
  readonly details: string[];
  constructor(message: string, opts: { exitCode?: number; details?: string[] } = {}) {
    super(message);
    this.name = 'UserError';
    this.exitCode = opts.exitCode ?? 2;
    this.details = opts.details ?? [];
  }
}

export function isUserError(e: unknown): e is UserError {
  return e instanceof UserError;
}

/** Message of an unknown thrown value, for results and error lines. */
export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

// Option parsing shared by commands.
import { UserError } from '../core/errors.js';
import { isSecretName } from '../core/redact.js';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The one-line fix for a secret given on runsheet's own command line. */
export function secretOnCommandLine(key: string): UserError {
  return new UserError(
    `--set ${key}=…: ${key} is a secret, and runsheet's command line is visible to every local user (ps) and kept in shell history; use --set-from-env ${key} (reads it from runsheet's environment) or --vars-file FILE (mode 0600)`,
  );
}

/**
 * --set KEY=VALUE (repeatable) → record. A secret by its name (*_KEY, *_TOKEN, *_SECRET,
 * *_PASSWORD, or listed in `declared`) is refused: see secretOnCommandLine.
 */
export function parseSets(sets: string[] | undefined, declared: readonly string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of sets ?? []) {
    const i = s.indexOf('=');
    const key = i > 0 ? s.slice(0, i) : '';
    if (!NAME.test(key)) throw new UserError(`--set "${s}": expected KEY=VALUE with KEY a plain name (letters, digits, _)`);
    if (isSecretName(key, declared)) throw secretOnCommandLine(key);
    out[key] = s.slice(i + 1);
  }
  return out;
}

/** --set given for a name the checklist lists in `secrets` (known only once it is loaded). */
export function refuseDeclaredSecretSets(sets: string[] | undefined, declared: readonly string[]): void {
  parseSets(sets, declared);
}

export interface VarOptions {
  set?: string[];
  /** --set-from-env NAME (repeatable): NAME's value from runsheet's own environment. */
  setFromEnv?: string[];
  /** --vars-file FILE: NAME=VALUE lines or a YAML mapping; mode 0600 or stricter. */
  varsFile?: string;
}

/**
 * The variables given on the command line, highest precedence last: --vars-file, then
 * --set-from-env, then --set. Only --set carries a value in argv, so only it refuses secrets.
 */
export async function readVarOptions(o: VarOptions, env: Record<string, string | undefined>, cwd: string): Promise<Record<string, string>> {
  const out: Record<string, string> = o.varsFile ? await readVarsFile(o.varsFile, cwd) : {};
  for (const name of o.setFromEnv ?? []) {
    if (!NAME.test(name)) throw new UserError(`--set-from-env "${name}": expected a variable name (letters, digits, _)`);
    const v = env[name];
    if (v === undefined)
      throw new UserError(
        `--set-from-env ${name}: ${name} is not set in runsheet's environment; export it first (e.g. read -rs ${name} && export ${name})`,
      );
    out[name] = v;
  }
  return { ...out, ...parseSets(o.set) };
}

/** Largest vars file read: a few hundred variables, never a surprise multi-megabyte read. */
const MAX_VARS_FILE = 1024 * 1024;

async function readVarsFile(file: string, cwd: string): Promise<Record<string, string>> {
  const { readFile, stat } = await import('node:fs/promises');
  const nodePath = await import('node:path');
  const path = nodePath.resolve(cwd, file);
  let st;
  try {
    st = await stat(path);
  } catch (e) {
    throw new UserError(`--vars-file ${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  if (!st.isFile()) throw new UserError(`--vars-file ${file}: not a regular file`);
  if (st.mode & 0o077)
    throw new UserError(
      `--vars-file ${file}: mode ${(st.mode & 0o777).toString(8).padStart(4, '0')} lets other users read it; chmod 600 ${file}`,
    );
  if (st.size > MAX_VARS_FILE) throw new UserError(`--vars-file ${file}: ${st.size} bytes; a vars file must be under 1 MiB`);
  return parseVarsText(await readFile(path, 'utf8'), file);
}

/** NAME=VALUE lines (`export` and one layer of quotes allowed, # comments) or a YAML mapping. */
export async function parseVarsText(text: string, file: string): Promise<Record<string, string>> {
  const kv = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/;
  const assignments = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => kv.exec(l));
  const out: Record<string, string> = {};
  if (assignments.every((m) => m !== null)) {
    for (const [, k, raw] of assignments) {
      const q = /^(['"])(.*)\1$/.exec(raw);
      out[k] = q ? q[2] : raw;
    }
    return out;
  }
  const { parse } = await import('yaml');
  let data: unknown;
  try {
    data = parse(text, { maxAliasCount: 0 });
  } catch (e) {
    // Not the parser's message: it may quote the line, and the line may hold a secret.
    const at = (e as { linePos?: { line: number }[] }).linePos?.[0]?.line;
    throw new UserError(`--vars-file ${file}: neither NAME=VALUE lines nor a YAML mapping${at ? ` (line ${at})` : ''}`);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data))
    throw new UserError(`--vars-file ${file}: expected NAME=VALUE lines or a YAML mapping of NAME: value`);
  for (const [k, v] of Object.entries(data)) {
    if (!NAME.test(k)) throw new UserError(`--vars-file ${file}: "${k}" is not a variable name (letters, digits, _)`);
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean')
      throw new UserError(`--vars-file ${file}: ${k} must be a string, number or boolean`);
    out[k] = String(v);
  }
  return out;
}

/** Positive integer option such as --jobs. */
export function parsePositiveInt(v: string | undefined, name: string, def: number, max = 64): number {
  if (v === undefined) return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new UserError(`${name} must be a whole number from 1 to ${max} (got "${v}")`);
  return n;
}

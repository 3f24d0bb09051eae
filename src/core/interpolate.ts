// ${NAME} interpolation. Only braces around a plain name are runsheet's; `$NAME`, `${1}` and
// `${X:-y}` are shell syntax and pass through untouched so commands keep working.

import { ShellScanner, type ShellDialect } from './shell-ref.js';

const REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** Names referenced as ${NAME} in a string. */
export function referencedVars(s: string): string[] {
  return [...s.matchAll(REF)].map((m) => m[1]);
}

/** Replaces every ${NAME} found in vars; unknown names are left as written. */
export function interpolate(s: string, vars: Record<string, string | undefined>): string {
  return s.replace(REF, (whole, name: string) => vars[name] ?? whole);
}

export interface VarLayers {
  set: Record<string, string>;
  env: Record<string, string>;
  envName: string | null;
  top: Record<string, string>;
  process: Record<string, string | undefined>;
}

/** Precedence, highest first: --set, the chosen environment, top-level vars, the process env. */
export function resolveVar(name: string, l: VarLayers): string | undefined {
  return l.set[name] ?? l.env[name] ?? l.top[name] ?? l.process[name];
}

/** The vars runsheet itself defines (process env excluded), merged by precedence. */
export function mergedVars(l: VarLayers): Record<string, string> {
  return { ...l.top, ...l.env, ...l.set };
}

/**
 * ${NAME} interpolation for text a shell runs (`run:`, a metric probe's `command:`). Ordinary
 * names are filled in as text, as everywhere else. A secret's ${NAME} becomes a reference the
 * shell expands from the command's environment (where the value is), written for the quoting
 * context it stands in — `"${NAME}"` unquoted, `${NAME}` inside "…", `'"${NAME}"'` inside '…' —
 * so the command reads the value as it did when it was inserted, and the value never enters the
 * shell's command line. Only where no reference can stand (a quoted here-document, $'…' under
 * `sh`, or a program that is not a POSIX shell) is the value inserted; `inlined` names those secrets.
 */
export function interpolateCommand(
  s: string,
  vars: Record<string, string | undefined>,
  isSecret: (name: string) => boolean,
  dialect: ShellDialect | null,
): { text: string; inlined: string[] } {
  // Most commands use no secret: no need to follow their quoting.
  if (!referencedVars(s).some((n) => vars[n] !== undefined && isSecret(n))) return { text: interpolate(s, vars), inlined: [] };
  const scan = new ShellScanner(dialect ?? 'ansi');
  const inlined: string[] = [];
  let out = '';
  let last = 0;
  const put = (t: string) => {
    out += t;
    scan.feed(t);
  };
  for (const m of s.matchAll(REF)) {
    put(s.slice(last, m.index));
    last = m.index + m[0].length;
    const name = m[1];
    const value = vars[name];
    if (value === undefined) {
      put(m[0]);
      continue;
    }
    if (!isSecret(name)) {
      put(value);
      continue;
    }
    const ref = dialect ? scan.ref(name) : null;
    if (ref === null) inlined.push(name);
    put(ref ?? value);
  }
  put(s.slice(last));
  return { text: out, inlined: [...new Set(inlined)] };
}

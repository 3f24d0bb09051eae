// ${NAME} interpolation. Only braces around a plain name are runsheet's; `$NAME`, `${1}` and
// `${X:-y}` are shell syntax and pass through untouched so commands keep working.
import type { Action, Item } from './model.js';
import { ShellScanner, shellDialect, type ShellDialect } from './shell-ref.js';

const REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** Names referenced as ${NAME} in a string. */
export function referencedVars(s: string): string[] {
  return [...s.matchAll(REF)].map((m) => m[1]);
}

/** Replaces every ${NAME} found in vars; unknown names are left as written. */
export function interpolate(s: string, vars: Record<string, string | undefined>): string {
  return s.replace(REF, (whole, name: string) => vars[name] ?? whole);
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

/**
 * The item as it runs: vars declared without a value were left as ${NAME} at load; the values
 * given during the run (asked, or from --answers) fill them in here, in the command, the request,
 * the item's env and cwd, and are also in the command's environment. Nothing else is re-loaded.
 */
export function fillItem(item: Item, values: Record<string, string | undefined>, isSecret: (name: string) => boolean = () => false): Item {
  if (!item.needs?.length) return item;
  const given: Record<string, string> = {};
  for (const n of item.needs) if (values[n] !== undefined) given[n] = values[n];
  const f = (s: string) => interpolate(s, given);
  const env: Record<string, string> = { ...given };
  for (const [k, v] of Object.entries(item.env)) env[k] = f(v);
  const a = item.action;
  let action: Action = a;
  // A secret given during the run is in the command's environment (env above): the command
  // refers to it there, as with every other secret, so it never reaches the shell's command line.
  if (a.kind === 'run') action = { ...a, command: interpolateCommand(a.command, given, isSecret, shellDialect(item.shell)).text };
  if (a.kind === 'http') {
    const headers = a.http.headers ? Object.fromEntries(Object.entries(a.http.headers).map(([k, v]) => [k, f(v)])) : undefined;
    action = { ...a, http: { ...a.http, url: f(a.http.url), headers, body: a.http.body !== undefined ? f(a.http.body) : undefined } };
  }
  return { ...item, action, env, cwd: item.cwd !== undefined ? f(item.cwd) : undefined };
}

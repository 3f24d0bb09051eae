// ${NAME} interpolation. Only braces around a plain name are runsheet's; `$NAME`, `${1}` and
// `${X:-y}` are shell syntax and pass through untouched so commands keep working.
import type { Action, Item } from './model.js';

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
 * The item as it runs: vars declared without a value were left as ${NAME} at load; the values
 * given during the run (asked, or from --answers) fill them in here, in the command, the request,
 * the item's env and cwd, and are also in the command's environment. Nothing else is re-loaded.
 */
export function fillItem(item: Item, values: Record<string, string | undefined>): Item {
  if (!item.needs?.length) return item;
  const given: Record<string, string> = {};
  for (const n of item.needs) if (values[n] !== undefined) given[n] = values[n];
  const f = (s: string) => interpolate(s, given);
  const env: Record<string, string> = { ...given };
  for (const [k, v] of Object.entries(item.env)) env[k] = f(v);
  const a = item.action;
  let action: Action = a;
  if (a.kind === 'run') action = { ...a, command: f(a.command) };
  if (a.kind === 'http') {
    const headers = a.http.headers ? Object.fromEntries(Object.entries(a.http.headers).map(([k, v]) => [k, f(v)])) : undefined;
    action = { ...a, http: { ...a.http, url: f(a.http.url), headers, body: a.http.body !== undefined ? f(a.http.body) : undefined } };
  }
  return { ...item, action, env, cwd: item.cwd !== undefined ? f(item.cwd) : undefined };
}

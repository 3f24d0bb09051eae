// ${NAME} interpolation. Only braces around a plain name are runsheet's; `$NAME`, `${1}` and
// `${X:-y}` are shell syntax and pass through untouched so commands keep working.

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

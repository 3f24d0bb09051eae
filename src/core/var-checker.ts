// Resolves ${NAME} in checklist strings and explains, for each unresolved name, where it could
// have been defined — the operator's fix is one of those places.
//
// A value in `vars` or an environment's `vars` may itself use ${OTHER}: it is expanded, to any
// depth, and every reference obeys the one precedence (--set, the chosen environment, vars, the
// process environment). --set and process-environment values are literal: the shell that passed
// them has already expanded what it meant to. A var that uses its own name (`PATH: "${PATH}:/x"`)
// means the next source down, as in the shell. A cycle is an error naming it.
import type { Environment } from './model.js';
import { isSecretName } from './redact.js';
import { interpolateCommand } from './interpolate.js';
import type { ShellDialect } from './shell-ref.js';

const REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

export interface VarSources {
  set: Record<string, string>;
  top: Record<string, string>;
  processEnv: Record<string, string | undefined>;
  environments: Record<string, Environment>;
  /** The chosen environment, or null when none was chosen. */
  envName: string | null;
  /** Declared secret names (the checklist's `secrets`): a var using one is secret too. */
  secrets?: readonly string[];
  /** Vars declared without a value (`NAME:`): unresolved, they are asked for at run time, not an error. */
  unset?: readonly string[];
}

/** Where a var's value lives: `vars` or `environments.NAME.vars` (for positions). */
export interface VarSite {
  path: (string | number)[];
  name: string;
}

export interface VarCycle {
  /** Labels in order, first repeated at the end: vars.A → vars.B → vars.A. */
  chain: string[];
  /** The var whose value starts the cycle, and the reference in it that closes the loop. */
  at: VarSite;
  ref: string;
  /** Not a loop: a chain of vars nested deeper than MAX_VAR_DEPTH. */
  deep?: true;
}

export const MAX_VAR_DEPTH = 200;

interface Expanded {
  text: string;
  /** Names referenced (at any depth) that no source defines. */
  missing: string[];
  /** Uses a secret (at any depth): the var is secret itself. */
  secret: boolean;
}

/** A source of values: literal (--set, the process environment) or expanded, with a place in the file. */
type Layer = {
  vars: Record<string, string | undefined>;
  label: (name: string) => string;
} & ({ expand: false } | { expand: true; path: (name: string) => (string | number)[] });

/** A lookup by any name can miss, whatever the record's type says. */
const defines = (vars: Partial<Record<string, string>>, name: string): boolean => vars[name] !== undefined;

/** Expands vars over one choice of environment. */
class Resolver {
  readonly layers: Layer[];
  private readonly memo = new Map<string, Expanded>();
  readonly cycles: VarCycle[] = [];
  constructor(src: VarSources, envName: string | null) {
    this.layers = [
      { vars: src.set, expand: false, label: (n) => `--set ${n}` },
      // With no environment chosen this layer is empty, so its label and path are never asked for.
      envName
        ? {
            vars: src.environments[envName].vars,
            expand: true,
            label: (n) => `environments.${envName}.vars.${n}`,
            path: (n) => ['environments', envName, 'vars', n],
          }
        : { vars: {}, expand: true, label: (n) => `environments.null.vars.${n}`, path: (n) => ['environments', '', 'vars', n] },
      { vars: src.top, expand: true, label: (n) => `vars.${n}`, path: (n) => ['vars', n] },
      { vars: src.processEnv, expand: false, label: (n) => `$${n}` },
    ];
  }

  /** The layer that defines `name`, looking from `from` down. */
  find(name: string, from = 0): number {
    for (let i = from; i < this.layers.length; i++) if (this.layers[i].vars[name] !== undefined) return i;
    return -1;
  }

  resolve(name: string, secretNames: readonly string[]): Expanded | undefined {
    const i = this.find(name);
    return i < 0 ? undefined : this.expandAt(i, name, [], secretNames);
  }

  /** Expands `name` as layer i defines it; a name the layer does not define expands to nothing. */
  expandAt(i: number, name: string, stack: string[], secretNames: readonly string[]): Expanded {
    const layer = this.layers[i];
    const raw = layer.vars[name] ?? '';
    const secret = isSecretName(name, secretNames);
    if (!layer.expand || !raw.includes('${')) return { text: raw, missing: [], secret };
    const key = `${i}:${name}`;
    const hit = this.memo.get(key);
    if (hit) return hit;
    if (stack.length >= MAX_VAR_DEPTH) {
      // A chain this long is not a checklist anyone wrote; stop before the stack does.
      if (!this.cycles.some((c) => c.deep))
        this.cycles.push({
          chain: [this.labelOf(stack[0]), '…', layer.label(name)],
          at: { path: layer.path(name), name },
          ref: name,
          deep: true,
        });
      return { text: raw, missing: [], secret };
    }
    const missing = new Set<string>();
    let isSecret = secret;
    const inner = [...stack, key];
    const text = raw.replace(REF, (whole, ref: string) => {
      const j = this.find(ref, ref === name ? i + 1 : 0);
      if (j < 0) {
        missing.add(ref);
        return whole;
      }
      const refKey = `${j}:${ref}`;
      const back = inner.indexOf(refKey);
      if (back >= 0) {
        const chain = [...inner.slice(back), refKey].map((k) => this.labelOf(k));
        // Reported at the value that starts the loop, at its reference to the next var in it.
        const [fi, fname] = this.split(inner[back]);
        const next = back + 1 < inner.length ? this.split(inner[back + 1])[1] : ref;
        // The stack holds only vars being expanded, so the loop starts in a layer that expands.
        const start = this.layers[fi];
        if (start.expand) this.cycles.push({ chain, at: { path: start.path(fname), name: fname }, ref: next });
        return whole;
      }
      const sub = this.expandAt(j, ref, inner, secretNames);
      sub.missing.forEach((m) => missing.add(m));
      if (sub.secret) isSecret = true;
      return sub.text;
    });
    const out = { text, missing: [...missing], secret: isSecret };
    this.memo.set(key, out);
    return out;
  }

  private split(key: string): [number, string] {
    const c = key.indexOf(':');
    return [Number(key.slice(0, c)), key.slice(c + 1)];
  }

  private labelOf(key: string): string {
    const [i, name] = this.split(key);
    return this.layers[i].label(name);
  }
}

export class VarChecker {
  private readonly main: Resolver;
  private readonly secretNames: readonly string[];
  constructor(private readonly src: VarSources) {
    this.secretNames = src.secrets ?? [];
    this.main = new Resolver(src, src.envName);
  }

  /** runsheet's own vars (process env excluded), expanded, by precedence: commands get these in their env. */
  merged(): Record<string, string> {
    const envVars = this.src.envName ? this.src.environments[this.src.envName].vars : {};
    const out: Record<string, string> = {};
    for (const name of Object.keys({ ...this.src.top, ...envVars, ...this.src.set })) {
      const hit = this.main.resolve(name, this.secretNames);
      if (hit) out[name] = hit.text;
    }
    return out;
  }

  /** Names of runsheet's vars whose value uses a secret (so the value is a secret too). */
  derivedSecrets(): string[] {
    const envVars = this.src.envName ? this.src.environments[this.src.envName].vars : {};
    return Object.keys({ ...this.src.top, ...envVars, ...this.src.set }).filter(
      (n) => !isSecretName(n, this.secretNames) && this.main.resolve(n, this.secretNames)?.secret,
    );
  }

  apply(value: string): { text: string; missing: { name: string; message: string }[]; needs: { name: string; via: string }[] } {
    return this.applyWith(this.main, value, true);
  }

  /**
   * Like apply, for text a shell runs: a secret's ${NAME} (or a var whose value uses one) becomes
   * a shell reference to the variable — its value is in the command's environment (merged()) —
   * not the value (src/core/interpolate.ts), so `ps` never shows it.
   */
  applyCommand(
    value: string,
    dialect: ShellDialect | null,
  ): { text: string; missing: { name: string; message: string }[]; needs: { name: string; via: string }[]; inlined: string[] } {
    const { missing, needs } = this.apply(value);
    const values: Record<string, string | undefined> = {};
    for (const m of value.matchAll(REF)) values[m[1]] = this.main.resolve(m[1], this.secretNames)?.text;
    const isSecret = (n: string) => isSecretName(n, this.secretNames) || !!this.main.resolve(n, this.secretNames)?.secret;
    const { text, inlined } = interpolateCommand(value, values, isSecret, dialect);
    return { text, missing, needs, inlined };
  }

  /**
   * The value as each environment would make it, when none is chosen (for checks such as "is it
   * a URL" that an unresolved ${NAME} would otherwise hide). With an environment chosen, just that.
   */
  variants(value: string): { env: string | null; text: string }[] {
    const names = this.src.envName !== null ? [] : Object.keys(this.src.environments);
    if (!names.length) return [{ env: this.src.envName, text: this.apply(value).text }];
    return names.map((env) => ({ env, text: this.applyWith(new Resolver(this.src, env), value, false).text }));
  }

  /** Every cycle among the vars, under the chosen environment or (none chosen) under each one. */
  cycles(): VarCycle[] {
    const scenarios = this.src.envName !== null ? [this.src.envName] : [null, ...Object.keys(this.src.environments)];
    const seen = new Set<string>();
    const out: VarCycle[] = [];
    for (const env of scenarios) {
      const r = env === this.src.envName ? this.main : new Resolver(this.src, env);
      const envVars = env ? this.src.environments[env].vars : {};
      for (const n of Object.keys(envVars)) r.expandAt(1, n, [], this.secretNames);
      for (const n of Object.keys(this.src.top)) r.expandAt(2, n, [], this.secretNames);
      for (const c of r.cycles) {
        // One report per loop, whichever var it was entered from.
        const id = [...c.chain.slice(0, -1)].sort().join('|');
        if (seen.has(id)) continue;
        seen.add(id);
        out.push(c);
      }
    }
    return out;
  }

  private applyWith(
    r: Resolver,
    value: string,
    explain: boolean,
  ): { text: string; missing: { name: string; message: string }[]; needs: { name: string; via: string }[] } {
    const missing: { name: string; message: string }[] = [];
    // Declared without a value and given by no source: left as ${NAME}, filled in at run time.
    const needs: { name: string; via: string }[] = [];
    const reported = new Set<string>();
    const unset = new Set(this.src.unset ?? []);
    const need = (name: string, via: string) => {
      if (!needs.some((n) => n.name === name)) needs.push({ name, via });
    };
    const text = value.replace(REF, (whole, name: string) => {
      const hit = r.resolve(name, this.secretNames);
      if (!hit) {
        if (unset.has(name) && !this.everyEnvDefines(name)) {
          need(name, name);
          return whole;
        }
        if (explain && !reported.has(name)) {
          reported.add(name);
          const message = this.explain(name);
          if (message) missing.push({ name, message });
        }
        return whole;
      }
      if (explain) {
        for (const m of hit.missing) {
          if (unset.has(m) && !this.everyEnvDefines(m)) {
            need(m, name);
            continue;
          }
          if (reported.has(`${name}>${m}`)) continue;
          reported.add(`${name}>${m}`);
          const message = this.explain(m, name);
          if (message) missing.push({ name, message });
        }
      }
      return hit.text;
    });
    return { text, missing, needs };
  }

  /** No environment chosen, and every one defines it: it resolves once one is chosen. */
  private everyEnvDefines(name: string): boolean {
    const envs = Object.values(this.src.environments);
    return this.src.envName === null && envs.length > 0 && envs.every((e) => defines(e.vars, name));
  }

  /** Why name is undefined, or undefined when it is acceptable (defined in every environment). */
  private explain(name: string, via?: string): string | undefined {
    const envs = Object.values(this.src.environments);
    // A secret is never passed on the command line (ps shows it): name the ways that keep it off.
    const fix = isSecretName(name, this.src.secrets ?? [])
      ? `export ${name}, or pass --set-from-env ${name} or --vars-file FILE (a secret never goes in --set)`
      : `define it under "vars", pass --set ${name}=…, or export ${name}`;
    const ref = via ? `\${${name}} (used in the value of \${${via}})` : `\${${name}}`;
    if (this.src.envName) {
      return `${ref} is not defined in vars, environment "${this.src.envName}", --set, or the process environment: ${fix}`;
    }
    const having = envs.filter((e) => defines(e.vars, name)).map((e) => e.name);
    if (envs.length && having.length === envs.length) return undefined; // resolves once an env is chosen
    if (having.length) {
      const lacking = envs.filter((e) => !defines(e.vars, name)).map((e) => e.name);
      return `${ref} is defined only in environment${having.length > 1 ? 's' : ''} ${having.join(', ')}; missing in ${lacking.join(', ')}: ${fix}`;
    }
    return `${ref} is not defined in vars, any environment, --set, or the process environment: ${fix}`;
  }
}

// Resolves ${NAME} in checklist strings and explains, for each unresolved name, where it could
// have been defined — the operator's fix is one of those places.
import type { Environment } from './model.js';
import { interpolate, interpolateCommand, referencedVars } from './interpolate.js';
import { isSecretName } from './redact.js';
import type { ShellDialect } from './shell-ref.js';

export interface VarSources {
  set: Record<string, string>;
  top: Record<string, string>;
  processEnv: Record<string, string | undefined>;
  environments: Record<string, Environment>;
  /** The chosen environment, or null when none was chosen. */
  envName: string | null;
  /** The checklist's `secrets` (names with a secret suffix are secrets too). */
  secrets?: readonly string[];
}

export class VarChecker {
  private readonly values: Record<string, string | undefined>;
  constructor(private readonly src: VarSources) {
    const envVars = src.envName ? src.environments[src.envName].vars : {};
    this.values = { ...src.processEnv, ...src.top, ...envVars, ...src.set };
  }

  /** runsheet's own vars (process env excluded), by precedence: commands get these in their env. */
  merged(): Record<string, string> {
    const envVars = this.src.envName ? this.src.environments[this.src.envName].vars : {};
    return { ...this.src.top, ...envVars, ...this.src.set };
  }

  apply(value: string): { text: string; missing: { name: string; message: string }[] } {
    const missing: { name: string; message: string }[] = [];
    for (const name of new Set(referencedVars(value))) {
      if (this.values[name] !== undefined) continue;
      const message = this.explain(name);
      if (message) missing.push({ name, message });
    }
    return { text: interpolate(value, this.values), missing };
  }

  /**
   * Like apply, for text a shell runs: a secret's ${NAME} becomes a shell reference to the
   * variable (its value is in the command's environment), not the value (src/core/interpolate.ts).
   */
  applyCommand(value: string, dialect: ShellDialect | null): { text: string; missing: { name: string; message: string }[]; inlined: string[] } {
    const { missing } = this.apply(value);
    const declared = this.src.secrets ?? [];
    const { text, inlined } = interpolateCommand(value, this.values, (n) => isSecretName(n, declared), dialect);
    return { text, missing, inlined };
  }

  /** Why name is undefined, or undefined when it is acceptable (defined in every environment). */
  private explain(name: string): string | undefined {
    const envs = Object.values(this.src.environments);
    // A secret is never passed on the command line (ps shows it): name the ways that keep it off.
    const fix = isSecretName(name, this.src.secrets ?? [])
      ? `export ${name}, or pass --set-from-env ${name} or --vars-file FILE (a secret never goes in --set)`
      : `define it under "vars", pass --set ${name}=…, or export ${name}`;
    if (this.src.envName) {
      return `\${${name}} is not defined in vars, environment "${this.src.envName}", --set, or the process environment: ${fix}`;
    }
    const having = envs.filter((e) => e.vars[name] !== undefined).map((e) => e.name);
    if (envs.length && having.length === envs.length) return undefined; // resolves once an env is chosen
    if (having.length) {
      const lacking = envs.filter((e) => e.vars[name] === undefined).map((e) => e.name);
      return `\${${name}} is defined only in environment${having.length > 1 ? 's' : ''} ${having.join(', ')}; missing in ${lacking.join(', ')}: ${fix}`;
    }
    return `\${${name}} is not defined in vars, any environment, --set, or the process environment: ${fix}`;
  }
}

// The ways a secret's value could still reach a process's command line (or another place every
// local user can read), for `validate` and the start of a run to warn about. A secret's ${NAME}
// in `run:` and probe commands is written as a shell reference (src/core/interpolate.ts), so
// what is left is where a value stands in command text anyway: a quoted here-document, $'…'
// under `sh`, a `shell:` that is not a POSIX shell, a value typed into the command, or `cwd`.
import { allItems, type Checklist } from './model.js';
import { isSecretName } from './redact.js';
import { referencedVars } from './interpolate.js';

export interface ArgvWarning {
  /** Where: `item ID run`, `metric ID command`, … */
  where: string;
  message: string;
}

/** Secret names with their values (4+ characters, as redaction uses), from every layer a run sees. */
function secretEntries(c: Checklist, processEnv: Record<string, string | undefined>): [string, string][] {
  const out = new Map<string, string>();
  for (const src of [processEnv, c.vars, ...allItems(c).map((i) => i.env)]) {
    for (const [k, v] of Object.entries(src)) if (v && v.length >= 4 && isSecretName(k, c.secrets)) out.set(v, k);
  }
  return [...out].map(([v, k]) => [k, v]);
}

export function secretArgvWarnings(c: Checklist, processEnv: Record<string, string | undefined>): ArgvWarning[] {
  const entries = secretEntries(c, processEnv);
  const holding = (text: string | undefined) => (text ? entries.filter(([, v]) => text.includes(v)).map(([k]) => k) : []);
  const list = (names: string[]) => names.map((n) => `\${${n}}`).join(', ');
  const out: ArgvWarning[] = [];
  const phases = c.rollback ? [...c.phases, c.rollback] : c.phases;
  for (const p of phases) {
    for (const s of p.sections) {
      for (const it of s.items) {
        if (it.action.kind === 'run') {
          const names = holding(it.action.command);
          if (names.length) {
            out.push({
              where: `item ${it.id} run`,
              message: `the value of ${list(names)} is in the command text, so it is on the shell's command line (ps shows it): ${it.shell && !/(^|\/)(ba|da|k|mk|z|)sh$/.test(it.shell) ? `shell ${it.shell} is not a POSIX shell, which cannot read it by reference;` : "write ${NAME} outside a quoted here-document (<<'EOF') and $'…', or"} let the command read "$NAME" from its environment`,
            });
          }
        }
        const inCwd = holding(it.cwd);
        if (inCwd.length)
          out.push({
            where: `item ${it.id} cwd`,
            message: `the working directory holds the value of ${list(inCwd)}: it shows in /proc and in error messages; keep secrets out of paths`,
          });
        const inShell = it.shell ? referencedVars(it.shell).filter((n) => isSecretName(n, c.secrets)) : [];
        if (inShell.length || holding(it.shell).length)
          out.push({
            where: `item ${it.id} shell`,
            message: 'shell: names the program that runs the command and is never interpolated: a secret there is on the command line',
          });
      }
    }
  }
  for (const m of c.metrics) {
    if (m.source.kind !== 'command') continue;
    const names = holding(m.source.command);
    if (names.length)
      out.push({
        where: `metric ${m.id} command`,
        message: `the value of ${list(names)} is in the probe command (run by /bin/sh), so it is on its command line: write \${NAME} outside a quoted here-document and $'…', or "$NAME"`,
      });
  }
  return out;
}

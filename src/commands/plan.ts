// `runsheet plan FILE`: the resolved plan, nothing run. What you read here is what will execute.
import { resolve } from 'node:path';
import { loadChecklistFromText } from '../adapters/checklist-file.js';
import { UserError } from '../core/errors.js';
import { checklistSource, importedHint } from './checklist-source.js';
import { describeAction, kindLabel } from '../core/describe.js';
import { redact, checklistSecrets } from '../core/redact.js';
import { safeLine } from '../core/safe-text.js';
import { readVarOptions, refuseDeclaredSecretSets, type VarOptions } from './options.js';
import type { CliIo } from './io.js';

export async function planCommand(file: string, opts: { env?: string } & VarOptions, io: CliIo): Promise<number> {
  const set = await readVarOptions(opts, io.env, io.cwd);
  // Read relative to the command's cwd; problems still name the file as the operator typed it.
  // A Markdown runbook is imported on the fly, exactly as `run` does.
  const { text, imported } = await checklistSource(resolve(io.cwd, file), file);
  let c;
  try {
    ({ checklist: c } = loadChecklistFromText(text, file, { env: opts.env ?? null, set, processEnv: io.env }));
  } catch (e) {
    if (imported && e instanceof UserError) throw new UserError(e.message, { details: [...e.details, importedHint(file)] });
    throw e;
  }
  refuseDeclaredSecretSets(opts.set, c.secrets);
  const secrets = checklistSecrets(c, io.env);
  const out: string[] = [];
  if (imported) out.push(`(imported from ${file})`);
  out.push(`${c.title}${c.env ? `  [env: ${c.env}${c.environments[c.env].confirm ? ', confirmation required' : ''}]` : ''}`);
  const unset = [...new Set((c.unset ?? []).map((u) => u.name))];
  // Those commands show ${NAME} as written: the value is given when the item runs.
  if (unset.length)
    out.push(`needs values: ${unset.join(', ')} (asked when the item runs, or ${unset.map((n) => `--set ${n}=…`).join(' ')})`);
  if (c.description) out.push(...c.description.trim().split(/\r?\n/));
  const phases = c.rollback ? [...c.phases, c.rollback] : c.phases;
  let n = 0;
  for (const p of phases) {
    out.push('', `${p.rollback ? 'ROLLBACK TRACK' : 'PHASE'}: ${p.title}  (${p.id})`);
    for (const s of p.sections) {
      if (s.title) out.push(`  ${s.title}`);
      for (const it of s.items) {
        n++;
        const flags = [it.critical ? 'critical' : '', it.confirm ? 'confirm' : ''].filter(Boolean);
        out.push(
          `    ${String(n).padStart(3)}. [${kindLabel(it)}] ${it.title}  (${it.id})${flags.length ? `  {${flags.join(', ')}}` : ''}`,
        );
        // A multi-line command stays on its lines (a line break there separates commands).
        for (const l of redact(describeAction(it), secrets).split(/\r?\n/)) out.push(`         ${l}`);
        const gate = it.when?.answer;
        if (gate) out.push(`         only if "${gate.title}" is ${gate.is.join(' or ')} (n/a otherwise)`);
      }
    }
    if (p.signoff.length) out.push(`  sign-off: ${p.signoff.join(', ')}`);
  }
  if (c.dropped.length) {
    out.push('', `Dropped for ${c.env ? `env ${c.env}` : 'no --env'}:`);
    for (const d of c.dropped) out.push(`  - ${d.title} (${d.id}): ${d.reason}`);
  }
  if (c.reference.length) {
    // Titles only: a plan says what will run, and reference material never runs.
    out.push('', 'Reference (reading only, never run; `d` in the TUI shows it):');
    for (const r of c.reference) out.push(`  - ${r.title}`);
  }
  // Every entry is one line of the plan: titles, commands and the description come from the
  // checklist, so each is escaped and kept on its line.
  io.stdout(`${out.map((l) => safeLine(redact(l, secrets))).join('\n')}\n`);
  return 0;
}

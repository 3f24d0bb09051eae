// `runsheet plan FILE`: the resolved plan, nothing run. What you read here is what will execute.
import { resolve } from 'node:path';
import { loadChecklistFromText, readUserText } from '../adapters/checklist-file.js';
import { describeAction, kindLabel } from '../core/describe.js';
import { redact, checklistSecrets } from '../core/redact.js';
import { readVarOptions, refuseDeclaredSecretSets, type VarOptions } from './options.js';
import type { CliIo } from './io.js';

export async function planCommand(file: string, opts: { env?: string } & VarOptions, io: CliIo): Promise<number> {
  const set = await readVarOptions(opts, io.env, io.cwd);
  // Read relative to the command's cwd; problems still name the file as the operator typed it.
  const { text } = await readUserText(resolve(io.cwd, file), 'checklist', undefined, file);
  const { checklist: c } = loadChecklistFromText(text, file, { env: opts.env ?? null, set, processEnv: io.env });
  refuseDeclaredSecretSets(opts.set, c.secrets);
  const secrets = checklistSecrets(c, io.env);
  const out: string[] = [];
  out.push(`${c.title}${c.env ? `  [env: ${c.env}${c.environments[c.env]?.confirm ? ', confirmation required' : ''}]` : ''}`);
  if (c.description) out.push(c.description.trim());
  const phases = c.rollback ? [...c.phases, c.rollback] : c.phases;
  let n = 0;
  for (const p of phases) {
    out.push('', `${p.rollback ? 'ROLLBACK TRACK' : 'PHASE'}: ${p.title}  (${p.id})`);
    for (const s of p.sections) {
      if (s.title) out.push(`  ${s.title}`);
      for (const it of s.items) {
        n++;
        const flags = [it.critical ? 'critical' : '', it.confirm ? 'confirm' : ''].filter(Boolean);
        out.push(`    ${String(n).padStart(3)}. [${kindLabel(it)}] ${it.title}  (${it.id})${flags.length ? `  {${flags.join(', ')}}` : ''}`);
        out.push(`         ${describeAction(it)}`);
      }
    }
    if (p.signoff.length) out.push(`  sign-off: ${p.signoff.join(', ')}`);
  }
  if (c.dropped.length) {
    out.push('', `Dropped for ${c.env ? `env ${c.env}` : 'no --env'}:`);
    for (const d of c.dropped) out.push(`  - ${d.title} (${d.id}): ${d.reason}`);
  }
  io.stdout(`${redact(out.join('\n'), secrets)}\n`);
  return 0;
}

// `runsheet validate FILE...`: one summary line per good file; every problem of every bad file.
import { resolve } from 'node:path';
import { allItems, isAutomated } from '../core/model.js';
import { formatProblem, loadChecklistText } from '../core/load.js';
import { isUserError } from '../core/errors.js';
import { readUserText } from '../adapters/checklist-file.js';
import { secretArgvWarnings } from '../core/secret-argv.js';
import { safeLine } from '../core/safe-text.js';
import { readVarOptions, refuseDeclaredSecretSets, type VarOptions } from './options.js';
import type { CliIo } from './io.js';

export async function validateCommand(files: string[], opts: { env?: string } & VarOptions, io: CliIo): Promise<number> {
  const set = await readVarOptions(opts, io.env, io.cwd);
  let bad = 0;
  for (const file of files) {
    let text: string;
    try {
      ({ text } = await readUserText(resolve(io.cwd, file), 'checklist', undefined, file));
    } catch (e) {
      if (!isUserError(e)) throw e;
      io.stderr(`${e.message}\n`);
      bad++;
      continue;
    }
    const { checklist, problems } = loadChecklistText(text, file, { env: opts.env ?? null, set, processEnv: io.env });
    if (!checklist) {
      for (const p of problems) io.stderr(`${formatProblem(p)}\n`);
      bad++;
      continue;
    }
    refuseDeclaredSecretSets(opts.set, checklist.secrets);
    const items = allItems(checklist);
    const automated = items.filter(isAutomated).length;
    io.stdout(
      `${file}: ok — "${checklist.title}": ${checklist.phases.length} phases, ${items.length} items (${automated} automated, ${items.length - automated} manual/record)` +
        `${checklist.rollback ? ', rollback track' : ''}${checklist.metrics.length ? `, ${checklist.metrics.length} metrics` : ''}\n`,
    );
    // Warnings, not problems: the checklist still runs, but a secret would be on a command line.
    for (const w of secretArgvWarnings(checklist, io.env)) io.stderr(`${safeLine(`${file}: warning: ${w.where}: ${w.message}`)}\n`);
  }
  return bad ? 2 : 0;
}

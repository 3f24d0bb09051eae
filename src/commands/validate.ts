// `runsheet validate FILE...`: one summary line per good file; every problem of every bad file.
// Markdown files are imported on the fly, as `run` does.
import { resolve } from 'node:path';
import { allItems } from '../core/model.js';
import { isAutomated } from '../core/kinds.js';
import { formatProblem, loadChecklistText } from '../core/load.js';
import { isUserError } from '../core/errors.js';
import { secretArgvWarnings } from '../core/secret-argv.js';
import { safeLine } from '../core/safe-text.js';
import { checklistSource, importedHint } from './checklist-source.js';
import { readVarOptions, refuseDeclaredSecretSets, type VarOptions } from './options.js';
import type { CliIo } from './io.js';

export async function validateCommand(files: string[], opts: { env?: string } & VarOptions, io: CliIo): Promise<number> {
  const set = await readVarOptions(opts, io.env, io.cwd);
  let bad = 0;
  for (const file of files) {
    let text: string;
    let imported: boolean;
    try {
      // A Markdown runbook is imported on the fly, exactly as `run` does.
      ({ text, imported } = await checklistSource(resolve(io.cwd, file), file));
    } catch (e) {
      if (!isUserError(e)) throw e;
      io.stderr(`${safeLine(e.message)}\n`);
      bad++;
      continue;
    }
    const { checklist, problems } = loadChecklistText(text, file, { env: opts.env ?? null, set, processEnv: io.env });
    if (!checklist) {
      // A problem quotes the author's keys and values: one line each, controls escaped.
      for (const p of problems) io.stderr(`${safeLine(formatProblem(p))}\n`);
      if (imported) io.stderr(`${safeLine(importedHint(file))}\n`);
      bad++;
      continue;
    }
    refuseDeclaredSecretSets(opts.set, checklist.secrets);
    const items = allItems(checklist);
    const automated = items.filter(isAutomated).length;
    io.stdout(
      safeLine(
        `${file}: ok${imported ? ' (imported from Markdown)' : ''} — "${checklist.title}": ${checklist.phases.length} phases, ${items.length} items (${automated} automated, ${items.length - automated} manual/record)` +
          `${checklist.rollback ? ', rollback track' : ''}${checklist.metrics.length ? `, ${checklist.metrics.length} metrics` : ''}` +
          (checklist.reference.length
            ? `, ${checklist.reference.length} reference section${checklist.reference.length > 1 ? 's' : ''}`
            : ''),
      ) + '\n',
    );
    // Warnings, not problems: the checklist still runs, but a secret would be on a command line.
    for (const w of secretArgvWarnings(checklist, io.env)) io.stderr(`${safeLine(`${file}: warning: ${w.where}: ${w.message}`)}\n`);
    // Not a problem (exit 0): a var declared without a value is asked for when its item runs.
    for (const u of checklist.unset ?? []) {
      io.stdout(
        `${safeLine(`${file}:${u.pos.line}:${u.pos.col}: note: \${${u.name}} has no value yet (used by "${u.title}"): runsheet asks for it when the item runs, or pass --set ${u.name}=…`)}\n`,
      );
    }
  }
  return bad ? 2 : 0;
}

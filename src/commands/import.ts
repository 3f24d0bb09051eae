// `runsheet import FILE.md [-o OUT.yaml] [--title T] [--http-checks]`: Markdown (or pasted text)
// checklist → runsheet YAML on stdout or in OUT, with a summary of what went where on stderr.
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { readUserText, sha256 } from '../adapters/checklist-file.js';
import { UserError } from '../core/errors.js';
import { formatProblem, loadChecklistText } from '../core/load.js';
import { formatSummary, importMarkdown, type ImportSummary } from '../core/import/index.js';
import { safeLine, safeText } from '../core/safe-text.js';
import type { CliIo } from './io.js';

/** Markdown files are documents, not YAML, but parsing Markdown is slow (~100 KB/s): 1 MB is far past any checklist. */
export const MAX_IMPORT_BYTES = 1024 * 1024;

export interface ImportedFile {
  yaml: string;
  /** sha256 of the source file's bytes (what a run records as its checklist hash). */
  sha256: string;
  summary: ImportSummary;
}

async function importFile(path: string, shownAs: string, opts: { title?: string; httpChecks?: boolean }): Promise<ImportedFile> {
  const { text, bytes } = await readUserText(path, 'Markdown file', MAX_IMPORT_BYTES);
  const hash = sha256(bytes);
  const { yaml, summary } = importMarkdown(text, { source: shownAs, sourceSha256: hash, title: opts.title, httpChecks: opts.httpChecks });
  return { yaml, sha256: hash, summary };
}

/** For `runsheet run FILE.md`: the imported YAML in memory, and the Markdown's sha256. */
export async function importFileForRun(path: string, opts: { title?: string; httpChecks?: boolean } = {}): Promise<ImportedFile> {
  return importFile(path, path, opts);
}

export interface ImportOptions {
  output?: string;
  title?: string;
  httpChecks?: boolean;
}

export async function importCommand(file: string, opts: ImportOptions, io: CliIo): Promise<number> {
  if (opts.output && resolve(io.cwd, opts.output) === resolve(io.cwd, file)) {
    throw new UserError(`-o ${opts.output} is the file being imported: writing there would replace your Markdown; choose another -o path`);
  }
  const { yaml, summary } = await importFile(resolve(io.cwd, file), file, opts);
  // The importer is meant to always produce a valid checklist; if it did not, say so rather than
  // hand the operator a file that fails later.
  const { problems } = loadChecklistText(yaml, opts.output ?? file, { processEnv: io.env });
  if (opts.output) {
    try {
      await writeFile(resolve(io.cwd, opts.output), yaml);
    } catch (e) {
      throw new UserError(
        `${opts.output}: cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): choose another -o path`,
      );
    }
  } else io.stdout(yaml);
  // The summary quotes the imported Markdown (a wiki page: untrusted text).
  io.stderr(safeText(formatSummary(summary)));
  if (opts.output) io.stderr(`Wrote ${opts.output}; check it with: runsheet validate ${opts.output}\n`);
  if (problems.length) {
    io.stderr(
      `The imported checklist does not validate (please report this as a runsheet bug):\n${problems.map((p) => `  ${safeLine(formatProblem(p))}`).join('\n')}\n`,
    );
    return 1;
  }
  return 0;
}

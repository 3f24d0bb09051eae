// Where a checklist's YAML comes from: the file itself, or — for Markdown and plain text — the
// importer, in memory. `run`, `validate` and `plan` all read a checklist through here, so a
// runbook that runs also validates and plans, with the same result.
import { readUserText, sha256 } from '../adapters/checklist-file.js';
import { UserError } from '../core/errors.js';

export interface ChecklistSource {
  text: string;
  sha256: string;
  /** The text is YAML the importer made from Markdown (so line:col are in that YAML, not the file). */
  imported: boolean;
}

export function isMarkdownPath(path: string): boolean {
  return /\.(md|markdown|txt)$/i.test(path);
}

/** Checklist source text for a path: YAML as is, Markdown/plain text through the importer. */
export async function checklistSource(path: string, shownAs = path): Promise<ChecklistSource> {
  if (isMarkdownPath(path)) {
    const { importFileForRun } = await import('./import.js');
    try {
      const r = await importFileForRun(path);
      return { text: r.yaml, sha256: r.sha256, imported: true };
    } catch (e) {
      // Messages name the file as the operator typed it, not the resolved path.
      if (e instanceof UserError && shownAs !== path) throw new UserError(e.message.split(path).join(shownAs));
      throw e;
    }
  }
  const { text, bytes } = await readUserText(path, 'checklist', undefined, shownAs);
  return { text, sha256: sha256(bytes), imported: false };
}

/** The hint after problems in an imported checklist: where those line:col numbers point. */
export function importedHint(file: string): string {
  return `${file}: the line:col above are in the YAML imported from this Markdown; see it with: runsheet import ${file} -o ${file.replace(/\.(md|markdown|txt)$/i, '')}.yaml`;
}

// Reads a checklist file from disk and loads it, turning every failure into a UserError that
// names the file (and line:col for content problems).
import { readFile, stat } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import type { Checklist } from '../core/model.js';
import { formatProblem, loadChecklistText, MAX_CHECKLIST_BYTES, type LoadOptions } from '../core/load.js';
import { UserError } from '../core/errors.js';

export interface LoadedFile {
  checklist: Checklist;
  text: string;
  sha256: string;
}

/** Reads a text file a user named, with the checks every input gets: exists, size, UTF-8. */
export async function readUserText(
  path: string,
  what = 'file',
  maxBytes = MAX_CHECKLIST_BYTES,
  shownAs = path,
): Promise<{ text: string; bytes: Buffer }> {
  const result = await readChecked(path, what, maxBytes).catch((e: unknown) => {
    // Messages name the file as the operator typed it, not the resolved path.
    if (e instanceof UserError && shownAs !== path) throw new UserError(e.message.split(path).join(shownAs));
    throw e;
  });
  return result;
}

async function readChecked(path: string, what: string, maxBytes: number): Promise<{ text: string; bytes: Buffer }> {
  let size: number;
  try {
    const st = await stat(path);
    if (st.isDirectory()) throw new UserError(`${path}: is a directory, not a ${what}`);
    size = st.size;
  } catch (e) {
    if (e instanceof UserError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(code === 'ENOENT' ? `${path}: no such ${what}` : `${path}: cannot read ${what} (${code ?? (e as Error).message})`);
  }
  if (size > maxBytes)
    throw new UserError(`${path}: ${what} is ${(size / 1048576).toFixed(1)} MB; the limit is ${Math.round(maxBytes / 1048576)} MB`);
  const bytes = await readFile(path);
  if (bytes.includes(0)) throw new UserError(`${path}: binary data (NUL bytes): not a text ${what}`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new UserError(`${path}: not valid UTF-8 text: save the ${what} as UTF-8`);
  }
  return { text: text.replace(/^\uFEFF/, ''), bytes };
}

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function loadChecklistFromText(text: string, file: string, opts: LoadOptions): LoadedFile {
  const { checklist, problems } = loadChecklistText(text, file, opts);
  if (!checklist) {
    const lines = problems.map(formatProblem);
    throw new UserError(lines[0], { details: lines.slice(1) });
  }
  return { checklist, text, sha256: sha256(text) };
}

export async function loadChecklistFile(path: string, opts: LoadOptions): Promise<LoadedFile> {
  const { text, bytes } = await readUserText(path, 'checklist');
  const loaded = loadChecklistFromText(text, path, opts);
  return { ...loaded, sha256: sha256(bytes) };
}

// Reading a report file for verify and sign.
import { readFile } from 'node:fs/promises';
import { UserError } from '../core/errors.js';

/** The report's text; a file that is not JSON text at all is the wrong file (exit 2), not a forged report. */
export async function readReportText(path: string, shown: string): Promise<string> {
  const bytes = await readFile(path).catch((e: unknown) => {
    const err = e as NodeJS.ErrnoException;
    throw new UserError(`${shown}: cannot read the report (${err.code ?? err.message})`);
  });
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    JSON.parse(text);
    return text;
  } catch {
    throw new UserError(`${shown}: not a runsheet report (not JSON text): pass the .report.json file written by \`runsheet report\``);
  }
}

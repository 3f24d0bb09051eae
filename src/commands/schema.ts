// `runsheet schema`: the JSON Schema for editors (yaml-language-server).
import { checklistJsonSchema } from '../core/schema.js';
import type { CliIo } from './io.js';

export function schemaCommand(io: CliIo): number {
  io.stdout(`${JSON.stringify(checklistJsonSchema(), null, 2)}\n`);
  return 0;
}

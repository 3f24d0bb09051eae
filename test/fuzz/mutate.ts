// Mutations for fuzzing checklists and Markdown: byte flips, line deletions and duplications,
// truncation, renamed keys, swapped value types, inserted junk. Pure functions of (bytes, mutation)
// so fast-check can shrink a failing case to the smallest list of edits.
import fc from 'fast-check';
import { captureIo } from '../support/capture-io.js';
import { main } from '../../src/cli/main.js';

export type Mutation =
  | { kind: 'flip'; at: number; xor: number }
  | { kind: 'delete-line'; at: number }
  | { kind: 'dup-line'; at: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'rename-key'; at: number; to: string }
  | { kind: 'swap-type'; at: number; to: string }
  | { kind: 'insert'; at: number; text: string };

// Keys the format knows (so a rename can land on a real but wrong key) and near-misses.
const KEYS = [
  'id',
  'title',
  'run',
  'http',
  'check',
  'expect',
  'record',
  'snapshot',
  'compare',
  'items',
  'sections',
  'phases',
  'metrics',
  'timeout',
  'retries',
  'signoff',
  'when',
  'env',
  'vars',
  'cwd',
  'confirm',
  'on_disconnect',
  'version',
  'rollback',
  'url',
  'json',
  'status',
];
const VALUES = [
  '[]',
  '{}',
  '0',
  '-1',
  '1e308',
  '.inf',
  '.nan',
  'true',
  'null',
  '~',
  '""',
  "'x'",
  '[a, [b, [c]]]',
  '{a: {b: 1}}',
  '*anchor',
  '&anchor x',
  '!!binary aGk=',
  '9999999999999999999999',
  '"${UNDEFINED_VAR}"',
  'none',
  '|',
  '>-',
];

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('delete-line' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('dup-line' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('rename-key' as const),
    at: fc.nat(),
    to: fc.oneof(fc.constantFrom(...KEYS), fc.string({ minLength: 1, maxLength: 8 })),
  }),
  fc.record({ kind: fc.constant('swap-type' as const), at: fc.nat(), to: fc.constantFrom(...VALUES) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom('\n', '- [ ] ', '```\n', '  ', '\t', '# ', '> ', '${', '&a ', '*a', '\u0000', '\uFEFF', '\r\n'),
    ),
  }),
);

export const mutations = fc.array(mutation, { minLength: 1, maxLength: 4 });

// Bytes as latin1 text keep every byte (and so invalid UTF-8 made by flips) intact.
const text = (b: Buffer) => b.toString('latin1');
const bytes = (s: string) => Buffer.from(s, 'latin1');

function editLines(b: Buffer, at: number, f: (lines: string[], i: number) => void): Buffer {
  const lines = text(b).split('\n');
  f(lines, at % lines.length);
  return bytes(lines.join('\n'));
}

/** Replaces the match number `at` (mod the count) of `re` with `to`, via group 1 when present. */
function replaceNth(b: Buffer, re: RegExp, at: number, to: string): Buffer {
  const s = text(b);
  const hits = [...s.matchAll(re)];
  if (!hits.length) return b;
  const m = hits[at % hits.length];
  // Group 1 is absent from the match when the pattern has none (or it did not take part).
  const group = m.at(1);
  const start = m.index + (group !== undefined ? m[0].indexOf(group) : 0);
  const len = group !== undefined ? group.length : m[0].length;
  return bytes(s.slice(0, start) + Buffer.from(to, 'utf8').toString('latin1') + s.slice(start + len));
}

export function apply(input: Buffer, m: Mutation): Buffer {
  if (!input.length) return input;
  switch (m.kind) {
    case 'flip': {
      const b = Buffer.from(input);
      b[m.at % b.length] ^= m.xor;
      return b;
    }
    case 'delete-line':
      return editLines(input, m.at, (ls, i) => ls.splice(i, 1));
    case 'dup-line':
      return editLines(input, m.at, (ls, i) => ls.splice(i, 0, ls[i]));
    case 'truncate':
      return input.subarray(0, m.at % input.length);
    case 'rename-key':
      return replaceNth(input, /([A-Za-z_][\w-]*):(?=\s)/g, m.at, m.to);
    case 'swap-type':
      return replaceNth(input, /:[ \t]+([^\n,{}[\]#]+)/g, m.at, m.to);
    case 'insert': {
      const at = m.at % (input.length + 1);
      return Buffer.concat([input.subarray(0, at), Buffer.from(m.text, 'utf8'), input.subarray(at)]);
    }
  }
}

export function applyAll(input: Buffer, ms: Mutation[]): Buffer {
  return ms.reduce(apply, input);
}

/** Runs the CLI in-process; the outcome a fuzz property checks. */
export async function cli(args: string[], cwd: string, home: string): Promise<{ code: number; out: string }> {
  const c = captureIo({ cwd, home, env: { PATH: process.env.PATH ?? '' }, isTTY: false });
  const code = await main(['node', 'runsheet', ...args], c.io);
  return { code, out: c.out() + c.err() };
}

/** What must never happen, whatever the input: a crash, a stack trace, an exit other than 0/2. */
export function problemWith(r: { code: number; out: string }): string | null {
  if (r.code !== 0 && r.code !== 2) return `exit ${r.code}`;
  if (/^\s+at /m.test(r.out)) return 'a stack trace in the output';
  if (/internal error/i.test(r.out)) return '"internal error" in the output';
  return null;
}

/** RUNSHEET_FUZZ_SCALE multiplies run counts and time limits (e.g. 10 for a long local hunt). */
export const SCALE = ((k) => (Number.isFinite(k) && k > 0 ? k : 1))(Number(process.env.RUNSHEET_FUZZ_SCALE ?? 1));

export function runs(base: number): number {
  return Math.max(1, Math.round(base * SCALE));
}

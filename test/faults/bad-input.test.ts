// Issue 7.4: malformed input to every command exits 2 with one clear line — no stack trace, no
// "internal error", nothing on stdout — as a real process. One table; the fixtures are built once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from '../support/tmp.js';
import { crashSigns, onlyRun, runIds, runRunsheet } from './harness.js';

let t: Awaited<ReturnType<typeof tempDir>>;
let runId = '';

const item = (extra: string) => `version: 1
title: T
phases:
  - title: P
    items:
      - {id: a, title: A, run: 'echo hi', ${extra}}
`;

function billionLaughs(): string {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 10; i++) {
    const prev = String.fromCharCode(96 + i);
    const me = String.fromCharCode(97 + i);
    lines.push(`${me}: &${me} [${Array(9).fill(`*${prev}`).join(',')}]`);
  }
  return `${lines.join('\n')}\n`;
}

beforeAll(async () => {
  t = await tempDir('rs-fault-input-');
  const f = (name: string, data: string | Buffer) => writeFile(join(t.dir, name), data);
  await f('ok.yaml', item('check: true'));
  await f('bomb.yaml', billionLaughs());
  await f('big.yaml', Buffer.alloc(50 * 1024 * 1024, '#'));
  await f('binary.yaml', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37) % 256)));
  await f('latin1.yaml', Buffer.concat([Buffer.from('version: 1\ntitle: "caf'), Buffer.from([0xe9]), Buffer.from('"\n')]));
  await f('deep-flow.yaml', '['.repeat(100_000));
  await f(
    'deep-map.yaml',
    `version: 1\ntitle: x\nphases:\n  - title: p\n    items:\n      - title: t\n        env: ${'{a: '.repeat(5000)}${'}'.repeat(5000)}\n`,
  );
  await f('deep-block.yaml', `a:\n${Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i + 1)}b:`).join('\n')}\n`);
  await f('deep-dash.yaml', '- '.repeat(50_000));
  await f('empty.yaml', '');
  await f('list.yaml', '- version: 1\n');
  await f('timeout-huge.yaml', item('timeout: 1e308'));
  await f('timeout-inf.yaml', item('timeout: .inf'));
  await f('timeout-neg.yaml', item('timeout: -1'));
  await f('timeout-str.yaml', item("timeout: '99999999999999999999h'"));
  await f('retries-neg.yaml', item('retries: -1'));
  await f('retries-huge.yaml', item('retries: 1e9'));
  await f('exit-huge.yaml', item('expect: {exit: 1e308}'));
  await f('samples-zero.yaml', `${item('check: true')}samples: 0\n`);
  await f('cwd-nul.yaml', item('cwd: "/tmp\\0/x"'));
  await f('deep.md', `${'>'.repeat(100_000)} x\n`);
  await f('deep-list.md', Array.from({ length: 1000 }, (_, i) => `${'  '.repeat(i)}- [ ] x`).join('\n'));
  await f('marks.md', '*a'.repeat(100_000));
  await f('nothing.md', 'Just prose.\n\nMore prose.\n');
  await f('notjson.json', 'not json at all\n');
  await f('array.json', '[]');
  await f('deep.json', `${'['.repeat(100_000)}${']'.repeat(100_000)}`);
  await f(
    'snap-damaged.json',
    JSON.stringify({
      schema: 'runsheet.snapshot/v1',
      label: 'x',
      run_id: null,
      checklist: 'c',
      environment: null,
      taken_at: 'now',
      probes: 'lots',
    }),
  );
  await f('answers-bomb.yaml', billionLaughs());
  await f('answers-binary.yaml', Buffer.from([0, 1, 2, 3]));
  await f('in.md', '# T\n\n- [ ] one\n');
  await mkdir(join(t.dir, 'adir'));
  await f('afile', 'not a directory\n');

  // A real run, and a copy of its home with a complete-but-garbage line in events.jsonl.
  const home = join(t.dir, 'home');
  const r = await runRunsheet(['run', 'ok.yaml', '--auto'], { cwd: t.dir, home });
  expect(r.code, r.stderr).toBe(0);
  runId = await onlyRun(home);
  await cp(home, join(t.dir, 'home-bad-events'), { recursive: true });
  const log = join(t.dir, 'home-bad-events', 'runs', runId, 'events.jsonl');
  const lines = (await readFile(log, 'utf8')).split('\n');
  lines[1] = 'garbage';
  await writeFile(log, lines.join('\n'));
}, 60_000);
afterAll(async () => t.cleanup());

type Row = [label: string, args: () => string[], message: RegExp, home?: string];

// Rows are built before the fixture run exists; '<RUN>' is its id.
const RUN = () => '<RUN>';
const rows: Row[] = [
  // every checklist command on the same malformed files
  ...(['validate', 'plan', 'run'] as const).flatMap((cmd): Row[] => {
    const a = (file: string) => () => (cmd === 'run' ? ['run', file, '--auto'] : [cmd, file]);
    return [
      [`${cmd}: billion laughs`, a('bomb.yaml'), /Excessive alias count/],
      [`${cmd}: 50 MB file`, a('big.yaml'), /checklist is 50\.0 MB; the limit is 5 MB/],
      [`${cmd}: binary file`, a('binary.yaml'), /binary data \(NUL bytes\): not a text checklist/],
      [`${cmd}: invalid UTF-8`, a('latin1.yaml'), /not valid UTF-8 text: save the checklist as UTF-8/],
      [`${cmd}: 100k "["`, a('deep-flow.yaml'), /nested more than 100 levels deep/],
      [`${cmd}: 5000 nested flow maps`, a('deep-map.yaml'), /nested more than 100 levels deep/],
      [`${cmd}: 2000 nested block maps`, a('deep-block.yaml'), /nested more than 100 levels deep/],
      [`${cmd}: 50k nested "- "`, a('deep-dash.yaml'), /nested more than 100 levels deep/],
      [`${cmd}: empty file`, a('empty.yaml'), /a checklist is a YAML mapping with version, title and phases/],
      [`${cmd}: a list, not a mapping`, a('list.yaml'), /a checklist is a YAML mapping/],
      [`${cmd}: timeout 1e308`, a('timeout-huge.yaml'), /duration 1e\+308 \(seconds\) is longer than a week/],
      [`${cmd}: NUL in cwd`, a('cwd-nul.yaml'), /phases\.0\.items\.0\.cwd: contains a NUL character/],
      [`${cmd}: missing file`, a('nope.yaml'), /nope\.yaml: no such checklist/],
      [`${cmd}: a directory`, a('adir'), /adir: is a directory, not a checklist/],
    ];
  }),
  ['validate: timeout .inf', () => ['validate', 'timeout-inf.yaml'], /timeout: Invalid input/],
  ['validate: timeout -1', () => ['validate', 'timeout-neg.yaml'], /timeout: Too small/],
  ['validate: timeout 99999999999999999999h', () => ['validate', 'timeout-str.yaml'], /is longer than a week/],
  ['validate: retries -1', () => ['validate', 'retries-neg.yaml'], /retries: Too small: expected number to be >=0/],
  ['validate: retries 1e9', () => ['validate', 'retries-huge.yaml'], /retries: Too big: expected number to be <=100/],
  ['validate: exit 1e308', () => ['validate', 'exit-huge.yaml'], /expect\.exit: Too big/],
  ['validate: samples 0', () => ['validate', 'samples-zero.yaml'], /samples: Too small/],
  ['run: --jobs 0', () => ['run', 'ok.yaml', '--auto', '--jobs', '0'], /--jobs must be a whole number from 1 to 64/],
  ['run: --jobs 1e9', () => ['run', 'ok.yaml', '--auto', '--jobs', '1000000000'], /--jobs must be a whole number from 1 to 64/],
  [
    'run: answers are a YAML bomb',
    () => ['run', 'ok.yaml', '--auto', '--answers', 'answers-bomb.yaml'],
    /answers-bomb\.yaml: not valid YAML/,
  ],
  [
    'run: answers are binary',
    () => ['run', 'ok.yaml', '--auto', '--answers', 'answers-binary.yaml'],
    /binary data \(NUL bytes\): not a text answers file/,
  ],
  // run ids are directory names
  ...(['resume', 'status', 'report'] as const).flatMap((cmd): Row[] => {
    const a = (id: string) => () =>
      cmd === 'report' ? ['report', id, '--unsigned'] : cmd === 'resume' ? ['resume', id, '--auto'] : ['status', id];
    return [
      [`${cmd}: ../x`, a('../x'), /"\.\.\/x" is not a valid run id/],
      [`${cmd}: ..`, a('..'), /"\.\." is not a valid run id/],
      [`${cmd}: /etc`, a('/etc'), /"\/etc" is not a valid run id/],
      [`${cmd}: unknown id`, a('20990101-000000-nope-0000'), /no run "20990101-000000-nope-0000" in .*runs/],
      [`${cmd}: events.jsonl garbage`, a(RUN()), /events\.jsonl:2: the event log is corrupt in the middle/, 'home-bad-events'],
    ];
  }),
  [
    'report: -o a directory',
    () => ['report', RUN(), '--unsigned', '-o', 'adir'],
    /adir: cannot write the report \(EISDIR\): choose another -o path/,
  ],
  [
    'report: -o under /proc',
    () => ['report', RUN(), '--unsigned', '-o', '/proc/runsheet-nope/r.json'],
    /\/proc\/runsheet-nope\/r\.json: cannot write the report \(ENOENT\)/,
  ],
  ['report: --format pdf', () => ['report', RUN(), '--unsigned', '--format', 'pdf'], /--format "pdf": use json, md or html/],
  ['verify: not JSON', () => ['verify', 'notjson.json'], /notjson\.json: not a runsheet report \(not JSON text\)/],
  ['verify: binary', () => ['verify', 'binary.yaml'], /binary\.yaml: not a runsheet report \(not JSON text\)/],
  ['verify: invalid UTF-8', () => ['verify', 'latin1.yaml'], /latin1\.yaml: not a runsheet report/],
  ['verify: a directory', () => ['verify', 'adir'], /adir: is a directory, not a report/],
  ['verify: missing', () => ['verify', 'nope.json'], /nope\.json: cannot read the report \(ENOENT\)/],
  ['verify: --threshold 0', () => ['verify', 'notjson.json', '--threshold', '0'], /--threshold must be a whole number from 1 to 100/],
  ['import: binary', () => ['import', 'binary.yaml'], /binary data \(NUL bytes\): not a text Markdown file/],
  ['import: invalid UTF-8', () => ['import', 'latin1.yaml'], /not valid UTF-8 text/],
  ['import: 50 MB', () => ['import', 'big.yaml'], /Markdown file is 50\.0 MB; the limit is 1 MB/],
  ['import: 100k nested quotes', () => ['import', 'deep.md'], /deep\.md:1: lists or quotes nested more than 100 levels deep/],
  ['import: 1000 nested lists', () => ['import', 'deep-list.md'], /deep-list\.md:101: lists or quotes nested more than 100 levels deep/],
  ['import: 100k "*a"', () => ['import', 'marks.md'], /marks\.md:1: more than 4000 markup characters/],
  ['import: no checklist in it', () => ['import', 'nothing.md'], /nothing\.md holds no checklist/],
  ['import: -o onto its own source', () => ['import', 'in.md', '-o', './in.md'], /-o \.\/in\.md is the file being imported/],
  ['import: -o a directory', () => ['import', 'in.md', '-o', 'adir'], /adir: cannot write \(EISDIR\)/],
  [
    'import: -o in a missing directory',
    () => ['import', 'in.md', '-o', 'no/such/dir.yaml'],
    /no\/such\/dir\.yaml: cannot write \(ENOENT\)/,
  ],
  [
    'snapshot diff: not JSON',
    () => ['snapshot', 'diff', 'notjson.json', 'notjson.json'],
    /notjson\.json is not JSON, so not a runsheet snapshot/,
  ],
  ['snapshot diff: binary', () => ['snapshot', 'diff', 'binary.yaml', 'binary.yaml'], /binary\.yaml is not JSON/],
  [
    'snapshot diff: a JSON array',
    () => ['snapshot', 'diff', 'array.json', 'array.json'],
    /array\.json is not a runsheet snapshot \(no schema field/,
  ],
  ['snapshot diff: 100k nested arrays', () => ['snapshot', 'diff', 'deep.json', 'deep.json'], /deep\.json is not a runsheet snapshot/],
  [
    'snapshot diff: damaged snapshot',
    () => ['snapshot', 'diff', 'snap-damaged.json', 'snap-damaged.json'],
    /snap-damaged\.json is a damaged snapshot: probes: /,
  ],
  [
    'snapshot diff: 50 MB',
    () => ['snapshot', 'diff', 'big.yaml', 'big.yaml'],
    /big\.yaml is 50\.0 MB: too large to be a runsheet snapshot/,
  ],
  ['snapshot diff: a directory', () => ['snapshot', 'diff', 'adir', 'adir'], /cannot read snapshot file .*adir \(EISDIR\)/],
  ['snapshot diff: missing', () => ['snapshot', 'diff', 'nope.json', 'nope.json'], /snapshot file .*nope\.json does not exist/],
  [
    'run: $RUNSHEET_HOME is a file',
    () => ['run', 'ok.yaml', '--auto'],
    /cannot create the run in .*afile\/runs \(ENOTDIR\): set RUNSHEET_HOME to a writable directory/,
    'afile',
  ],
  ['keygen: $RUNSHEET_HOME is a file', () => ['keygen'], /cannot create .*afile\/keys \(ENOTDIR\): set RUNSHEET_HOME/, 'afile'],
  ['keygen: a name with a path in it', () => ['keygen', '--name', '../../x'], /"\.\.\/\.\.\/x" is not a valid key name/],
  ['unknown command', () => ['frobnicate'], /unknown command 'frobnicate'/],
];

describe('malformed input: exit 2, one line, no crash', () => {
  it.concurrent.each(rows)('%s', async (_label, args, message, homeName) => {
    const home = join(t.dir, homeName ?? 'home');
    const before = await runIds(home);
    const r = await runRunsheet(
      args().map((a) => (a === '<RUN>' ? runId : a)),
      { cwd: t.dir, home },
      30_000,
    );
    const lines = r.stderr.split('\n').filter((l) => l && !l.startsWith('(run with --help'));
    expect(crashSigns(r.stderr + r.stdout)).toEqual([]);
    expect(r.code, r.stderr).toBe(2);
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(r.stdout).toBe('');
    // Refused input never leaves a half-made run behind.
    expect(await runIds(home)).toEqual(before);
  });
});

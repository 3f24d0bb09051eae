// The text commands escape untrusted text themselves (captured io: no process-level net here):
// validate, plan, a headless run, status, runs, the Markdown report, import's summary and error
// messages print no control character, keep each record on its own line, and their JSON output
// is still JSON that gives back the exact text.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { processIo } from '../../src/commands/io.js';
import { tempDir, testIo } from '../support/tmp.js';
import { hostile, yq } from '../support/hostile.js';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;

function noControls(what: string, text: string): void {
  const m = CONTROL.exec(text);
  if (m)
    throw new Error(
      `${what}: U+${m[0].charCodeAt(0).toString(16).padStart(4, '0')} in ${JSON.stringify(text.slice(Math.max(0, m.index - 40), m.index + 40))}`,
    );
}

// A title that tries to forge a line of output as well.
const FORGE = '\nFORGED-LINE\r\nFORGED-CRLF';
const CHECKLIST = `version: 1
title: ${yq(hostile('CLTITLE') + FORGE)}
description: ${yq(hostile('DESC'))}
vars: {EVIL: ${yq(hostile('VAR'))}}
phases:
  - title: ${yq(hostile('PHASE') + FORGE)}
    id: p1
    sections:
      - title: ${yq(hostile('SECTION'))}
        items:
          - {title: ${yq(hostile('ITEM') + FORGE)}, id: tickme}
          - {title: Echo, id: echo, run: 'echo "\${EVIL}"', check: true}
          - {title: Say, id: say, record: text}
          - {title: Skip, id: skipme}
`;
const ANSWERS = `tickme: tick
say: {record: ${yq(hostile('ANSWER') + FORGE)}}
skipme: {skip: ${yq(hostile('REASON') + FORGE)}}
`;

let t: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  t = await tempDir('rs-untrusted-');
  await writeFile(join(t.dir, 'h.yaml'), CHECKLIST);
  await writeFile(join(t.dir, 'answers.yaml'), ANSWERS);
});
afterEach(async () => t.cleanup());

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const c = testIo(t.dir, { RUNSHEET_OPERATOR: 'ann' });
  const code = await main(['node', 'runsheet', ...args], c.io);
  return { code, out: c.out(), err: c.err() };
}

describe('text commands escape untrusted text', () => {
  it('validate, plan, run --auto, status, runs, report --format md: no control, no forged line', async () => {
    const outputs: [string, { out: string; err: string }][] = [];
    const run = async (...args: string[]) => {
      const r = await cli(...args);
      outputs.push([args.join(' '), r]);
      return r;
    };
    expect((await run('validate', 'h.yaml')).code).toBe(0);
    expect((await run('plan', 'h.yaml')).code).toBe(0);
    const headless = await run('run', 'h.yaml', '--auto', '--answers', 'answers.yaml');
    expect(headless.code, headless.err).toBe(0);
    const id = (JSON.parse((await cli('runs', '--json')).out) as { id: string }[])[0].id;
    expect((await run('status', id)).code).toBe(0);
    expect((await run('runs')).code).toBe(0);
    expect((await run('report', id, '--format', 'md', '--unsigned', '-o', '-')).code).toBe(0);
    // Error messages that echo what the operator typed.
    expect((await run('status', `20260101-000000-x${hostile('ARG')}`)).code).not.toBe(0);
    expect((await run('validate', `missing${hostile('FILE')}.yaml`)).code).not.toBe(0);
    for (const [what, r] of outputs) {
      noControls(`${what}: stdout`, r.out);
      noControls(`${what}: stderr`, r.err);
      for (const line of (r.out + r.err).split('\n')) expect(line, `${what}: a forged line`).not.toMatch(/^FORGED/);
    }
    const all = outputs.map(([, r]) => r.out + r.err).join('\n');
    for (const tag of ['CLTITLE', 'DESC', 'PHASE', 'SECTION', 'ITEM', 'VAR', 'ANSWER', 'REASON'])
      expect(all, tag).toContain(`${tag}\\x1b]0;PWN-TITLE\\x07`);
  });

  it('JSON output (runs, status, run --json) stays JSON and gives back the exact text', async () => {
    const headless = await cli('run', 'h.yaml', '--auto', '--json', '--answers', 'answers.yaml');
    noControls('run --json', headless.out);
    const events = headless.out
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { type: string; value?: string; checklist?: { title: string } });
    expect(events.find((e) => e.type === 'item.recorded')?.value).toBe(hostile('ANSWER') + FORGE);
    expect(events.find((e) => e.type === 'run.started')?.checklist?.title).toBe(hostile('CLTITLE') + FORGE);
    const runs = await cli('runs', '--json');
    noControls('runs --json', runs.out);
    const [row] = JSON.parse(runs.out) as { id: string; checklist: string }[];
    expect(row.checklist).toBe(hostile('CLTITLE') + FORGE);
    const st = await cli('status', row.id, '--json');
    noControls('status --json', st.out);
    const view = JSON.parse(st.out) as { phases: { title: string; items: { id: string; value: unknown; reason: unknown }[] }[] };
    expect(view.phases[0].title).toBe(hostile('PHASE') + FORGE);
    expect(view.phases[0].items.find((i) => i.id === 'skipme')?.reason).toBe(hostile('REASON') + FORGE);
  });

  it("import's summary quotes the wiki page escaped", async () => {
    await writeFile(
      join(t.dir, 'wiki.md'),
      `# ${hostile('WIKI')}\n\n## ${hostile('SEC')}\n\n- [ ] ${hostile('STEP')}\n- [ ] run \`echo ${hostile('CMD')}\`\n`,
    );
    const r = await cli('import', 'wiki.md', '-o', 'out.yaml');
    noControls('import stderr', r.err);
    noControls('import stdout', r.out);
  });

  it('the process boundary escapes whatever a command did not (the net under every command)', () => {
    const written: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => (written.push(String(s)), true));
    const spyErr = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => (written.push(String(s)), true));
    try {
      const io = processIo();
      io.stdout('a\x1b]52;c;QQ==\x07b\n');
      io.stderr('c\x9b2Jd\u202e\n');
      io.stdout('{"t":"\\u001b"}\n');
    } finally {
      spy.mockRestore();
      spyErr.mockRestore();
    }
    expect(written).toEqual(['a\\x1b]52;c;QQ==\\x07b\n', 'c\\x9b2Jd\\u202e\n', '{"t":"\\u001b"}\n']);
  });
});

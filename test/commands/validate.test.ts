import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { tempDir, testIo, writeChecklist } from '../support/tmp.js';

let t: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => (t = await tempDir('rs-validate-')));
afterEach(async () => t.cleanup());

const good = 'version: 1\ntitle: Good\nphases:\n  - title: P\n    items:\n      - {title: a}\n      - {title: b, run: "true"}\n';

async function cli(...args: string[]) {
  const c = testIo(t.dir);
  const code = await main(['node', 'runsheet', ...args], c.io);
  return { code, out: c.out(), err: c.err() };
}

describe('runsheet validate / plan / schema', () => {
  it('prints one summary line per valid file and exits 0', async () => {
    const f = await writeChecklist(t.dir, 'good.yaml', good);
    const r = await cli('validate', f);
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toBe(`${f}: ok — "Good": 1 phases, 2 items (1 automated, 1 manual/record)\n`);
  });

  it('prints every problem of every bad file as FILE:LINE:COL and exits 2, never a stack trace', async () => {
    const bad = await writeChecklist(
      t.dir,
      'bad.yaml',
      good.replace('{title: a}', '{title: a, tiemout: 5s}').replace('title: b,', 'title: b, http: {url: "http://x"},'),
    );
    const r = await cli('validate', bad, join(t.dir, 'missing.yaml'));
    expect(r.code).toBe(2);
    expect(r.err.split('\n').filter(Boolean)).toEqual([
      `${bad}:6:20: unknown key "tiemout" (did you mean "timeout"?)`,
      `${join(t.dir, 'missing.yaml')}: no such checklist`,
    ]);
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('plan prints the resolved commands with secrets masked and the dropped items', async () => {
    const f = await writeChecklist(
      t.dir,
      'p.yaml',
      `version: 1
title: Plan
secrets: [DB_URL]
environments: {prod: {}, staging: {}}
phases:
  - title: P
    signoff: [Tech Lead]
    items:
      - {title: migrate, run: 'migrate --db \${DB_URL} --as \${WHO}'}
      - {title: only prod, when: {env: prod}}
`,
    );
    const c = testIo(t.dir, { DB_URL: 'postgres://u:pw@db/x' });
    expect(await main(['node', 'runsheet', 'plan', f, '--env', 'staging', '--set', 'WHO=ann'], c.io)).toBe(0);
    // A secret in a command is the reference the shell expands, never the value.
    expect(c.out()).toContain('$ migrate --db "${DB_URL}" --as ann');
    expect(c.out()).toContain('sign-off: Tech Lead');
    expect(c.out()).toMatch(/Dropped for env staging:\n {2}- only prod \(only-prod\): only when env is prod/);
    expect(c.out()).not.toContain('pw@db');
  });

  it('schema prints a JSON Schema that knows the item keys', async () => {
    const r = await cli('schema');
    const schema = JSON.parse(r.out);
    expect(JSON.stringify(schema)).toContain('require_env');
    expect(schema.title).toBe('runsheet checklist v1');
  });

  it('validate and plan import a Markdown runbook on the fly, as run does', async () => {
    const md = await writeChecklist(
      t.dir,
      'deploy.md',
      '# Deploy web\n\n## Checks\n\n- [ ] Service is healthy\n- [ ] Run `npm test`\n\n## Release\n\n- [ ] Tell the team\n',
    );
    const v = await cli('validate', md);
    expect(v.err).toBe('');
    expect(v.code).toBe(0);
    expect(v.out).toMatch(
      new RegExp(`^${md.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: ok \\(imported from Markdown\\) — "Deploy web": \\d+ phases`),
    );
    const p = await cli('plan', md);
    expect(p.code).toBe(0);
    expect(p.out.split('\n').slice(0, 2)).toEqual([`(imported from ${md})`, 'Deploy web']);
    expect(p.out).toContain('Tell the team');
    // The same file as YAML would be a syntax error: the hint must be gone, the import used.
    expect(v.out + p.out).not.toMatch(/YAML syntax error/);
    // A problem in the imported checklist says where its line:col point.
    const bad = await cli('validate', md, '--env', 'nosuch');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain(
      `${md}: the line:col above are in the YAML imported from this Markdown; see it with: runsheet import ${md} -o`,
    );
  });

  it('plan shows what a choice gates and lists the reference sections by title; validate counts them', async () => {
    const f = await writeChecklist(
      t.dir,
      'r.yaml',
      `version: 1
title: Gated
phases:
  - title: P
    items:
      - {id: method, title: Rollback method, record: choice, options: [kubernetes, docker-compose]}
      - {title: kubectl undo, run: kubectl rollout undo, when: {answer: {item: method, is: kubernetes}}}
reference:
  - {title: Contacts, notes: "| a | b |\\n|---|---|\\n| 1 | 2 |"}
  - {title: "Escape \\e[31m here", notes: x}
`,
    );
    const p = await cli('plan', f);
    expect(p.code, p.err).toBe(0);
    expect(p.out).toContain('only if "Rollback method" is kubernetes (n/a otherwise)');
    expect(p.out).toMatch(/Reference \(reading only, never run; `d` in the TUI shows it\):\n {2}- Contacts\n {2}- Escape .*here\n$/);
    expect(p.out).not.toContain('\u001b');
    expect(p.out).not.toContain('| 1 | 2 |');
    const v = await cli('validate', f);
    expect(v.out).toContain(', 2 reference sections\n');
  });

  it('a Markdown file that cannot be read names the file as typed', async () => {
    const v = await cli('validate', 'nope.md');
    expect(v.code).toBe(2);
    expect(v.err).toMatch(/^nope\.md: no such/);
  });

  it('usage errors exit 2', async () => {
    expect((await cli('validate')).code).toBe(2);
    expect((await cli('frobnicate')).code).toBe(2);
    expect((await cli('plan', 'x.yaml', '--set', 'bad')).code).toBe(2);
  });
});

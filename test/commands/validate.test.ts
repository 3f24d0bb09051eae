import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { tempDir, testIo, writeChecklist } from '../helpers/tmp.js';

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
    const bad = await writeChecklist(t.dir, 'bad.yaml', good.replace('{title: a}', '{title: a, tiemout: 5s}').replace('title: b,', 'title: b, http: {url: "http://x"},'));
    const r = await cli('validate', bad, join(t.dir, 'missing.yaml'));
    expect(r.code).toBe(2);
    expect(r.err.split('\n').filter(Boolean)).toEqual([
      `${bad}:6:20: unknown key "tiemout" (did you mean "timeout"?)`,
      `${join(t.dir, 'missing.yaml')}: no such checklist`,
    ]);
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('plan prints the resolved commands with secrets masked and the dropped items', async () => {
    const f = await writeChecklist(t.dir, 'p.yaml', `version: 1
title: Plan
secrets: [DB_URL]
environments: {prod: {}, staging: {}}
phases:
  - title: P
    signoff: [Tech Lead]
    items:
      - {title: migrate, run: 'migrate --db \${DB_URL} --as \${WHO}'}
      - {title: only prod, when: {env: prod}}
`);
    const c = testIo(t.dir, { DB_URL: 'postgres://u:pw@db/x' });
    expect(await main(['node', 'runsheet', 'plan', f, '--env', 'staging', '--set', 'WHO=ann'], c.io)).toBe(0);
    // A secret in a command is the reference the shell expands, never the value.
    expect(c.out()).toContain('$ migrate --db "${DB_URL}" --as ann');
    expect(c.out()).toContain('sign-off: Tech Lead');
    expect(c.out()).toMatch(/Dropped for env staging:\n  - only prod \(only-prod\): only when env is prod/);
    expect(c.out()).not.toContain('pw@db');
  });

  it('schema prints a JSON Schema that knows the item keys', async () => {
    const r = await cli('schema');
    const schema = JSON.parse(r.out);
    expect(JSON.stringify(schema)).toContain('require_env');
    expect(schema.title).toBe('runsheet checklist v1');
  });

  it('usage errors exit 2', async () => {
    expect((await cli('validate')).code).toBe(2);
    expect((await cli('frobnicate')).code).toBe(2);
    expect((await cli('plan', 'x.yaml', '--set', 'bad')).code).toBe(2);
  });
});

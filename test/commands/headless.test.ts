import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCommand } from '../../src/commands/run.js';
import { statusCommand, runsCommand } from '../../src/commands/runs.js';
import { checkChain, type RunEvent } from '../../src/core/events.js';
import { tempDir, testIo, writeChecklist } from '../support/tmp.js';
import { startServer } from '../support/http-server.js';

let t: Awaited<ReturnType<typeof tempDir>>;
let server: Awaited<ReturnType<typeof startServer>>;
let healthy = true;
beforeEach(async () => {
  t = await tempDir('rs-headless-');
  healthy = true;
  server = await startServer({
    '/health': () => (healthy ? { status: 200, body: '{"database":"ok"}' } : { status: 503, body: '{"database":"down"}' }),
  });
});
afterEach(async () => {
  await server.close();
  await t.cleanup();
});

const checklist = (url: string) => `version: 1
title: Headless demo
vars: {API_URL: '${url}'}
secrets: [DB_PASSWORD]
phases:
  - title: Pre
    signoff: [Tech Lead]
    items:
      - title: Say hello
        id: hello
        run: echo hello $DB_PASSWORD
        expect: {stdout_contains: hello}
      - title: Health
        id: health
        http: {url: '\${API_URL}/health', json: {database: ok}}
      - title: Check A
        id: check-a
        run: 'true'
        check: true
      - title: Check B
        id: check-b
        run: 'echo b'
        check: true
      - title: Reviewed
        id: reviewed
      - title: p95
        id: p95
        record: number
        unit: ms
  - title: Deploy
    items:
      - title: Ship it
        id: ship
        run: echo shipped
`;

async function events(home: string): Promise<RunEvent[]> {
  const [runId] = await readdir(join(home, 'runs'));
  const text = await readFile(join(home, 'runs', runId, 'events.jsonl'), 'utf8');
  return text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
}

describe('headless run', () => {
  it('stops with exit 3 listing what needs an operator, then completes from --answers on resume', async () => {
    const file = await writeChecklist(t.dir, 'c.yaml', checklist(server.url));
    const c1 = testIo(t.dir, { DB_PASSWORD: 'hunter2-secret' });
    expect(await runCommand({ file, auto: true }, c1.io)).toBe(3);
    expect(c1.err()).toContain('reviewed: manual item');
    expect(c1.err()).toContain('p95: record item');
    expect(c1.err()).toContain('sign-off needed from Tech Lead');
    expect(c1.out()).toMatch(/✓ hello "Say hello" passed: exit 0/);
    expect(c1.out()).not.toContain('ship');

    const answers = join(t.dir, 'answers.yaml');
    await writeFile(answers, 'reviewed: tick\np95: {record: 120ms}\npre: {signoff: [{name: Ann, role: Tech Lead}]}\n');
    const c2 = testIo(t.dir, { DB_PASSWORD: 'hunter2-secret' });
    expect(await runCommand({ file, auto: true, answers }, c2.io)).toBe(0);
    expect(c2.out()).toContain('run resumed');
    expect(c2.out()).toMatch(/✓ ship "Ship it" passed/);
    const ev = await events(join(t.dir, 'home'));
    expect(checkChain(ev)).toEqual([]);
    expect(ev.filter((e) => e.type === 'item.started' && e.item === 'hello')).toHaveLength(1); // never re-run
    expect(ev.at(-1)).toMatchObject({ type: 'run.finished', status: 'passed' });
    expect(ev.find((e) => e.type === 'item.recorded')).toMatchObject({ value: 120, unit: 'ms' });
  });

  it('skips items an earlier choice made n/a, and waits (exit 3) on items whose choice is unanswered', async () => {
    const file = await writeChecklist(
      t.dir,
      'c.yaml',
      `version: 1
title: Choice
phases:
  - title: P
    items:
      - {title: Rollback method, id: method, record: choice, options: [kubernetes, docker-compose]}
      - {title: Kube, id: kube, run: 'echo kube-ran', when: {answer: {item: method, is: kubernetes}}}
      - {title: Kube check, id: kcheck, run: 'echo kcheck-ran', check: true, when: {answer: {item: method, is: kubernetes}}}
      - {title: Compose, id: compose, run: 'echo compose-ran', when: {answer: {item: method, is: docker-compose}}}
`,
    );
    const c1 = testIo(t.dir);
    expect(await runCommand({ file, auto: true }, c1.io)).toBe(3);
    expect(c1.err()).toContain('method: record item');
    expect(c1.err()).toContain('kube: applies only if "Rollback method" is kubernetes: answer "Rollback method" (method) first');
    const answers = join(t.dir, 'answers.yaml');
    await writeFile(answers, 'method: {record: docker-compose}\n');
    const c2 = testIo(t.dir);
    expect(await runCommand({ file, auto: true, answers }, c2.io)).toBe(0);
    const ev = await events(join(t.dir, 'home'));
    expect(ev.filter((e) => e.type === 'item.started').map((e) => (e as { item: string }).item)).toEqual(['compose']);
    const s = testIo(t.dir);
    const [runId] = await readdir(join(t.dir, 'home', 'runs'));
    expect(await statusCommand(runId, { json: true }, s.io)).toBe(0);
    const items = JSON.parse(s.out()).phases[0].items;
    expect(items.find((i: { id: string }) => i.id === 'kube')).toMatchObject({
      status: 'n/a',
      reason: 'Rollback method is docker-compose',
    });
  });

  it("masks a secret that only an item's own env holds (a *_TOKEN set in the checklist) in output, logs and events", async () => {
    const file = await writeChecklist(
      t.dir,
      'c.yaml',
      `version: 1
title: Item env secret
phases:
  - title: P
    items:
      - title: Push
        id: push
        run: printf 'token=%s\\n' "$DEPLOY_TOKEN"
        env: {DEPLOY_TOKEN: tok-0123456789-item-only}
`,
    );
    const c = testIo(t.dir);
    expect(await runCommand({ file, auto: true }, c.io)).toBe(0);
    const files = await readdir(join(t.dir, 'home'), { recursive: true, withFileTypes: true });
    // The run keeps a byte-exact copy of its checklist (resume needs it); a value typed into the
    // checklist is the checklist author's to protect. Everything runsheet itself wrote is checked.
    const written = await Promise.all(
      files.filter((f) => f.isFile() && f.name !== 'checklist.yaml').map((f) => readFile(join(f.parentPath, f.name), 'utf8')),
    );
    expect(written.join('\n')).toContain('token=***');
    for (const text of [...written, c.out(), c.err()]) expect(text).not.toContain('tok-0123456789-item-only');
  });

  it('a check marked confirm: true runs headless only with --yes (otherwise exit 3 naming the flag)', async () => {
    const file = await writeChecklist(
      t.dir,
      'c.yaml',
      `version: 1
title: Confirm check
phases:
  - title: P
    items:
      - {title: Plain, id: plain, run: 'true', check: true}
      - {title: Guarded, id: guarded, run: 'true', check: true, confirm: true}
`,
    );
    const c1 = testIo(t.dir);
    expect(await runCommand({ file, auto: true }, c1.io)).toBe(3);
    expect(c1.err()).toContain('guarded: asks for confirmation: pass --yes');
    expect((await events(join(t.dir, 'home'))).some((e) => e.type === 'item.started' && e.item === 'guarded')).toBe(false);
    const c2 = testIo(t.dir);
    expect(await runCommand({ file, auto: true, yes: true }, c2.io)).toBe(0);
    expect(c2.out()).toMatch(/✓ guarded "Guarded" passed/);
  });

  it('exits 1 on a failing check and does not run later actions', async () => {
    healthy = false;
    const file = await writeChecklist(t.dir, 'c.yaml', checklist(server.url));
    const c = testIo(t.dir);
    expect(await runCommand({ file, auto: true }, c.io)).toBe(1);
    expect(c.out()).toMatch(/✗ health "Health" failed: HTTP 503 \(expected 2xx\)/);
    expect(c.err()).toContain('failed at: health');
    expect((await events(join(t.dir, 'home'))).some((e) => e.type === 'item.started' && e.item === 'ship')).toBe(false);
  });

  it('prints JSON Lines with --json, and status --json agrees with the events', async () => {
    const file = await writeChecklist(t.dir, 'c.yaml', checklist(server.url));
    const c = testIo(t.dir);
    await runCommand({ file, auto: true, json: true }, c.io);
    const lines = c
      .out()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ seq: 1, type: 'run.started' });
    const runId = lines[0].runId as string;
    const s = testIo(t.dir);
    expect(await statusCommand(runId, { json: true }, s.io)).toBe(0);
    const status = JSON.parse(s.out());
    const items = status.phases.flatMap((p: { items: { id: string; status: string }[] }) => p.items);
    expect(Object.fromEntries(items.map((i: { id: string; status: string }) => [i.id, i.status]))).toEqual({
      hello: 'passed',
      health: 'passed',
      'check-a': 'passed',
      'check-b': 'passed',
      reviewed: 'pending',
      p95: 'pending',
      ship: 'pending',
    });
    const r = testIo(t.dir);
    await runsCommand({ json: true }, r.io);
    expect(JSON.parse(r.out())[0]).toMatchObject({ id: runId, status: 'active', progress: '4/7' });
  });

  it('never writes a secret value to disk or output', async () => {
    const file = await writeChecklist(t.dir, 'c.yaml', checklist(server.url));
    const c = testIo(t.dir, { DB_PASSWORD: 'hunter2-secret', API_TOKEN: 'tok-abcdef-123' });
    await runCommand({ file, auto: true, set: ['GREETING=tok-abcdef-123'] }, c.io);
    const home = join(t.dir, 'home');
    const [runId] = await readdir(join(home, 'runs'));
    const dir = join(home, 'runs', runId);
    const files = [
      join(dir, 'events.jsonl'),
      join(dir, 'state.json'),
      ...(await readdir(join(dir, 'logs'))).map((f) => join(dir, 'logs', f)),
    ];
    for (const f of files) {
      const text = await readFile(f, 'utf8');
      expect(text, f).not.toContain('hunter2-secret');
      expect(text, f).not.toContain('tok-abcdef-123');
    }
    expect(c.out() + c.err()).not.toContain('hunter2-secret');
    expect(await readFile(join(dir, 'logs', 'hello.1.stdout.log'), 'utf8')).toBe('hello ***\n');
  });

  it('asks for --confirm-env on environments that require confirmation', async () => {
    const file = await writeChecklist(
      t.dir,
      'c.yaml',
      checklist(server.url).replace('secrets:', 'environments: {production: {confirm: true}}\nsecrets:'),
    );
    const c = testIo(t.dir);
    await expect(runCommand({ file, auto: true, env: 'production' }, c.io)).rejects.toThrow(/pass --confirm-env production/);
    expect(await runCommand({ file, auto: true, env: 'production', confirmEnv: 'production' }, testIo(t.dir).io)).toBe(3);
  });
});

// Vars declared without a value (`NAME:` / `NAME: null`): load keeps ${NAME} for the run to fill
// in and says where it is used; validate notes it (exit 0); plan lists it; headless stops for an
// operator naming it (exit 3) and runs with a value from --set or the answers file's `vars:`.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { loadChecklistText } from '../../src/core/load.js';
import { allItems } from '../../src/core/model.js';
import { fillItem } from '../../src/core/interpolate.js';
import { checklistJsonSchema } from '../../src/core/schema.js';
import { tempDir, testIo, writeChecklist } from '../support/tmp.js';

let t: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => (t = await tempDir('rs-vars-unset-')));
afterEach(async () => t.cleanup());

const YAML = `version: 1
title: Deploy
vars:
  PREVIOUS_COMMIT_HASH:
  HOST: null
  BASE: "http://\${HOST}:8080"
phases:
  - title: Rollback
    items:
      - title: Roll back the code
        run: git -C . log -1 --format=%H \${PREVIOUS_COMMIT_HASH} || echo "hash=\${PREVIOUS_COMMIT_HASH}"
      - title: Health
        http: {url: "\${BASE}/health"}
      - {title: Only on prod, run: 'echo \${PREVIOUS_COMMIT_HASH}', when: {env: prod}}
environments:
  prod: {}
  staging: {}
`;

async function cli(args: string[], env: Record<string, string> = {}) {
  const c = testIo(t.dir, env);
  const code = await main(['node', 'runsheet', ...args], c.io);
  return { code, out: c.out(), err: c.err() };
}

describe('load', () => {
  it('keeps ${NAME} as written, lists what each kept item needs, with the line:col of its use', () => {
    const { checklist, problems } = loadChecklistText(YAML, 'deploy.yaml', { processEnv: {} });
    expect(problems).toEqual([]);
    const [roll, health] = allItems(checklist!);
    expect(roll.action).toMatchObject({
      command: 'git -C . log -1 --format=%H ${PREVIOUS_COMMIT_HASH} || echo "hash=${PREVIOUS_COMMIT_HASH}"',
    });
    expect(roll.needs).toEqual(['PREVIOUS_COMMIT_HASH']);
    expect(health.needs).toEqual(['HOST']);
    expect(health.action).toMatchObject({ http: { url: 'http://${HOST}:8080/health' } });
    // The dropped item (env prod, none chosen) is not listed; positions point at the ${NAME} (or the var using it).
    expect(checklist!.unset).toEqual([
      { name: 'PREVIOUS_COMMIT_HASH', item: 'roll-back-the-code', title: 'Roll back the code', pos: { line: 11, col: 42 } },
      { name: 'HOST', item: 'health', title: 'Health', pos: { line: 13, col: 22 } },
    ]);
    expect(checklist!.vars).toEqual({ BASE: 'http://${HOST}:8080' });
    // Filled in at run time, nothing re-loaded.
    const filled = fillItem(health, { HOST: 'db1' });
    expect(filled.action).toMatchObject({ http: { url: 'http://db1:8080/health' } });
    expect(filled.env).toEqual({ HOST: 'db1' });
  });

  it('any source gives it a value by the usual precedence: --set, the environment, the process environment', () => {
    const withEnv = YAML.replace('  prod: {}', '  prod: {vars: {PREVIOUS_COMMIT_HASH: fromenv}}');
    const bySet = loadChecklistText(YAML, 'd.yaml', {
      set: { PREVIOUS_COMMIT_HASH: 'abc', HOST: 'h' },
      processEnv: { PREVIOUS_COMMIT_HASH: 'proc' },
    }).checklist!;
    expect(bySet.unset).toBeUndefined();
    expect(allItems(bySet)[0].action).toMatchObject({ command: 'git -C . log -1 --format=%H abc || echo "hash=abc"' });
    const byEnv = loadChecklistText(withEnv, 'd.yaml', { env: 'prod', processEnv: { PREVIOUS_COMMIT_HASH: 'proc' } }).checklist!;
    expect(allItems(byEnv)[0].action).toMatchObject({ command: expect.stringContaining('%H fromenv ||') });
    const byProc = loadChecklistText(YAML, 'd.yaml', { processEnv: { PREVIOUS_COMMIT_HASH: 'proc' } }).checklist!;
    expect(allItems(byProc)[0].needs).toBeUndefined();
    expect(byProc.unset?.map((u) => u.name)).toEqual(['HOST']);
  });

  it('an undeclared ${NAME} is still an error; `NAME: ""` is a value (empty), not a question', () => {
    expect(loadChecklistText(YAML.replace('  HOST: null\n', ''), 'd.yaml', { processEnv: {} }).problems[0].message).toMatch(
      /\$\{HOST\} \(used in the value of \$\{BASE\}\) is not defined/,
    );
    const empty = loadChecklistText(YAML.replace('PREVIOUS_COMMIT_HASH:\n', 'PREVIOUS_COMMIT_HASH: ""\n'), 'd.yaml', {
      processEnv: {},
    }).checklist!;
    expect(allItems(empty)[0].needs).toBeUndefined();
  });

  it('a metric cannot wait for a value: using a var without one is a problem at its ${NAME}', () => {
    const text = YAML.replace('phases:', 'metrics:\n  - {id: lag, command: "echo ${PREVIOUS_COMMIT_HASH}"}\nphases:');
    const { problems } = loadChecklistText(text, 'd.yaml', { processEnv: {} });
    expect(problems.map((p) => `${p.line}:${p.col}: ${p.message}`)).toEqual([
      '8:30: ${PREVIOUS_COMMIT_HASH} has no value, and a metric is probed without asking: give it one in vars, with --set PREVIOUS_COMMIT_HASH=…, or export PREVIOUS_COMMIT_HASH',
    ]);
  });

  it('the JSON Schema accepts a var without a value', () => {
    const vars = (checklistJsonSchema() as { properties: { vars: { additionalProperties: unknown } } }).properties.vars;
    expect(vars.additionalProperties).toEqual({ type: ['string', 'number', 'boolean', 'null'] });
  });
});

describe('validate and plan', () => {
  it('validate is ok and notes each use with its line:col; quiet once --set gives the value', async () => {
    const f = await writeChecklist(t.dir, 'deploy.yaml', YAML);
    const r = await cli(['validate', f]);
    expect(r.code).toBe(0);
    expect(r.out.split('\n').slice(1, 3)).toEqual([
      `${f}:11:42: note: \${PREVIOUS_COMMIT_HASH} has no value yet (used by "Roll back the code"): runsheet asks for it when the item runs, or pass --set PREVIOUS_COMMIT_HASH=…`,
      `${f}:13:22: note: \${HOST} has no value yet (used by "Health"): runsheet asks for it when the item runs, or pass --set HOST=…`,
    ]);
    const quiet = await cli(['validate', f, '--set', 'PREVIOUS_COMMIT_HASH=abc', '--set', 'HOST=h']);
    expect(quiet.code).toBe(0);
    expect(quiet.out.trim().split('\n')).toHaveLength(1);
  });

  it('plan shows ${NAME} in the commands and what needs values at the top', async () => {
    const f = await writeChecklist(t.dir, 'deploy.yaml', YAML);
    const r = await cli(['plan', f]);
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[1]).toBe(
      'needs values: PREVIOUS_COMMIT_HASH, HOST (asked when the item runs, or --set PREVIOUS_COMMIT_HASH=… --set HOST=…)',
    );
    expect(r.out).toContain('$ git -C . log -1 --format=%H ${PREVIOUS_COMMIT_HASH}');
    expect(r.out).toContain('GET http://${HOST}:8080/health');
    expect((await cli(['plan', f, '--set', 'PREVIOUS_COMMIT_HASH=abc', '--set', 'HOST=h'])).out).not.toContain('needs values');
  });
});

describe('headless', () => {
  const HEADLESS = `version: 1
title: Headless vars
vars:
  PREVIOUS_COMMIT_HASH:
phases:
  - title: Rollback
    items:
      - {title: Roll back the code, id: roll, run: 'echo "checkout \${PREVIOUS_COMMIT_HASH} via $PREVIOUS_COMMIT_HASH"'}
      - {title: Verify, id: verify, run: 'echo "at \${PREVIOUS_COMMIT_HASH}"', check: true}
`;

  async function events(): Promise<{ type: string; [k: string]: unknown }[]> {
    const [runId] = await readdir(join(t.dir, 'home', 'runs'));
    return (await readFile(join(t.dir, 'home', 'runs', runId, 'events.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
  }

  it('without a value the item needs an operator (exit 3) naming the var; --answers vars: then runs it with the value, recorded', async () => {
    const f = await writeChecklist(t.dir, 'h.yaml', HEADLESS);
    const env = { RUNSHEET_HOME: join(t.dir, 'home') };
    const r1 = await cli(['run', f, '--auto'], env);
    expect(r1.code).toBe(3);
    expect(r1.err).toContain(
      'roll: needs a value for ${PREVIOUS_COMMIT_HASH}: pass --set PREVIOUS_COMMIT_HASH=…, or add "vars: {PREVIOUS_COMMIT_HASH: …}" to --answers',
    );
    expect((await events()).map((e) => e.type)).not.toContain('item.started');

    await writeFile(join(t.dir, 'answers.yaml'), 'vars: {PREVIOUS_COMMIT_HASH: 3f2a9c1}\n');
    const [runId] = await readdir(join(t.dir, 'home', 'runs'));
    const r2 = await cli(['resume', runId, '--auto', '--answers', join(t.dir, 'answers.yaml')], env);
    expect(r2.code).toBe(0);
    const ev = await events();
    const set = ev.findIndex((e) => e.type === 'var.set');
    expect(ev[set]).toMatchObject({ name: 'PREVIOUS_COMMIT_HASH', value: '3f2a9c1' });
    expect(set).toBeLessThan(ev.findIndex((e) => e.type === 'item.started'));
    expect(ev.find((e) => e.type === 'item.started' && e.item === 'roll')).toMatchObject({
      command: 'echo "checkout 3f2a9c1 via $PREVIOUS_COMMIT_HASH"',
    });
    const log = await readFile(join(t.dir, 'home', 'runs', runId, 'logs', 'roll.1.stdout.log'), 'utf8');
    // Filled into the text and into the command's environment.
    expect(log).toContain('checkout 3f2a9c1 via 3f2a9c1');
    expect(await readFile(join(t.dir, 'home', 'runs', runId, 'logs', 'verify.1.stdout.log'), 'utf8')).toContain('at 3f2a9c1');
  });

  it('--set gives the value up front: no question, no var.set', async () => {
    const f = await writeChecklist(t.dir, 'h.yaml', HEADLESS);
    const r = await cli(['run', f, '--auto', '--set', 'PREVIOUS_COMMIT_HASH=abc'], { RUNSHEET_HOME: join(t.dir, 'home') });
    expect(r.code).toBe(0);
    expect((await events()).map((e) => e.type)).not.toContain('var.set');
  });

  it('a secret from --answers reaches the command through its env and is never written to the run', async () => {
    const secret = `version: 1
title: Secret var
vars:
  DEPLOY_TOKEN:
phases:
  - title: P
    items:
      - {title: Tag, id: tag, env: {DEPLOY_TOKEN: '\${DEPLOY_TOKEN}'}, run: 'printf %s "$DEPLOY_TOKEN" | rev'}
`;
    const f = await writeChecklist(t.dir, 's.yaml', secret);
    await writeFile(join(t.dir, 'answers.yaml'), 'vars: {DEPLOY_TOKEN: tok-s3cr3t-4242}\n');
    const r = await cli(['run', f, '--auto', '--answers', join(t.dir, 'answers.yaml')], { RUNSHEET_HOME: join(t.dir, 'home') });
    expect(r.code).toBe(0);
    const [runId] = await readdir(join(t.dir, 'home', 'runs'));
    const dir = join(t.dir, 'home', 'runs', runId);
    expect(await readFile(join(dir, 'logs', 'tag.1.stdout.log'), 'utf8')).toContain('2424-t3rc3s-kot');
    for (const name of ['events.jsonl', 'state.json']) expect(await readFile(join(dir, name), 'utf8')).not.toContain('tok-s3cr3t-4242');
    expect((await events()).map((e) => e.type)).not.toContain('var.set');
    expect(r.out + r.err).not.toContain('tok-s3cr3t-4242');
  });

  it('answers: vars must be a mapping of names', async () => {
    const f = await writeChecklist(t.dir, 'h.yaml', HEADLESS);
    await writeFile(join(t.dir, 'bad.yaml'), 'vars: [a, b]\n');
    const r = await cli(['run', f, '--auto', '--answers', join(t.dir, 'bad.yaml')], { RUNSHEET_HOME: join(t.dir, 'home') });
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('"vars" must be a mapping of variable name → value');
  });
});

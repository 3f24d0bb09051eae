// The shipped checklists are part of the public face of runsheet: they must load cleanly in
// every environment they declare, on any machine (no process environment at all), and keep the
// features the demo exists to show.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem, loadChecklistText } from '../src/core/load.js';
import { allItems, type Checklist, type Item } from '../src/core/model.js';
import { isCheck } from '../src/core/kinds.js';

const dir = join(import.meta.dirname, '..', 'checklists');
const FILES = ['demo.yaml', 'web-service.yaml'];

async function load(file: string, env: string | null): Promise<Checklist> {
  const text = await readFile(join(dir, file), 'utf8');
  const { checklist, problems } = loadChecklistText(text, `checklists/${file}`, { env, processEnv: {} });
  expect(problems.map(formatProblem)).toEqual([]);
  expect(checklist).toBeDefined();
  return checklist!;
}

const kinds = (items: Item[]) => new Set(items.map((i) => i.action.kind));

describe.each(FILES)('checklists/%s', (file) => {
  it('loads with no problems without an environment and in every environment it declares', async () => {
    const plain = await load(file, null);
    const envs = Object.keys(plain.environments);
    expect(envs.length).toBeGreaterThanOrEqual(2);
    for (const env of envs) {
      const c = await load(file, env);
      expect(c.env).toBe(env);
      // Nothing unresolved reaches a command, URL or title once an environment is chosen.
      for (const item of allItems(c)) {
        expect(JSON.stringify([item.title, item.action]), `item ${item.id}`).not.toMatch(/\$\{[A-Za-z_][A-Za-z0-9_]*\}/);
      }
      for (const m of c.metrics) expect(JSON.stringify(m.source), `metric ${m.id}`).not.toMatch(/\$\{[A-Za-z_]/);
    }
  });

  it('has a rollback track, sign-offs, a baseline snapshot and a later compare', async () => {
    const c = await load(file, null);
    expect(c.rollback?.rollback).toBe(true);
    expect(c.rollback!.sections.flatMap((s) => s.items).length).toBeGreaterThan(0);
    expect(c.phases.some((p) => p.signoff.length > 0)).toBe(true);
    const items = allItems(c);
    const snapshot = items.findIndex((i) => i.action.kind === 'snapshot');
    const compare = items.findIndex((i) => i.action.kind === 'compare');
    expect(snapshot).toBeGreaterThanOrEqual(0);
    expect(compare).toBeGreaterThan(snapshot);
    expect(items[compare].action).toMatchObject({ kind: 'compare', baseline: 'baseline' });
    expect(c.metrics.length).toBeGreaterThanOrEqual(3);
    // Every action that changes the system asks first.
    for (const i of items.filter((i) => i.action.kind === 'run' && !isCheck(i))) expect(i.confirm, `item ${i.id}`).toBe(true);
  });
});

describe('checklists/demo.yaml', () => {
  it('shows every kind of item, metric source and the demo-service checks', async () => {
    const c = await load('demo.yaml', null);
    const items = allItems(c);
    expect(c.phases.length).toBeGreaterThanOrEqual(3);
    expect(c.phases.length).toBeLessThanOrEqual(5);
    expect(items.length).toBeGreaterThanOrEqual(20);
    expect(items.length).toBeLessThanOrEqual(30);
    expect(kinds(items)).toEqual(new Set(['manual', 'run', 'http', 'require_env', 'record', 'snapshot', 'compare']));
    expect(new Set(items.flatMap((i) => (i.action.kind === 'record' ? [i.action.record] : [])))).toEqual(
      new Set(['time', 'number', 'choice', 'text']),
    );
    expect(new Set(c.metrics.map((m) => m.source.kind))).toEqual(new Set(['prometheus', 'http', 'manual']));
    expect(c.samples).toBe(3);
    expect(c.intervalMs).toBe(1000);
    expect(c.vars.DEMO_URL).toBe('http://127.0.0.1:8787');
    expect(c.environments.staging.confirm).toBe(true);
    expect(items.some((i) => i.critical)).toBe(true);
    expect(items.some((i) => i.notes)).toBe(true);
    const node = items.find((i) => i.id === 'node-version')!;
    expect(node.action).toMatchObject({ kind: 'run', command: 'node --version', check: true, expect: { stdout_matches: '^v2' } });
    expect(new RegExp('^v2').test(process.version)).toBe(true);
    const health = items.find((i) => i.id === 'health-before')!;
    expect(health.action).toMatchObject({
      kind: 'http',
      http: { url: 'http://127.0.0.1:8787/health', status: 200, json: { database: 'ok' } },
    });
    expect(items.filter((i) => i.confirm && i.action.kind === 'run').map((i) => i.id)).toContain('ship-release');
  });

  it('resolves DEMO_URL from --set, as npm start passes it', async () => {
    const text = await readFile(join(dir, 'demo.yaml'), 'utf8');
    const { checklist } = loadChecklistText(text, 'demo.yaml', { set: { DEMO_URL: 'http://127.0.0.1:4321' }, processEnv: {} });
    const prom = checklist!.metrics.find((m) => m.id === 'latency_p95_ms')!;
    expect(prom.source).toEqual({ kind: 'prometheus', url: 'http://127.0.0.1:4321', query: 'demo_latency_p95_ms' });
    expect(allItems(checklist!).find((i) => i.id === 'port-open')!.action).toMatchObject({
      command: expect.stringContaining("new URL('http://127.0.0.1:4321')"),
    });
  });

  it('drops the staging-only item unless staging is chosen', async () => {
    expect(allItems(await load('demo.yaml', 'local')).map((i) => i.id)).not.toContain('staging-ticket');
    expect(allItems(await load('demo.yaml', 'staging')).map((i) => i.id)).toContain('staging-ticket');
  });
});

describe('checklists/web-service.yaml', () => {
  it('covers the production deploy: staging vs production, secrets, watch, retries', async () => {
    const staging = await load('web-service.yaml', 'staging');
    const production = await load('web-service.yaml', 'production');
    expect(production.environments.production.confirm).toBe(true);
    expect(production.vars.API_URL).not.toBe(staging.vars.API_URL);
    expect(production.secrets.length).toBeGreaterThan(0);
    const items = allItems(production);
    expect(kinds(items)).toEqual(new Set(['manual', 'run', 'http', 'require_env', 'record', 'snapshot', 'compare']));
    expect(
      items.some((i) => i.action.kind === 'compare' && i.action.watch?.everyMs === 300_000 && i.action.watch.forMs === 1_800_000),
    ).toBe(true);
    expect(items.some((i) => i.action.kind === 'http' && i.retries > 0 && i.action.http.json)).toBe(true);
    expect(items.some((i) => i.action.kind === 'run' && i.action.check && /log/i.test(i.title))).toBe(true);
    const roles = new Set(production.phases.flatMap((p) => p.signoff));
    for (const role of ['Tech Lead', 'DevOps Lead', 'QA Lead']) expect(roles).toContain(role);
    // Production-only and staging-only items really depend on the environment.
    expect(items.length).not.toBe(allItems(staging).length);
  });
});

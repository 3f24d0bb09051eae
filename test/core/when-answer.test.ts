import { describe, expect, it } from 'vitest';
import { RunEngine } from '../../src/core/engine.js';
import { MemoryStore } from '../support/memory-store.js';
import { loadChecklistText, formatProblem } from '../../src/core/load.js';
import { allItems } from '../../src/core/model.js';
import type { Executor } from '../../src/core/executor.js';
import { itemState } from '../../src/core/policy.js';
import { phaseProgress, runProgress } from '../../src/core/progress.js';
import { foldEvents } from '../../src/core/state.js';

const text = `version: 1
title: Rollback
phases:
  - title: Decide
    items:
      - {title: Rollback method, id: method, record: choice, options: [kubernetes, docker-compose]}
      - title: Confirm the cluster
        id: cluster
        when: {answer: {item: method, is: kubernetes}}
  - title: Roll back
    items:
      - {title: kubectl rollout undo, id: kube, run: 'kubectl rollout undo', when: {answer: {item: method, is: kubernetes}}}
      - {title: compose down and up, id: compose, run: 'docker compose up -d', when: {answer: {item: method, is: [docker-compose]}}}
      - {title: Check health, id: health, run: 'true', check: true, when: {answer: {item: method, is: kubernetes}}}
      - {title: Tell the team, id: tell}
`;

const ran: string[] = [];
const exec: Executor = {
  start: (item) => (ran.push(item.id), { done: Promise.resolve({ ok: true, summary: 'exit 0', durationMs: 1 }), stop() {}, abandon() {} }),
};

function setup(src = text) {
  const { checklist, problems } = loadChecklistText(src, 'r.yaml');
  expect(problems.map(formatProblem)).toEqual([]);
  const store = new MemoryStore();
  ran.length = 0;
  return { c: checklist!, store, engine: new RunEngine(checklist!, store, exec) };
}
const problems = (src: string, opts = {}) => loadChecklistText(src, 'r.yaml', opts).problems.map(formatProblem);

describe('when: {answer}', () => {
  it('loads the gate onto the item, with the choice title', () => {
    const { c } = setup();
    const kube = allItems(c).find((i) => i.id === 'kube')!;
    expect(kube.when?.answer).toEqual({ item: 'method', is: ['kubernetes'], title: 'Rollback method' });
  });

  it('validates the choice: exists, is a record: choice, comes earlier, offers every value — at line:col', () => {
    expect(problems(text.replace('item: method, is: kubernetes}}}', 'item: metod, is: kubernetes}}}'))).toEqual([
      'r.yaml:12:100: when.answer.item: no item has id "metod" (did you mean "method"?)',
    ]);
    const later = text
      .replace('{item: method, is: [docker-compose]}', '{item: tell, is: [docker-compose]}')
      .replace('id: tell}', 'id: tell, record: choice, options: [docker-compose, other]}');
    expect(problems(later)).toEqual([
      'r.yaml:13:102: when.answer.item: the choice "Tell the team" (tell) comes after this item; it must come earlier, so the operator answers it first',
    ]);
    expect(problems(text.replace('{item: method, is: [docker-compose]}', '{item: kube, is: [docker-compose]}'))).toEqual([
      'r.yaml:13:102: when.answer.item: "kubectl rollout undo" (kube) is not a record: choice item; an item can depend only on a choice\'s answer',
    ]);
    expect(problems(text.replace('is: [docker-compose]', 'is: [docker-compose, dokcer]'))).toEqual([
      'r.yaml:13:131: when.answer.is: "dokcer" is not an option of "Rollback method" (options: kubernetes, docker-compose)',
    ]);
    expect(problems(text.replace('when: {answer: {item: method, is: kubernetes}}\n', 'when: {}\n'))[0]).toMatch(
      /^r\.yaml:9:15: when needs env .* or answer/,
    );
    // Any case, as the choice accepts answers; stored as the option is written.
    const anyCase = loadChecklistText(text.replace('is: [docker-compose]', 'is: [Docker-Compose]'), 'r.yaml').checklist!;
    expect(allItems(anyCase).find((i) => i.id === 'compose')!.when!.answer!.is).toEqual(['docker-compose']);
  });

  it('may combine with env (AND): dropped with the environment, gated by the answer', () => {
    const src = text
      .replace('title: Rollback\n', 'title: Rollback\nenvironments: {prod: {}, dev: {}}\n')
      .replace("id: kube, run: 'kubectl rollout undo', when: {answer:", "id: kube, run: 'kubectl rollout undo', when: {env: prod, answer:");
    const dev = loadChecklistText(src, 'r.yaml', { env: 'dev' }).checklist!;
    expect(allItems(dev).map((i) => i.id)).not.toContain('kube');
    const prod = loadChecklistText(src, 'r.yaml', { env: 'prod' }).checklist!;
    expect(allItems(prod).find((i) => i.id === 'kube')!.when).toMatchObject({ env: ['prod'], answer: { item: 'method' } });
    // The choice itself left out by env: what depends on it is left out too, and says why.
    const gatedChoice = text
      .replace('title: Rollback\n', 'title: Rollback\nenvironments: {prod: {}, dev: {}}\n')
      .replace('record: choice, options', 'when: {env: prod}, record: choice, options');
    const c = loadChecklistText(gatedChoice, 'r.yaml', { env: 'dev' }).checklist!;
    expect(allItems(c).map((i) => i.id)).toEqual(['tell']);
    expect(c.dropped.find((d) => d.id === 'kube')!.reason).toBe(
      'only when "Rollback method" is kubernetes, and that choice is left out here',
    );
  });

  it('before the choice is answered, gated items wait: acting is refused with "answer … first"', async () => {
    const { engine, store } = setup();
    const kube = engine.item('kube');
    expect(itemState(store.state, kube)).toMatchObject({ status: 'pending', waitingFor: 'Rollback method' });
    await expect(engine.runItem('kube', { confirmed: true, reason: 'go' })).rejects.toThrow(
      'answer "Rollback method" first: "kubectl rollout undo" applies only if it is kubernetes',
    );
    await expect(engine.tick('cluster')).rejects.toThrow(/answer "Rollback method" first/);
    expect(ran).toEqual([]);
    // Skipping a waiting item is allowed: the operator may know it is moot.
    await engine.skip('cluster', 'not this time');
    expect(itemState(store.state, engine.item('cluster')).status).toBe('skipped');
  });

  it('once answered, the other alternatives are n/a (done, never run) and re-recording changes it', async () => {
    const { engine, store, c } = setup();
    await engine.record('method', 'docker-compose');
    const st = (id: string) => itemState(store.state, engine.item(id));
    expect(st('kube')).toMatchObject({ status: 'n/a', reason: 'Rollback method is docker-compose' });
    expect(st('health').status).toBe('n/a');
    expect(st('compose').status).toBe('pending');
    await expect(engine.runItem('kube', { confirmed: true, reason: 'x' })).rejects.toThrow(
      '"kubectl rollout undo" does not apply (n/a): Rollback method is docker-compose',
    );
    await expect(engine.skip('kube', 'x')).rejects.toThrow(/does not apply/);
    // Progress counts n/a as done.
    expect(phaseProgress(c.phases[0], store.state)).toMatchObject({ done: 2, total: 2, failed: 0, na: 1, recorded: 1 });
    expect(runProgress(c, store.state)).toMatchObject({ done: 4, total: 6, failed: 0 });
    // Bulk check runs leave n/a items out.
    await engine.runChecks(['health'], 2, { reason: 'order' });
    expect(ran).toEqual([]);
    await engine.runItem('compose', { confirmed: true, reason: 'order' });
    expect(ran).toEqual(['compose']);
    // Re-recorded: the fold's recorded value decides again.
    await engine.record('method', 'kubernetes', { reason: 'order' });
    expect(st('kube').status).toBe('pending');
    expect(st('compose')).toMatchObject({ status: 'n/a', reason: 'Rollback method is kubernetes' });
    // The derivation is from the events alone: a replayed log agrees.
    expect(itemState(foldEvents(store.events), engine.item('compose')).status).toBe('n/a');
  });

  it("a secret in the choice's title is masked where a gate quotes it", () => {
    const src = text.replace('title: Rollback method, id: method', 'title: "Method for ${API_TOKEN}", id: method');
    const c = loadChecklistText(src, 'r.yaml', { processEnv: { API_TOKEN: 'tok-secret-123' } }).checklist!;
    expect(allItems(c).find((i) => i.id === 'kube')!.when!.answer!.title).toBe('Method for ***');
  });

  it('a skipped choice picks none of the alternatives', async () => {
    const { engine, store } = setup();
    await engine.skip('method', 'no rollback needed');
    expect(itemState(store.state, engine.item('kube'))).toMatchObject({ status: 'n/a', reason: '"Rollback method" was skipped' });
  });

  it('a chain: an item gated on a choice that is itself n/a is n/a', async () => {
    const src = text.replace(
      '      - {title: Tell the team, id: tell}\n',
      '      - {title: Cluster kind, id: kind, record: choice, options: [eks, gke], when: {answer: {item: method, is: kubernetes}}}\n      - {title: eksctl, id: eks, when: {answer: {item: kind, is: eks}}}\n',
    );
    const { engine, store } = setup(src);
    expect(itemState(store.state, engine.item('eks')).waitingFor).toBe('Rollback method');
    await engine.record('method', 'docker-compose');
    expect(itemState(store.state, engine.item('eks'))).toMatchObject({
      status: 'n/a',
      reason: '"Cluster kind" does not apply (Rollback method is docker-compose)',
    });
  });
});

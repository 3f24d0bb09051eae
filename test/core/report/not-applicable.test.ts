// Items gated by `when: {answer}` that an earlier choice made n/a: the report lists them as n/a
// with the reason, counts them done, and verify checks the n/a against the events.
import { describe, expect, it } from 'vitest';
import { RunEngine } from '../../../src/core/engine.js';
import { MemoryStore } from '../../support/memory-store.js';
import { loadChecklistText } from '../../../src/core/load.js';
import { buildStatement, statementBytes } from '../../../src/core/report/statement.js';
import { statementProblem } from '../../../src/core/report/verify.js';
import { renderMarkdown } from '../../../src/core/report/markdown.js';
import { sha256Hex } from '../../../src/core/events.js';
import type { Executor } from '../../../src/core/executor.js';

const YAML = `version: 1
title: Rollback
phases:
  - title: Roll back
    items:
      - {title: Rollback method, id: method, record: choice, options: [kubernetes, docker-compose]}
      - {title: kubectl rollout undo, id: kube, run: 'kubectl rollout undo', when: {answer: {item: method, is: kubernetes}}}
      - {title: compose up, id: compose, run: 'docker compose up -d', when: {answer: {item: method, is: docker-compose}}}
`;
const exec: Executor = {
  start: () => ({ done: Promise.resolve({ ok: true, summary: 'exit 0', durationMs: 1 }), stop() {}, abandon() {} }),
};

async function statement() {
  const { checklist } = loadChecklistText(YAML, 'r.yaml');
  const store = new MemoryStore();
  const engine = new RunEngine(checklist!, store, exec);
  await engine.record('method', 'docker-compose');
  await engine.runItem('compose', { confirmed: true });
  return buildStatement({
    checklist: checklist!,
    checklistFile: { name: 'r.yaml', sha256: sha256Hex(YAML) },
    state: store.state,
    events: store.events,
    subjects: [],
    tool: { name: 'runsheet', version: 't' },
  });
}
const roundTrip = (st: unknown) => JSON.parse(new TextDecoder().decode(statementBytes(st as never)));

describe('report: n/a items', () => {
  it('lists them as n/a with the reason, counted done, and the report verifies', async () => {
    const st = await statement();
    const kube = st.predicate.items.find((i) => i.id === 'kube')!;
    expect(kube).toMatchObject({
      status: 'n/a',
      reason: 'Rollback method is docker-compose',
      applies_when: { item: 'method', is: ['kubernetes'] },
    });
    expect(st.predicate.summary).toMatchObject({ total: 3, done: 3 });
    expect(statementProblem(roundTrip(st))).toBeNull();
    const md = renderMarkdown(st, { reportSha256: 'a'.repeat(64), signers: [] });
    expect(md).toMatch(/\| kubectl rollout undo \| Not applicable \| [^|]+ \| Not applicable: Rollback method is docker-compose \|/);
    expect(md).toContain('3 of 3 items done');
    expect(md).toContain('1 not applicable');
  });

  it('verify refuses an n/a the events do not support', async () => {
    const st = roundTrip(await statement());
    const compose = st.predicate.items.find((i: { id: string }) => i.id === 'compose');
    compose.status = 'n/a';
    compose.applies_when = { item: 'method', is: ['docker-compose'] };
    expect(statementProblem(st)).toMatch(/item compose: status n\/a does not match its events/);
    const noGate = roundTrip(await statement());
    delete noGate.predicate.items.find((i: { id: string }) => i.id === 'kube').applies_when;
    expect(statementProblem(noGate)).toMatch(/item kube: status n\/a without the choice/);
  });
});

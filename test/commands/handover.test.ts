// `runsheet handover RUN_ID --to NAME`: recorded in the run (who, to whom, from where, why), the
// run's operator becomes NAME, the report lists it and still verifies; refused when there is
// nothing to hand over, when the run is held by another session, and `join` on local files says
// what to do instead.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { openSession } from '../../src/commands/session.js';
import { readRun } from '../../src/adapters/run-reader.js';
import { tempDir, testIo } from '../support/tmp.js';

let t: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => (t = await tempDir('rs-handover-')));
afterAll(async () => t.cleanup());

const CHECKLIST = `version: 1
title: Handover
phases:
  - title: Night
    items:
      - {title: Backup verified, id: backup}
      - {title: Migrate, id: migrate, run: 'true'}
`;

const cli = async (args: string[], env: Record<string, string> = {}) => {
  const r = testIo(t.dir, env);
  const code = await main(['node', 'runsheet', ...args], r.io);
  return { code, out: r.out(), err: r.err() };
};

describe('runsheet handover', () => {
  it('records the hand-over, makes NAME the operator, and the report lists it and verifies', async () => {
    await writeFile(join(t.dir, 'h.yaml'), CHECKLIST);
    const first = await cli(['run', 'h.yaml', '--auto'], { RUNSHEET_OPERATOR: 'ann' });
    expect(first.code).toBe(3);
    const runId = /run (\S+) needs an operator/.exec(first.err)![1];

    const h = await cli(['handover', runId, '--to', 'bo', '--note', 'ann goes home; backup is done'], { RUNSHEET_OPERATOR: 'ann' });
    expect(h.code, h.err).toBe(0);
    expect(h.out).toContain(`handed over to bo; they continue with: runsheet resume ${runId} --operator bo`);
    const run = await readRun(join(t.dir, 'home'), runId);
    expect(run.events.at(-1)).toMatchObject({
      type: 'handover',
      from: 'ann',
      to: 'bo',
      note: 'ann goes home; backup is done',
      operator: 'ann',
    });
    expect(run.state.operator).toBe('bo');

    // Bo continues: the run finishes under bo, and the report shows the hand-over and verifies.
    await writeFile(join(t.dir, 'a.yaml'), 'backup: tick\n');
    const bo = await cli(['resume', runId, '--auto', '--answers', 'a.yaml'], { RUNSHEET_OPERATOR: 'bo' });
    expect(bo.code, bo.err).toBe(0);
    expect(await cli(['keygen'])).toMatchObject({ code: 0 });
    const out = join(t.dir, 'h.report.json');
    expect((await cli(['report', runId, '--output', out])).code).toBe(0);
    expect((await cli(['verify', out])).code).toBe(0);
    const md = join(t.dir, 'h.report.md');
    expect((await cli(['report', runId, '--format', 'md', '--output', md])).code).toBe(0);
    expect(await readFile(md, 'utf8')).toMatch(/## Hand-overs[\s\S]*\| ann \| bo \|[^\n]*ann goes home; backup is done/);

    // Nothing left to hand over once the run is finished.
    const again = await cli(['handover', runId, '--to', 'cy']);
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/is finished: there is nothing left to hand over/);
  });

  it('is refused while another session holds the run, and to the run`s own operator', async () => {
    await writeFile(join(t.dir, 'held.yaml'), CHECKLIST);
    const { io } = testIo(t.dir, { RUNSHEET_OPERATOR: 'ann' });
    const prompts = { resumeOrFresh: () => Promise.resolve('resume' as const), confirmEnvironment: () => Promise.resolve(true) };
    const s = await openSession(io, { file: join(t.dir, 'held.yaml'), fresh: true }, prompts);
    try {
      const held = await cli(['handover', s.runId, '--to', 'bo']);
      expect(held.code).toBe(2);
      expect(held.err).toMatch(/hand over from that session, or quit it first/);
    } finally {
      await s.close();
    }
    const self = await cli(['handover', s.runId, '--to', 'ann']);
    expect(self.err).toMatch(/ann is already this run's operator/);
    const none = await cli(['handover', s.runId]);
    expect(none.code).toBe(2);
  });

  it('join is for a team run in a database: on local files it says to resume instead', async () => {
    const r = await cli(['join', '20261203-000000-x-abcd']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/join is for team runs kept in a database: pass --store postgres:\/\/.*runsheet resume RUN_ID/);
  });
});

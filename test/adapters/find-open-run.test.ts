// `runsheet run FILE` offers to resume the newest unfinished run of FILE. findOpenRun decides
// which by each run's state.json when that is at least as new as its log, else by the log, so a
// cache left behind by a crash never hides a run that is open.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RunStore, findOpenRun } from '../../src/adapters/run-store.js';
import { tempDir } from '../support/tmp.js';

let t: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => (t = await tempDir('rs-findopen-')));
afterEach(async () => t.cleanup());

async function run(id: string, path: string, env: string | null, finish: boolean): Promise<void> {
  const s = await RunStore.create(t.dir, id, 'version: 1\n', { operator: 'ann' });
  await s.append({ type: 'run.started', runId: id, checklist: { path, sha256: 'ab', title: 'T' }, env, vars: {} });
  await s.append({ type: 'item.ticked', item: 'a' });
  if (finish) await s.append({ type: 'run.finished', status: 'passed' });
  await s.close();
}
const file = (id: string, name: string) => join(t.dir, 'runs', id, name);
/** Makes a run's state.json older or newer than its events.jsonl. */
async function age(id: string, cacheAgeS: number): Promise<void> {
  const now = Date.now() / 1000;
  await utimes(file(id, 'events.jsonl'), now, now);
  await utimes(file(id, 'state.json'), now - cacheAgeS, now - cacheAgeS);
}

describe('findOpenRun', () => {
  it('finds the newest unfinished run of the same file and environment, and nothing else', async () => {
    await run('20260101-000000-a', '/c.yaml', null, true);
    await run('20260102-000000-b', '/c.yaml', null, false);
    await run('20260103-000000-c', '/c.yaml', 'prod', false);
    await run('20260104-000000-d', '/other.yaml', null, false);
    expect((await findOpenRun(t.dir, '/c.yaml', null))?.runId).toBe('20260102-000000-b');
    expect((await findOpenRun(t.dir, '/c.yaml', 'prod'))?.runId).toBe('20260103-000000-c');
    expect(await findOpenRun(t.dir, '/c.yaml', 'staging')).toBeUndefined();
    expect(await findOpenRun(join(t.dir, 'nowhere'), '/c.yaml', null)).toBeUndefined();
  });

  it('a cache older than its log is not trusted: a finished run resumed just before a crash is found', async () => {
    await run('20260101-000000-a', '/c.yaml', null, true);
    // The log goes on (resumed) but state.json still says finished, as after a crash between the two.
    const cache = await readFile(file('20260101-000000-a', 'state.json'), 'utf8');
    const s = await RunStore.open(t.dir, '20260101-000000-a', { operator: 'bob' });
    await s.append({ type: 'run.resumed', checklistSha256: 'ab' });
    await s.close();
    await writeFile(file('20260101-000000-a', 'state.json'), cache);
    expect(JSON.parse(await readFile(file('20260101-000000-a', 'state.json'), 'utf8')).status).toBe('finished');
    await age('20260101-000000-a', 10);
    expect((await findOpenRun(t.dir, '/c.yaml', null))?.runId).toBe('20260101-000000-a');
  });

  it('a cache that says open is checked against the log, and a damaged cache or log is handled', async () => {
    await run('20260101-000000-a', '/c.yaml', null, true);
    const state = JSON.parse(await readFile(file('20260101-000000-a', 'state.json'), 'utf8'));
    await writeFile(file('20260101-000000-a', 'state.json'), JSON.stringify({ ...state, status: 'active' }));
    expect(await findOpenRun(t.dir, '/c.yaml', null)).toBeUndefined();
    await writeFile(file('20260101-000000-a', 'state.json'), '{ not json');
    expect(await findOpenRun(t.dir, '/c.yaml', null)).toBeUndefined();
    await run('20260102-000000-b', '/c.yaml', null, false);
    await writeFile(file('20260102-000000-b', 'events.jsonl'), 'garbage\n');
    await age('20260102-000000-b', 10);
    expect(await findOpenRun(t.dir, '/c.yaml', null)).toBeUndefined();
  });
});

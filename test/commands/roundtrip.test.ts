// Issue 6's round trip on every seed: Markdown → run headless (imported on the fly) → signed
// report → verify. Every item is answered (skipped with a reason) so the run completes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdir, readFile, writeFile, copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { importMarkdown } from '../../src/core/import/index.js';
import { loadChecklistText } from '../../src/core/load.js';
import { allItems } from '../../src/core/model.js';
import { main } from '../../src/cli/main.js';
import { tempDir, testIo } from '../support/tmp.js';
import { SEEDS_DIR } from '../support/seeds.js';

const SEEDS = SEEDS_DIR;
let t: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => (t = await tempDir('rs-roundtrip-')));
afterAll(async () => t.cleanup());

const seeds = await readdir(SEEDS).catch(() => [] as string[]);

describe('seed round trip', () => {
  it.each(seeds)('%s imports, runs headless to the end, and reports verifiably', async (seed) => {
    const md = join(t.dir, `${seed}.md`);
    await copyFile(join(SEEDS, seed), md);
    const { yaml } = importMarkdown(await readFile(md, 'utf8'), { source: seed, sourceSha256: 'x' });
    const { checklist, problems } = loadChecklistText(yaml, seed);
    expect(problems).toEqual([]);
    const answers: Record<string, unknown> = {};
    for (const it of allItems(checklist!)) answers[it.id] = { skip: 'round-trip test' };
    for (const p of checklist!.phases)
      if (p.signoff.length)
        answers[p.id] = { signoff: p.signoff.map((role) => ({ name: 'Test Operator', role, reason: 'round-trip test' })) };
    const answersFile = join(t.dir, `${seed}.answers.yaml`);
    await writeFile(answersFile, stringify(answers));

    const home = join(t.dir, `home-${seed}`);
    const run = testIo(t.dir, { RUNSHEET_HOME: home });
    run.io.home = home;
    expect(await main(['node', 'runsheet', 'run', md, '--auto', '--json', '--answers', answersFile], run.io), run.err()).toBe(0);
    const events = run
      .out()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(events.at(-1)).toMatchObject({ type: 'run.finished', status: 'passed' });
    const runId = events[0].runId as string;

    const k = testIo(t.dir);
    k.io.home = home;
    expect(await main(['node', 'runsheet', 'keygen'], k.io), k.err()).toBe(0);
    const out = join(t.dir, `${seed}.report.json`);
    expect(await main(['node', 'runsheet', 'report', runId, '-o', out], k.io), k.err()).toBe(0);
    const v = testIo(t.dir);
    v.io.home = home;
    expect(await main(['node', 'runsheet', 'verify', out], v.io), v.err()).toBe(0);
    expect(v.out()).toMatch(/^VERIFIED [0-9a-f]{12} signed by /);
  });
});

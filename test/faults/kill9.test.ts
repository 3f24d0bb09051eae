// kill -9 at random moments: nothing the headless run printed (it prints an event only once it
// is durable) may be missing afterwards, the log must load (a torn tail is cut and reported),
// state.json must be rebuilt to agree with the log, and a second run resumes and finishes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { canonicalJson, checkChain } from '../../src/core/events.js';
import { foldEvents } from '../../src/core/state.js';
import { tempDir } from '../support/tmp.js';
import { readEvents, runIds, runRunsheet, stackLines, startRunsheet, waitFor } from './harness.js';

const RUNS = 15;
const PHASES = 3;
const PER_PHASE = 8;

// Deterministic "random" kill points, so a failure can be replayed.
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Manual, record, action and check items, with --answers covering every one. */
function crashChecklist(): { yaml: string; answers: string; events: number } {
  const lines = ['version: 1', 'title: Crash test', 'phases:'];
  const answers: string[] = [];
  let events = 2; // run.started, run.finished
  for (let p = 0; p < PHASES; p++) {
    lines.push(`  - title: Phase ${p}`, `    id: p${p}`, '    items:');
    for (let i = 0; i < PER_PHASE; i++) {
      const id = `p${p}i${i}`;
      switch (i % 4) {
        case 0:
          lines.push(`      - {id: ${id}, title: 'manual ${id}'}`);
          answers.push(`${id}: tick`);
          events += 1;
          break;
        case 1:
          lines.push(`      - {id: ${id}, title: 'record ${id}', record: text}`);
          answers.push(`${id}: {record: v-${id}}`);
          events += 1;
          break;
        case 2:
          // An action cut off by the kill is never re-run on its own: the answer says "rerun".
          lines.push(`      - {id: ${id}, title: 'action ${id}', run: 'echo ${id}; sleep 0.02'}`);
          answers.push(`${id}: {resolve: rerun}`);
          events += 2;
          break;
        default:
          lines.push(`      - {id: ${id}, title: 'check ${id}', run: 'echo ok', check: true}`);
          events += 2;
      }
    }
  }
  return { yaml: `${lines.join('\n')}\n`, answers: `${answers.join('\n')}\n`, events };
}

let t: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  t = await tempDir('rs-kill9-');
});
afterAll(async () => t.cleanup());

describe('kill -9 of a headless run at random moments', () => {
  it(`loses no printed event, repairs the log, and resumes to a pass (${RUNS} runs)`, { timeout: 120_000 }, async () => {
    const c = crashChecklist();
    const file = join(t.dir, 'crash.yaml');
    const answers = join(t.dir, 'answers.yaml');
    await writeFile(file, c.yaml);
    await writeFile(answers, c.answers);
    const rand = prng(7);
    const killedAfter: number[] = [];
    for (let n = 0; n < RUNS; n++) {
      const home = join(t.dir, `home-${n}`);
      const o = { cwd: t.dir, home };
      // Kill once k events have been printed (k spread over the whole run), plus a few ms.
      const k = Math.floor(rand() * (c.events - 1));
      const extraMs = Math.floor(rand() * 15);
      const p = startRunsheet(['run', file, '--auto', '--json', '--answers', answers], o);
      let ended = false;
      void p.exited.then(() => (ended = true));
      const lineCount = () => p.stdout().split('\n').length - 1;
      await waitFor(() => lineCount() >= k || ended, `${k} events printed`, 15_000, 2);
      await new Promise((r) => setTimeout(r, extraMs));
      p.child.kill('SIGKILL');
      await p.exited;
      killedAfter.push(lineCount());

      // Only complete lines were acknowledged; a line cut by the kill was not.
      const printed = p.stdout().split('\n').slice(0, -1);
      const ids = await runIds(home);
      if (!printed.length) {
        // Killed before run.started was durable: at most an empty run directory is left.
        expect(ids.length).toBeLessThanOrEqual(1);
      } else {
        const runId = (JSON.parse(printed[0]) as { runId: string }).runId;
        expect(ids).toEqual([runId]);
        const onDisk = (await readFile(join(home, 'runs', runId, 'events.jsonl'), 'utf8')).split('\n');
        for (const line of printed) expect(onDisk, `run ${n}: printed event missing from events.jsonl`).toContain(line);
        // Every third run, also simulate a crash in the middle of an append: half a line.
        if (n % 3 === 0) await appendFile(join(home, 'runs', runId, 'events.jsonl'), '{"seq":9999,"type":"item.tic');

        const st = await runRunsheet(['status', runId, '--json'], o);
        expect(stackLines(st.stderr)).toEqual([]);
        expect(st.code, st.stderr).toBe(0);
      }

      const again = await runRunsheet(['run', file, '--auto', '--json', '--answers', answers], o);
      expect(stackLines(again.stderr)).toEqual([]);
      expect(again.code, `run ${n} resume: ${again.stderr}`).toBe(0);
      if (printed.length && n % 3 === 0) expect(again.stderr).toMatch(/torn by a crash and has been removed/);
      // The interrupted run is the one that was resumed and finished (one that had already
      // finished before the kill stays finished; the second run is then a fresh one).
      const after = await runIds(home);
      const finished = printed.length ? (JSON.parse(printed[0]) as { runId: string }).runId : after.at(-1)!;
      if (printed.length)
        expect(again.stdout.split('\n')[0], `run ${n}: resumed, not restarted`).toBe(
          printed.at(-1)!.includes('"run.finished"') ? again.stdout.split('\n')[0] : printed[0],
        );
      const events = await readEvents(home, finished);
      expect(checkChain(events)).toEqual([]);
      expect(events.at(-1)).toMatchObject({ type: 'run.finished', status: 'passed' });
      // The first run's acknowledged events are still the prefix of the finished log.
      if (printed.length) expect(events.slice(0, printed.length).map((e) => canonicalJson(e))).toEqual(printed);
      // Every item is done exactly once in the end; no action ran more often than its answer allows.
      const state = foldEvents(events);
      expect(Object.values(state.items).filter((i) => ['ticked', 'recorded', 'passed'].includes(i.status))).toHaveLength(
        PHASES * PER_PHASE,
      );
      // state.json is a cache written after the log: a kill just after run.finished (when no later
      // process reopens that run) may leave it behind, never ahead; when it is current it is exact.
      const cached = JSON.parse(await readFile(join(home, 'runs', finished, 'state.json'), 'utf8'));
      expect(cached.lastSeq).toBeLessThanOrEqual(state.lastSeq);
      if (cached.lastSeq === state.lastSeq) expect(cached).toEqual(JSON.parse(JSON.stringify(state)));
    }
    // The kills landed all over the run, not only at start-up.
    expect(new Set(killedAfter).size).toBeGreaterThan(RUNS / 2);
  });
});

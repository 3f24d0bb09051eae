// RunEngine.whenIdle: told by items ending, not by polling. Real commands through the real
// executor and the file store (the UI harness's openRun opens the run as `runsheet run` does);
// each command waits for a file the test writes, so the test decides when it ends.
import { afterEach, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openRun, type RunFixture } from '../ui/harness.js';

const YAML = `version: 1
title: Idle
phases:
  - title: P
    items:
      - {title: A, id: a, check: true, run: 'echo a-up; while [ ! -f a.go ]; do sleep 0.02; done'}
      - {title: B, id: b, check: true, run: 'echo b-up; while [ ! -f b.go ]; do sleep 0.02; done'}
`;

let run: RunFixture | undefined;
afterEach(async () => {
  await run?.cleanup();
  run = undefined;
});

async function until(cond: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 15_000;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const passed = (r: RunFixture) => r.events().flatMap((e) => (e.type === 'item.passed' ? [e.item] : []));

describe('RunEngine.whenIdle', () => {
  it('resolves true when the last running item ends, once its ending is recorded', async () => {
    run = await openRun(YAML);
    const r = run;
    const { engine } = r.session;
    expect(await engine.whenIdle(1000)).toBe(true);
    const a = engine.runItem('a');
    const b = engine.runItem('b');
    await until(() => ['a', 'b'].every((id) => engine.live.get(id)?.tail.text().includes(`${id}-up`)), 'both commands to start');
    let seen: { idle: boolean; passed: string[] } | undefined;
    const idle = engine.whenIdle(30_000).then((v) => (seen = { idle: v, passed: passed(r) }));

    await writeFile(join(r.dir, 'a.go'), '');
    await a;
    // One still runs.
    expect(seen).toBeUndefined();

    await writeFile(join(r.dir, 'b.go'), '');
    await idle;
    // Resolved with b's ending already durable in the log, not merely its process gone.
    expect(seen).toEqual({ idle: true, passed: ['a', 'b'] });
    await b;
    expect(engine.running()).toEqual([]);
  });

  it('resolves false when the time is up and a command still runs, and true for a stopped one', async () => {
    run = await openRun(YAML);
    const { engine } = run.session;
    const a = engine.runItem('a');
    await until(() => !!engine.live.get('a')?.tail.text().includes('a-up'), 'the command to start');
    expect(await engine.whenIdle(50)).toBe(false);
    engine.stop('a');
    expect(await engine.whenIdle(30_000)).toBe(true);
    expect((await a).ok).toBe(false);
    expect(run.events().at(-1)).toMatchObject({ type: 'item.failed', item: 'a' });
  });
});

// Start-up to the first interactive frame (the footer with its key hints) of dist/runsheet.mjs
// in an 80×24 pseudo-terminal, for generated checklists of 50, 500 and 5,000 items. Baseline:
// `node -e ""` spawned in the same kind of pty, from spawn to exit. Also timed, as the floor under
// these figures: an empty Ink app (bench/floor/empty-ink.tsx) bundled and code-cached the same way.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildForBench } from '../lib/build.mjs';
import { generateChecklist } from '../lib/checklists.mjs';
import { ROOT, childEnv, scratch } from '../lib/env.mjs';
import { runPty } from '../lib/pty.mjs';
import { summarize } from '../lib/stats.mjs';
import { driveTui } from '../lib/tui.mjs';

export const STARTUP_SIZES = [50, 500, 5000];

async function nodeBaseline(home, cwd) {
  const r = await runPty({ argv: [process.execPath, '-e', ''], env: childEnv(home), cwd, cols: 80, rows: 24, ready: null });
  if (r.error || r.exit !== 0) throw new Error(`node -e "" failed: ${r.error ?? r.exit}`);
  return r.ready_ms;
}

export async function measureStartup({ runs = 5, log = () => {} } = {}) {
  const s = await scratch();
  try {
    const floor = await buildForBench({ entry: join(ROOT, 'bench', 'floor', 'empty-ink.tsx'), outfile: join(s.dir, 'empty-ink.mjs') });
    const inkFloor = async () => (await driveTui({ args: [], bundle: floor, home: join(s.dir, 'home-floor'), cwd: s.dir })).ready_ms;
    const files = {};
    for (const n of STARTUP_SIZES) {
      files[n] = join(s.dir, `checklist-${n}.yaml`);
      await writeFile(files[n], generateChecklist({ items: n }));
    }
    let k = 0;
    const once = async (n) => {
      const home = join(s.dir, `home-${++k}`);
      const r = await driveTui({ args: ['run', files[n], '--fresh'], home, cwd: s.dir });
      return r;
    };
    // Warm-up: the first spawn pays for cold disk caches, which no later start does.
    await nodeBaseline(join(s.dir, 'home-0'), s.dir);
    // Twice: the first start writes the code cache, as runsheet's own first start did.
    for (let i = 0; i < 2; i++) await inkFloor();
    for (const n of STARTUP_SIZES) await once(n);
    const base = [];
    const floorMs = [];
    const by = Object.fromEntries(STARTUP_SIZES.map((n) => [n, []]));
    const frameBytes = Object.fromEntries(STARTUP_SIZES.map((n) => [n, []]));
    for (let i = 0; i < runs; i++) {
      // Interleaved so drift on the machine touches every figure alike.
      base.push(await nodeBaseline(join(s.dir, 'home-0'), s.dir));
      floorMs.push(await inkFloor());
      for (const n of STARTUP_SIZES) {
        const r = await once(n);
        by[n].push(r.ready_ms);
        frameBytes[n].push(r.first_frame_bytes);
      }
      log(
        `start-up run ${i + 1}: node -e "" ${Math.round(base.at(-1))} ms; empty Ink app ${Math.round(floorMs.at(-1))} ms; ${STARTUP_SIZES.map((n) => `${n} items ${Math.round(by[n].at(-1))} ms`).join(', ')}`,
      );
    }
    return {
      baselineMs: summarize(base),
      emptyInkMs: summarize(floorMs),
      items: Object.fromEntries(
        STARTUP_SIZES.map((n) => [n, { firstFrameMs: summarize(by[n]), firstFrameBytes: summarize(frameBytes[n]) }]),
      ),
    };
  } finally {
    await s.remove();
  }
}

// Output flood: a command printing 200 MB of lines, run from the TUI (500-item checklist, 80×24).
// Figures: runsheet's peak resident memory (VmHWM of the node process, read before it quits)
// and the keystroke-to-frame time of cursor moves made while the flood runs. Baseline: the
// same session with nothing running (peak RSS and key latency of an idle runsheet).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { busyChecklist, moveLatencies, moveSteps, p50p95 } from '../lib/busy.mjs';
import { scratch } from '../lib/env.mjs';
import { loggedBytes } from '../lib/logs.mjs';
import { summarize } from '../lib/stats.mjs';
import { KEY, driveTui } from '../lib/tui.mjs';

const ITEMS = 500;
const BYTES = 200_000_000;
const FLOOD = `yes 'flood: 0123456789 abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789' | head -c ${BYTES}`;
// The status line once the flood has finished: "Busy command: passed — exit 0 · 4.1s".
const DONE = 'passed —';

export async function measureFlood({ runs = 5, log = () => {} } = {}) {
  const s = await scratch();
  try {
    const file = join(s.dir, 'flood.yaml');
    const { text, inPhase1 } = busyChecklist(ITEMS, FLOOD);
    await writeFile(file, text);
    const out = { rssMiB: [], idleRssMiB: [], p50: [], p95: [], idleP50: [], idleP95: [], floodS: [] };
    let k = 0;
    for (let i = 0; i < runs; i++) {
      const idle = await driveTui({
        args: ['run', file, '--fresh'],
        home: join(s.dir, `home-${++k}`),
        cwd: s.dir,
        steps: moveSteps(20, inPhase1),
      });
      const home = join(s.dir, `home-${++k}`);
      const r = await driveTui({
        args: ['run', file, '--fresh'],
        home,
        cwd: s.dir,
        steps: [
          { label: 'start', send: KEY.enter, marker: 'Ctrl-C stops', max_ms: 5000 },
          // Keys at an operator's pace until the flood is over (a pair of moves per round).
          { label: 'flood', loop: moveSteps(2, inPhase1, 30), until: DONE, max_ms: 120_000 },
        ],
      });
      const loop = r.steps.find((x) => x.label === 'flood');
      if (!loop || loop.timed_out) throw new Error('the 200 MB flood did not finish within 120 s');
      const logged = await loggedBytes(home);
      if (logged < BYTES) throw new Error(`runsheet logged ${logged} bytes of the ${BYTES}-byte flood`);
      const m = p50p95(moveLatencies(r.steps).ms);
      const b = p50p95(moveLatencies(idle.steps).ms);
      out.rssMiB.push(r.vmhwm_kb / 1024);
      out.idleRssMiB.push(idle.vmhwm_kb / 1024);
      out.p50.push(m.p50);
      out.p95.push(m.p95);
      out.idleP50.push(b.p50);
      out.idleP95.push(b.p95);
      out.floodS.push(loop.until_ms / 1000);
      log(
        `flood run ${i + 1}: peak RSS ${(r.vmhwm_kb / 1024).toFixed(1)} MiB (idle ${(idle.vmhwm_kb / 1024).toFixed(1)}); ${m.n} keys during ${(loop.until_ms / 1000).toFixed(1)} s: p50 ${m.p50.toFixed(1)} ms p95 ${m.p95.toFixed(1)} ms max ${m.max.toFixed(1)} ms (idle p95 ${b.p95.toFixed(1)})`,
      );
    }
    return {
      config: { items: ITEMS, bytes: BYTES, command: FLOOD, cols: 80, rows: 24 },
      peakRssMiB: summarize(out.rssMiB),
      idlePeakRssMiB: summarize(out.idleRssMiB),
      keyP50Ms: summarize(out.p50),
      keyP95Ms: summarize(out.p95),
      idleKeyP50Ms: summarize(out.idleP50),
      idleKeyP95Ms: summarize(out.idleP95),
      floodSeconds: summarize(out.floodS),
    };
  } finally {
    await s.remove();
  }
}

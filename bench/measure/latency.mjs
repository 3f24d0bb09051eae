// Keystroke-to-frame latency while a command streams output as fast as it can (`yes`, never
// ending), in a 500-item checklist at 80×24: the cursor moves between the streaming item (its
// pane redraws the live output) and the next item; each move is timed from the key to the
// frame that shows the cursor's new position. Baseline: the same moves with nothing running.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { busyChecklist, moveLatencies, moveSteps, p50p95 } from '../lib/busy.mjs';
import { scratch } from '../lib/env.mjs';
import { loggedBytes } from '../lib/logs.mjs';
import { summarize } from '../lib/stats.mjs';
import { KEY, driveTui } from '../lib/tui.mjs';

const ITEMS = 500;
const MOVES = 40;
const STREAM = "yes 'streaming output: 0123456789 abcdefghijklmnopqrstuvwxyz 0123456789'";

export async function measureLatency({ runs = 5, log = () => {} } = {}) {
  const s = await scratch();
  try {
    const file = join(s.dir, 'stream.yaml');
    const { text, inPhase1 } = busyChecklist(ITEMS, STREAM);
    await writeFile(file, text);
    const moves = moveSteps(MOVES, inPhase1);
    const idle = { p50: [], p95: [] };
    const busy = { p50: [], p95: [] };
    const rate = [];
    let k = 0;
    for (let i = 0; i < runs; i++) {
      const base = await driveTui({ args: ['run', file, '--fresh'], home: join(s.dir, `home-${++k}`), cwd: s.dir, steps: moves });
      const b = moveLatencies(base.steps);
      // Start the command, give it a moment to reach full speed, then move about; Ctrl-C stops it.
      const home = join(s.dir, `home-${++k}`);
      const t0 = performance.now();
      const r = await driveTui({
        args: ['run', file, '--fresh'],
        home,
        cwd: s.dir,
        steps: [
          { label: 'start', send: KEY.enter, marker: 'Ctrl-C stops', max_ms: 5000 },
          { label: 'warm', send: '', pause_ms: 500, quiet_ms: 0, max_ms: 1 },
          ...moves,
          { label: 'stop', send: KEY.ctrlC, marker: 'stopping', max_ms: 5000 },
        ],
        quit: ['q', 'x'],
      });
      const seconds = (performance.now() - t0) / 1000;
      // What the command got through while keys were timed: proof that it was streaming.
      rate.push((await loggedBytes(home)) / 1048576 / seconds);
      const m = moveLatencies(r.steps);
      if (m.timedOut || b.timedOut) throw new Error(`${m.timedOut + b.timedOut} keystrokes got no frame within 5 s`);
      const bs = p50p95(b.ms);
      const ms = p50p95(m.ms);
      idle.p50.push(bs.p50);
      idle.p95.push(bs.p95);
      busy.p50.push(ms.p50);
      busy.p95.push(ms.p95);
      log(
        `latency run ${i + 1}: streaming p50 ${ms.p50.toFixed(1)} ms p95 ${ms.p95.toFixed(1)} ms max ${ms.max.toFixed(1)} ms (command output ${rate.at(-1).toFixed(1)} MiB/s); idle p50 ${bs.p50.toFixed(1)} p95 ${bs.p95.toFixed(1)} ms`,
      );
    }
    return {
      config: { items: ITEMS, moves: MOVES, command: STREAM, cols: 80, rows: 24 },
      streamingP50Ms: summarize(busy.p50),
      streamingP95Ms: summarize(busy.p95),
      idleP50Ms: summarize(idle.p50),
      idleP95Ms: summarize(idle.p95),
      streamMiBPerS: summarize(rate),
    };
  } finally {
    await s.remove();
  }
}

// Bytes written to the terminal per keystroke: moving the cursor down one row and ticking an item,
// in a 500-item checklist at 80×24 and 200×60, plus 50 and 5,000 items at 80×24 to show whether
// the cost depends on checklist length (one phase each, so only the length differs). A keystroke's
// bytes are everything written after it until the screen has been quiet for 60 ms.
// The moves go 30 rows down from the top, so they include scrolling the list, not only moves
// inside the first screenful: the figure is the mean per move (what a session costs), with the
// worst single move beside it. Baseline: the first full frame of the same session.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateChecklist } from '../lib/checklists.mjs';
import { scratch } from '../lib/env.mjs';
import { median, summarize } from '../lib/stats.mjs';
import { KEY, driveTui } from '../lib/tui.mjs';

export const KEYSTROKE_CONFIGS = [
  { items: 500, cols: 80, rows: 24, tick: true },
  { items: 500, cols: 200, rows: 60, tick: true },
  { items: 50, cols: 80, rows: 24, tick: false },
  { items: 5000, cols: 80, rows: 24, tick: false },
];

const DOWNS = 30;
const TICKS = 6;
const QUIET_MS = 60;

function stepsFor(tick) {
  const steps = [];
  if (tick) {
    // Tick the first items (a manual section) in order, moving down after each.
    for (let i = 0; i < TICKS; i++) {
      steps.push({ label: 'tick', send: KEY.space, quiet_ms: QUIET_MS, expect_output: true, max_ms: 3000 });
      steps.push({ label: 'tick-move', send: KEY.down, quiet_ms: QUIET_MS, expect_output: true, max_ms: 3000 });
    }
    // Back to the top, so the moves below start from the same place with or without ticks.
    for (let i = 0; i < TICKS; i++) steps.push({ label: 'up', send: KEY.up, quiet_ms: QUIET_MS, expect_output: true, max_ms: 3000 });
  }
  for (let i = 0; i < DOWNS; i++) steps.push({ label: 'down', send: KEY.down, quiet_ms: QUIET_MS, expect_output: true, max_ms: 3000 });
  return steps;
}

export const configName = (c) => `${c.items} items ${c.cols}x${c.rows}`;

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;

export async function measureKeystrokes({ runs = 5, log = () => {} } = {}) {
  const s = await scratch();
  try {
    const out = {};
    let k = 0;
    for (const c of KEYSTROKE_CONFIGS) {
      const file = join(s.dir, `checklist-${c.items}.yaml`);
      await writeFile(file, generateChecklist({ items: c.items, phases: 1 }));
      const down = [];
      const downMedian = [];
      const downMax = [];
      const tick = [];
      const frame = [];
      for (let i = 0; i < runs; i++) {
        const r = await driveTui({
          args: ['run', file, '--fresh'],
          home: join(s.dir, `home-${++k}`),
          cwd: s.dir,
          cols: c.cols,
          rows: c.rows,
          steps: stepsFor(c.tick),
        });
        const bytes = (label) => r.steps.filter((x) => x.label === label).map((x) => x.bytes);
        const d = bytes('down');
        if (d.some((b) => b === 0)) throw new Error(`a cursor move wrote nothing (${configName(c)}): the screen did not answer`);
        down.push(mean(d));
        downMedian.push(median(d));
        downMax.push(Math.max(...d));
        if (c.tick) tick.push(median(bytes('tick')));
        frame.push(r.first_frame_bytes);
        log(
          `keystrokes ${configName(c)} run ${i + 1}: down ${d.join(',')}${c.tick ? `; tick ${bytes('tick').join(',')}` : ''}; first frame ${r.first_frame_bytes} B`,
        );
      }
      out[configName(c)] = {
        ...c,
        downBytesMean: summarize(down),
        downBytesMedian: summarize(downMedian),
        downBytesMax: summarize(downMax),
        ...(c.tick ? { tickBytes: summarize(tick) } : {}),
        firstFrameBytes: summarize(frame),
      };
    }
    return out;
  } finally {
    await s.remove();
  }
}

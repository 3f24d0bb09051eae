// State write per action: a run of a 5,000-item checklist with 20,000 events in its log is
// resumed in the TUI (80×24) and items are ticked. For each Space, from the keystroke:
//   - log_ms:    events.jsonl has grown (the event is written; fdatasync follows at once);
//   - ack_ms:    the frame showing the item ticked: drawn only after the append's fdatasync
//                returned, so it is an upper bound of keystroke-to-durable;
//   - state_ms:  state.json replaced (the lowdb cache of the fold, written atomically after).
// Baseline: the same ticks in a 50-item run with 40 events.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { writeBigRun } from '../lib/big-run.mjs';
import { generateChecklist } from '../lib/checklists.mjs';
import { scratch } from '../lib/env.mjs';
import { percentile, summarize } from '../lib/stats.mjs';
import { KEY, driveTui } from '../lib/tui.mjs';

const ITEMS = 5000;
const EVENTS = 20_000;
const TICKS = 10;
// The first sections of phase 1 stay pending in the big run, so they can be ticked in order.
const PENDING = 30;
const SMALL_EVENTS = 40;

function tickSteps(runDir) {
  const steps = [];
  for (let i = 1; i <= TICKS; i++) {
    steps.push({
      label: 'tick',
      send: KEY.space,
      // The item's row with its tick: the first frame after the event's fdatasync returned.
      marker: `[x] Item ${i} confirm`,
      watch: [
        { path: join(runDir, 'events.jsonl'), kind: 'grow', name: 'log' },
        { path: join(runDir, 'state.json'), kind: 'replace', name: 'state' },
      ],
      pause_ms: 50,
      max_ms: 5000,
    });
    steps.push({ label: 'down', send: KEY.down, quiet_ms: 50, max_ms: 2000 });
  }
  return steps;
}

function itemsOf(text) {
  const doc = parse(text);
  const ids = [];
  const runs = [];
  for (const p of doc.phases)
    for (const s of p.sections)
      for (const it of s.items) {
        ids.push(it.id);
        if (it.run) runs.push(it.id);
      }
  return { ids, runs };
}

function figures(steps) {
  const ticks = steps.filter((x) => x.label === 'tick');
  const bad = ticks.filter((x) => !Number.isFinite(x.marker_ms) || !Number.isFinite(x.log_ms));
  if (bad.length) throw new Error(`${bad.length} of ${ticks.length} ticks were not acknowledged within 5 s`);
  const pick = (k) => ticks.map((x) => x[k]).filter(Number.isFinite);
  return {
    ack: percentile(pick('marker_ms'), 50),
    log: percentile(pick('log_ms'), 50),
    state: percentile(pick('state_ms'), 50),
    ackMax: Math.max(...pick('marker_ms')),
  };
}

export async function measureStateWrite({ runs = 5, log = () => {} } = {}) {
  const s = await scratch();
  try {
    const bigFile = join(s.dir, 'big.yaml');
    const bigText = generateChecklist({ items: ITEMS });
    await writeFile(bigFile, bigText);
    const smallFile = join(s.dir, 'small.yaml');
    const smallText = generateChecklist({ items: 50 });
    await writeFile(smallFile, smallText);
    const smallItems = itemsOf(smallText);
    const { ids, runs: runIds } = itemsOf(bigText);
    const out = { ack: [], log: [], state: [], ackMax: [], resumeMs: [], bAck: [], bLog: [], bState: [] };
    for (let i = 0; i < runs; i++) {
      const home = join(s.dir, `home-${i}`);
      const big = await writeBigRun({
        home,
        checklistPath: bigFile,
        text: bigText,
        title: `Bench ${ITEMS} items`,
        doneIds: ids.slice(PENDING),
        checkIds: runIds,
        total: EVENTS,
      });
      const r = await driveTui({ args: ['resume', big.runId], home, cwd: s.dir, steps: tickSteps(big.dir), readyTimeoutMs: 60_000 });
      const f = figures(r.steps);
      // Baseline: the same ticks in a 50-item run with a short history.
      const smallHome = join(s.dir, `small-${i}`);
      const small = await writeBigRun({
        home: smallHome,
        checklistPath: smallFile,
        text: smallText,
        title: 'Bench 50 items',
        doneIds: smallItems.ids.slice(PENDING),
        checkIds: smallItems.runs,
        total: SMALL_EVENTS,
      });
      const bs = await driveTui({ args: ['resume', small.runId], home: smallHome, cwd: s.dir, steps: tickSteps(small.dir) });
      const bf = figures(bs.steps);
      out.ack.push(f.ack);
      out.log.push(f.log);
      out.state.push(f.state);
      out.ackMax.push(f.ackMax);
      out.resumeMs.push(r.ready_ms);
      out.bAck.push(bf.ack);
      out.bLog.push(bf.log);
      out.bState.push(bf.state);
      log(
        `state write run ${i + 1}: ${ITEMS} items/${EVENTS} events: key→log ${f.log.toFixed(1)} ms, key→ack ${f.ack.toFixed(1)} ms (max ${f.ackMax.toFixed(1)}), key→state.json ${f.state.toFixed(1)} ms, resume ${Math.round(r.ready_ms)} ms; 50 items: log ${bf.log.toFixed(1)}, ack ${bf.ack.toFixed(1)}, state.json ${bf.state.toFixed(1)} ms`,
      );
    }
    return {
      config: { items: ITEMS, events: EVENTS, ticks: TICKS, cols: 80, rows: 24 },
      keyToLogMs: summarize(out.log),
      keyToAckMs: summarize(out.ack),
      keyToAckMaxMs: summarize(out.ackMax),
      keyToStateJsonMs: summarize(out.state),
      resumeFirstFrameMs: summarize(out.resumeMs),
      baseline: {
        items: 50,
        events: SMALL_EVENTS,
        keyToLogMs: summarize(out.bLog),
        keyToAckMs: summarize(out.bAck),
        keyToStateJsonMs: summarize(out.bState),
      },
    };
  } finally {
    await s.remove();
  }
}

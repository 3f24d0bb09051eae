// Turns the benchmarks' results into table rows, with the issue's targets (docs/performance.md):
// each row is a figure (median, min, max over the runs), its same-run baseline, the ratio to it,
// and the target with met/missed where one applies.
import { summarize } from './stats.mjs';

const MB = 1_000_000;

const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? a / b : undefined);

function startupRows(r) {
  const base = r.baselineMs.median;
  const at = (n) => r.items[n].firstFrameMs;
  const rows = [{ figure: 'start-up: `node -e ""` in the pty (baseline)', unit: 'ms', stat: r.baselineMs }];
  // The floor (bench/floor/empty-ink.tsx): an Ink app drawing two lines, bundled and cached alike.
  if (r.emptyInkMs)
    rows.push({
      figure: 'start-up: empty Ink app, two lines (floor for any Ink first frame)',
      unit: 'ms',
      stat: r.emptyInkMs,
      baseline: { label: 'node', value: base },
      ratio: ratio(r.emptyInkMs.median, base),
    });
  for (const n of Object.keys(r.items)) {
    const row = {
      figure: `start-up to first frame, ${Number(n).toLocaleString('en')} items (80×24)`,
      unit: 'ms',
      stat: at(n),
      baseline: { label: 'node', value: base },
      ratio: ratio(at(n).median, base),
    };
    if (n === '500') Object.assign(row, { target: '≤ 3× node', met: row.ratio <= 3 });
    if (n === '5000' && r.items['500']) {
      // 10× the items must cost less than 10× the time.
      const growth = at('5000').median / at('500').median;
      Object.assign(row, { target: `sub-linear: ${growth.toFixed(2)}× the 500-item time for 10× the items`, met: growth < 10 });
    }
    rows.push(row);
  }
  return rows;
}

function keystrokeRows(r) {
  const rows = [];
  const lengths = [];
  for (const [name, c] of Object.entries(r)) {
    const size = `${c.cols}×${c.rows}`;
    const frame = { label: 'full frame', value: c.firstFrameBytes.median, unit: 'B' };
    const move = {
      figure: `bytes per cursor move, ${c.items.toLocaleString('en')} items ${size} (mean of 30 moves; worst ${Math.round(c.downBytesMax.median)} B)`,
      unit: 'B',
      stat: c.downBytesMean,
      baseline: frame,
      ratio: ratio(c.downBytesMean.median, frame.value),
    };
    if (c.cols === 80) {
      Object.assign(move, { target: '≤ 1 KiB', met: c.downBytesMean.median <= 1024 });
      lengths.push(c.downBytesMean.median);
    }
    rows.push(move);
    if (c.tickBytes)
      rows.push({
        figure: `bytes per tick, ${c.items.toLocaleString('en')} items ${size}`,
        unit: 'B',
        stat: c.tickBytes,
        baseline: frame,
        ratio: ratio(c.tickBytes.median, frame.value),
      });
    void name;
  }
  if (lengths.length > 1) {
    // Independent of checklist length: 50, 500 and 5,000 items within 10% of each other.
    const spread = Math.max(...lengths) / Math.min(...lengths);
    rows.push({
      figure: 'cursor move bytes, 5,000 vs 50 items at 80×24 (largest ÷ smallest)',
      unit: '',
      stat: summarize([spread]),
      target: 'independent of length (≤ 1.1)',
      met: spread <= 1.1,
    });
  }
  return rows;
}

function latencyRows(r) {
  return [
    {
      figure: 'key → frame p50 while a command streams (`yes`)',
      unit: 'ms',
      stat: r.streamingP50Ms,
      baseline: { label: 'idle p50', value: r.idleP50Ms.median },
      ratio: ratio(r.streamingP50Ms.median, r.idleP50Ms.median),
    },
    {
      figure: 'key → frame p95 while a command streams (`yes`)',
      unit: 'ms',
      stat: r.streamingP95Ms,
      baseline: { label: 'idle p95', value: r.idleP95Ms.median },
      ratio: ratio(r.streamingP95Ms.median, r.idleP95Ms.median),
      target: '≤ 50 ms',
      met: r.streamingP95Ms.median <= 50,
    },
  ];
}

function floodRows(r) {
  const toMB = (s) => ({ ...s, median: (s.median * 1024 * 1024) / MB, min: (s.min * 1024 * 1024) / MB, max: (s.max * 1024 * 1024) / MB });
  const peak = toMB(r.peakRssMiB);
  const idle = toMB(r.idlePeakRssMiB);
  return [
    {
      figure: `peak RSS during a 200 MB flood (${r.floodSeconds.median.toFixed(1)} s)`,
      unit: 'MB',
      stat: peak,
      baseline: { label: 'idle', value: idle.median },
      ratio: ratio(peak.median, idle.median),
      target: '≤ 150 MB',
      met: peak.median <= 150,
    },
    {
      figure: 'key → frame p50 during the 200 MB flood',
      unit: 'ms',
      stat: r.keyP50Ms,
      baseline: { label: 'idle p50', value: r.idleKeyP50Ms?.median },
      ratio: ratio(r.keyP50Ms.median, r.idleKeyP50Ms?.median),
    },
    {
      figure: 'key → frame p95 during the 200 MB flood',
      unit: 'ms',
      stat: r.keyP95Ms,
      baseline: { label: 'idle p95', value: r.idleKeyP95Ms.median },
      ratio: ratio(r.keyP95Ms.median, r.idleKeyP95Ms.median),
      target: '≤ 50 ms',
      met: r.keyP95Ms.median <= 50,
    },
  ];
}

function parallelRows(r) {
  const ideal = r.idealMs;
  return [
    {
      figure: `${r.config.checks} HTTP checks of ${r.config.delayMs} ms, --jobs ${r.config.jobs}: first start → last result`,
      unit: 'ms',
      stat: r.checksWallMs,
      baseline: { label: 'ideal', value: ideal },
      ratio: ratio(r.checksWallMs.median, ideal),
      target: '≤ 1.3× ideal',
      met: r.checksWallMs.median <= 1.3 * ideal,
    },
    {
      figure: '… the whole headless process (includes start-up)',
      unit: 'ms',
      stat: r.processWallMs,
      baseline: { label: 'ideal', value: ideal },
      ratio: ratio(r.processWallMs.median, ideal),
    },
    {
      figure: '… one such check alone',
      unit: 'ms',
      stat: r.singleCheckMs,
      baseline: { label: 'delay', value: r.config.delayMs },
      ratio: ratio(r.singleCheckMs.median, r.config.delayMs),
    },
  ];
}

function stateRows(r) {
  const b = r.baseline;
  const big = `${r.config.items.toLocaleString('en')} items, ${r.config.events.toLocaleString('en')} events`;
  return [
    {
      figure: `key → durable and shown (fdatasync'd, frame drawn), ${big}`,
      unit: 'ms',
      stat: r.keyToAckMs,
      baseline: { label: `${b.items} items`, value: b.keyToAckMs.median },
      ratio: ratio(r.keyToAckMs.median, b.keyToAckMs.median),
      target: '≤ 20 ms',
      met: r.keyToAckMs.median <= 20,
    },
    {
      figure: `key → event written to events.jsonl, ${big}`,
      unit: 'ms',
      stat: r.keyToLogMs,
      baseline: { label: `${b.items} items`, value: b.keyToLogMs.median },
      ratio: ratio(r.keyToLogMs.median, b.keyToLogMs.median),
    },
    {
      figure: `key → state.json replaced (cache, after the ack), ${big}`,
      unit: 'ms',
      stat: r.keyToStateJsonMs,
      baseline: { label: `${b.items} items`, value: b.keyToStateJsonMs.median },
      ratio: ratio(r.keyToStateJsonMs.median, b.keyToStateJsonMs.median),
    },
    { figure: `resume to first frame, ${big}`, unit: 'ms', stat: r.resumeFirstFrameMs },
  ];
}

function teamRows(r) {
  if (r.skipped) return [];
  const file = r.baseline;
  const own = r.keyToAckP50Ms.median;
  return [
    {
      figure: 'team: key → durable ack p50, PostgreSQL store (frame drawn after the commit)',
      unit: 'ms',
      stat: r.keyToAckP50Ms,
      baseline: { label: 'file store', value: file.keyToAckP50Ms.median },
      ratio: ratio(r.keyToAckP50Ms.median, file.keyToAckP50Ms.median),
      target: '≤ 20 ms',
      met: r.keyToAckP50Ms.median <= 20,
    },
    {
      figure: 'team: key → durable ack p95, PostgreSQL store',
      unit: 'ms',
      stat: r.keyToAckP95Ms,
      baseline: { label: 'file store', value: file.keyToAckP95Ms.median },
      ratio: ratio(r.keyToAckP95Ms.median, file.keyToAckP95Ms.median),
    },
    {
      figure: 'team: key → commit heard by another connection (NOTIFY) p50',
      unit: 'ms',
      stat: r.keyToCommitHeardMs,
      baseline: { label: 'own ack p50', value: own },
      ratio: ratio(r.keyToCommitHeardMs.median, own),
    },
    {
      figure: `team: action → other terminal redraw p50 (${r.config.actions} actions)`,
      unit: 'ms',
      stat: r.otherRedrawP50Ms,
      baseline: { label: 'own ack p50', value: own },
      ratio: ratio(r.otherRedrawP50Ms.median, own),
      target: 'aim ≤ 100 ms',
      met: r.otherRedrawP50Ms.median <= 100,
    },
    {
      figure: `team: action → other terminal redraw p95 (worst per run: median ${Math.round(r.otherRedrawMaxMs.median)} ms)`,
      unit: 'ms',
      stat: r.otherRedrawP95Ms,
      baseline: { label: 'own ack p95', value: r.keyToAckP95Ms.median },
      ratio: ratio(r.otherRedrawP95Ms.median, r.keyToAckP95Ms.median),
      target: '≤ 1 s (aim ≤ 100 ms)',
      met: r.otherRedrawP95Ms.median <= 1000,
    },
  ];
}

const BUILDERS = {
  startup: startupRows,
  keys: keystrokeRows,
  latency: latencyRows,
  flood: floodRows,
  parallel: parallelRows,
  state: stateRows,
  team: teamRows,
};

export function tableRows(results) {
  const rows = [];
  for (const [name, r] of Object.entries(results)) if (!r.error && BUILDERS[name]) rows.push(...BUILDERS[name](r));
  return rows;
}

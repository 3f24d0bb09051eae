// Keystrokes timed while a command is busy writing output: a checklist whose first item is the
// command, and key steps that move the cursor between it and the next item. Each step waits for
// the separator line under the list ("── 2/101 · Phase 1 section 1 ──"), which changes only when
// the cursor moves — unlike the spinner or the live output, which change on their own.
import { generateChecklist } from './checklists.mjs';
import { KEY } from './tui.mjs';
import { percentile } from './stats.mjs';

export const LEAD_TITLE = 'Busy command';

/** A checklist of `items` manual items after one lead item running `command`. */
export function busyChecklist(items, command) {
  const lead = { id: 'busy', title: LEAD_TITLE, run: command, notes: 'The benchmark starts this item first.' };
  const phases = 5;
  const text = generateChecklist({ items, phases, lead, title: `Bench busy ${items}` });
  // Phase 1 holds its share of the items plus the lead item (see generateChecklist).
  const inPhase1 = Math.ceil(items / phases) + 1;
  return { text, inPhase1 };
}

/** Position text of the separator when the cursor is on row `pos` (1-based) of phase 1. */
function positionMarker(pos, inPhase1) {
  return pos === 1 ? `${pos}/${inPhase1} · Lead` : `${pos}/${inPhase1} · Phase 1 section 1`;
}

/**
 * Key steps alternating ↓ (onto item 1) and ↑ (back onto the busy item, whose pane shows its live
 * output), `count` in all, starting from the busy item. `pauseMs` between keys: an operator's pace,
 * not a burst.
 */
export function moveSteps(count, inPhase1, pauseMs = 40) {
  return Array.from({ length: count }, (_, k) => {
    const down = k % 2 === 0;
    return {
      label: 'move',
      send: down ? KEY.down : KEY.up,
      marker: positionMarker(down ? 2 : 1, inPhase1),
      pause_ms: pauseMs,
      max_ms: 5000,
    };
  });
}

/** Latencies (ms) of the timed move steps in a driver result, including nested loops. */
export function moveLatencies(steps) {
  const out = { ms: [], timedOut: 0 };
  const visit = (list) => {
    for (const s of list) {
      if (s.loop) visit(s.loop);
      else if (s.label === 'move') {
        if (Number.isFinite(s.marker_ms)) out.ms.push(s.marker_ms);
        else out.timedOut++;
      }
    }
  };
  visit(steps ?? []);
  return out;
}

export function p50p95(ms) {
  return { p50: percentile(ms, 50), p95: percentile(ms, 95), max: ms.length ? Math.max(...ms) : NaN, n: ms.length };
}

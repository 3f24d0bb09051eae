// The detail pane's tables (src/ui/detail-lines.ts) and the `i` overlay (src/ui/info-lines.ts):
// a comparison shows as many probe rows as the pane holds and says how many more; a snapshot
// shows its values with units; the run's identity is never cut.
import { describe, expect, it } from 'vitest';
import { detailLines, snapshotLines } from '../../src/ui/detail-lines.js';
import { infoLines } from '../../src/ui/info-lines.js';
import { initialState } from '../../src/core/state.js';
import type { Item } from '../../src/core/model.js';
import type { ComparisonRow } from '../../src/core/metrics/compare.js';

const row = (i: number): ComparisonRow => ({
  id: `probe_${i}`,
  title: `Probe ${i}`,
  unit: 'ms',
  critical: false,
  baseline: 100 + i,
  after: 100 + i,
  change: { abs: 0, rel: 0 },
  verdict: 'similar',
  status: 'pass',
  rule: '±5%',
  samples: { baseline: [100 + i], after: [100 + i] },
});

function compareItem(): Item {
  return {
    id: 'cmp',
    title: 'Compare with the baseline',
    action: { kind: 'compare', baseline: 'baseline', label: 'after' },
    critical: false,
    confirm: false,
  } as unknown as Item;
}

describe('detail pane tables', () => {
  it('a comparison shows every row that fits and then how many more, at 80×24 and 100×30 pane heights', () => {
    const state = initialState();
    state.comparisons.push({
      item: 'cmp',
      baseline: 'baseline',
      label: 'after',
      status: 'pass',
      rows: [1, 2, 3, 4, 5, 6].map(row),
      ts: '',
    });
    const st = { status: 'passed', attempts: 1, notes: [], result: { ok: true, summary: 'comparison pass', durationMs: 5 } } as never;
    // 80×24 gives the pane 7 lines, 100×30 gives it 9.
    const small = detailLines({ item: compareItem(), st, state, width: 79, height: 7, secrets: [], now: 0 }).map((l) => l.text);
    expect(small).toHaveLength(7);
    const shown = small.filter((t) => /^probe_\d/.test(t)).length;
    expect(shown).toBeGreaterThanOrEqual(4);
    expect(small.at(-1)).toBe(`↓ ${6 - shown} more rows · o shows the whole table`);
    const big = detailLines({ item: compareItem(), st, state, width: 99, height: 9, secrets: [], now: 0 }).map((l) => l.text);
    expect(big.filter((t) => /^probe_\d/.test(t))).toHaveLength(6);
    expect(big.join('\n')).not.toContain('more rows');
  });

  it('a snapshot lists metric, value with unit and source', () => {
    const lines = snapshotLines({
      file: 'x',
      sha256: 'y',
      probes: [
        { id: 'p95', title: 'Latency p95', value: 182, unit: 'ms', source: 'prometheus' },
        { id: 'err', title: 'Errors', value: null, source: 'http', error: 'HTTP 503' },
      ],
    })!.map((l) => l.text);
    expect(lines[0]).toMatch(/^metric\s+value\s+source$/);
    expect(lines).toContainEqual(expect.stringMatching(/^Latency p95\s+182 ms\s+prometheus$/));
    expect(lines).toContainEqual(expect.stringMatching(/^Errors\s+no data \(HTTP 503\)\s+http$/));
    expect(snapshotLines({ file: 'x', sha256: 'y' })).toBeUndefined();
  });
});

describe('the i overlay', () => {
  it('puts each value whole on its own line from the first column; a long path continues on the next line', () => {
    const state = initialState();
    state.operator = 'ann';
    state.host = 'bastion-1';
    state.startedAt = '2026-11-23T10:15:00.000Z';
    state.checklist = { path: '/srv/checklists/deploy.yaml', sha256: '', title: 'Deploy' };
    const runId = '20261123-101500-demo-service-release-1-5-a1b2';
    const runDir = `/home/operator/.runsheet/runs/${runId}`;
    const lines = infoLines({
      runId,
      state,
      env: 'production',
      operator: 'ann',
      runDir,
      warnings: [
        'took over a stale lock left by process 4242 (no longer running)',
        'the checklist changed since this run started: 1 item(s) added (charlie), 0 removed',
      ],
      readOnly: false,
      width: 60,
    }).map((l) => l.text);
    for (const v of [runId, '/srv/checklists/deploy.yaml', 'production', 'ann', 'bastion-1', '2026-11-23T10:15:00.000Z'])
      expect(lines).toContain(v);
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(60);
    const log = lines.slice(lines.indexOf('Event log') + 1, lines.indexOf('Command output logs')).join('');
    expect(log).toBe(`${runDir}/events.jsonl`);
    const text = lines.join(' ').replace(/\s+/g, ' ');
    expect(text).toContain('took over a stale lock left by process 4242 (no longer running)');
    expect(text).toContain('1 item(s) added (charlie), 0 removed');
  });
});

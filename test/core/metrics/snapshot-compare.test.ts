import { describe, expect, it } from 'vitest';
import type { Metric } from '../../../src/core/model.js';
import {
  SNAPSHOT_SCHEMA,
  checklistMismatches,
  definitionMismatches,
  median,
  probeFingerprint,
  probeSnapshot,
  type Sample,
  type Snapshot,
} from '../../../src/core/metrics/snapshot.js';
import { compareSnapshots } from '../../../src/core/metrics/compare.js';
import { formatComparison } from '../../../src/core/metrics/format.js';
import { sparkline } from '../../../src/core/metrics/sparkline.js';

export function metric(id: string, over: Partial<Metric> = {}): Metric {
  return {
    id,
    title: id,
    unit: 'ms',
    source: { kind: 'prometheus', url: 'http://prom:9090', query: `q_${id}` },
    better: 'lower',
    tolerance: 0.05,
    noise_floor: 0,
    warn: { value: 10, relative: true },
    fail: { value: 25, relative: true },
    critical: false,
    ...over,
  };
}

const vals = (...v: (number | null)[]): Sample[] =>
  v.map((x, i) =>
    x === null
      ? { t: `2025-01-01T00:00:0${i}.000Z`, error: 'no data (empty result)', nodata: true }
      : { t: `2025-01-01T00:00:0${i}.000Z`, value: x },
  );

function snap(label: string, probes: [Metric, Sample[]][]): Snapshot {
  return {
    schema: SNAPSHOT_SCHEMA,
    label,
    run_id: null,
    checklist: 'demo',
    environment: 'prod',
    taken_at: label === 'baseline' ? '2025-01-01T00:00:00.000Z' : '2025-01-01T01:00:00.000Z',
    probes: probes.map(([m, s]) => probeSnapshot(m, s)),
  };
}

describe('median and probe snapshots', () => {
  it('median of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });
  it('value is the median of successful samples; min/max from them; errors ignored', () => {
    const p = probeSnapshot(metric('a'), vals(120, null, 100, 140));
    expect([p.value, p.min, p.max]).toEqual([120, 100, 140]);
    expect(p.error).toBeUndefined();
  });
  it('all samples failing gives null, never 0, with the reason', () => {
    const p = probeSnapshot(metric('a'), vals(null, null));
    expect([p.value, p.min, p.max]).toEqual([null, null, null]);
    expect(p.error).toBe('no data (empty result)');
  });
});

describe('probe fingerprints', () => {
  it('ignore where the server is, not what is measured', () => {
    const a = metric('a');
    expect(probeFingerprint({ ...a, source: { kind: 'prometheus', url: 'http://127.0.0.1:9090', query: 'q_a' } })).toBe(
      probeFingerprint(a),
    );
    expect(probeFingerprint({ ...a, source: { kind: 'prometheus', url: 'http://prom:9090', query: 'sum(q_a)' } })).not.toBe(
      probeFingerprint(a),
    );
    expect(probeFingerprint({ ...a, unit: 's' })).not.toBe(probeFingerprint(a));
    const h = (url: string, json = 'x.y') => probeFingerprint({ unit: undefined, source: { kind: 'http', url, json } });
    expect(h('http://a:1/stats')).toBe(h('https://b/stats'));
    expect(h('http://a:1/stats')).not.toBe(h('http://a:1/other'));
    expect(h('http://a:1/stats', 'x.z')).not.toBe(h('http://a:1/stats'));
  });
  it('mismatches between snapshots and against a checklist', () => {
    const A = snap('baseline', [
      [metric('a'), vals(1)],
      [metric('b'), vals(1)],
    ]);
    const B = snap('after', [
      [metric('a', { source: { kind: 'command', command: 'echo 1' } }), vals(1)],
      [metric('b'), vals(1)],
    ]);
    expect(definitionMismatches(A, B)).toEqual(['a']);
    expect(checklistMismatches(A, [metric('a'), metric('b', { unit: 's' })])).toEqual(['b']);
  });
});

describe('compareSnapshots', () => {
  const lat = metric('lat', { critical: true });
  const err = metric('err', { unit: '%', noise_floor: 0.1 });
  const users = metric('users', { better: 'higher', unit: undefined, warn: undefined, fail: undefined });

  it('one row per probe with hand-checkable verdicts and an overall status', () => {
    const A = snap('baseline', [
      [lat, vals(100, 110, 105)],
      [err, vals(0.5)],
      [users, vals(1000)],
    ]);
    const B = snap('after', [
      [lat, vals(120, 118, 119)],
      [err, vals(0.55)],
      [users, vals(1100)],
    ]);
    const c = compareSnapshots(A, B);
    const byId = Object.fromEntries(c.rows.map((r) => [r.id, r]));
    // lat: 105 → 119 = +13.33% > warn 10%, < fail 25%
    expect(byId.lat).toMatchObject({ baseline: 105, after: 119, verdict: 'worse', status: 'warn' });
    expect(byId.lat.change!.abs).toBe(14);
    expect(byId.lat.change!.rel).toBeCloseTo(0.13333, 4);
    // err: +0.05 within the 0.1 noise floor
    expect(byId.err).toMatchObject({ verdict: 'similar', status: 'pass' });
    expect(byId.users).toMatchObject({ verdict: 'better', status: 'pass' });
    expect(byId.lat.samples).toEqual({ baseline: [100, 110, 105], after: [120, 118, 119] });
    expect(c.overall).toBe('warn');
  });

  it('a critical probe with no data fails; a probe missing from one side is a nodata row', () => {
    const A = snap('baseline', [
      [lat, vals(100)],
      [err, vals(0.5)],
    ]);
    const B = snap('after', [
      [lat, vals(null, null)],
      [users, vals(5)],
    ]);
    const c = compareSnapshots(A, B);
    expect(c.rows.map((r) => [r.id, r.status])).toEqual([
      ['lat', 'nodata'],
      ['users', 'nodata'],
      ['err', 'nodata'],
    ]);
    expect(c.rows[0].rule).toBe('no data after (critical probe): no data (empty result)');
    expect(c.rows[1].rule).toBe('probe not in the baseline snapshot');
    expect(c.rows[2].after).toBeNull();
    expect(c.overall).toBe('fail');
  });

  it('judges with the checklist rules when given, and only the requested ids', () => {
    const A = snap('baseline', [
      [lat, vals(100)],
      [err, vals(1)],
    ]);
    const B = snap('after', [
      [lat, vals(130)],
      [err, vals(1)],
    ]);
    expect(compareSnapshots(A, B).rows[0].status).toBe('fail'); // +30% > 25%
    const loose = metric('lat', { fail: { value: 50, relative: true } });
    const c = compareSnapshots(A, B, { metrics: [loose], ids: ['lat'] });
    expect(c.rows.map((r) => [r.id, r.status])).toEqual([['lat', 'warn']]);
    expect(c.overall).toBe('warn');
    const missing = compareSnapshots(A, B, { ids: ['nope'] });
    expect(missing.rows[0]).toMatchObject({ id: 'nope', status: 'nodata', rule: 'probe in neither snapshot' });
  });

  it('formats a table with every column', () => {
    const A = snap('baseline', [
      [lat, vals(100, 104)],
      [err, vals(null)],
    ]);
    const B = snap('after', [
      [lat, vals(130, 126)],
      [err, vals(0.2)],
    ]);
    const text = formatComparison(compareSnapshots(A, B));
    expect(text).toContain('baseline (2025-01-01T00:00:00.000Z) → after (2025-01-01T01:00:00.000Z)');
    const latLine = text.split('\n').find((l) => l.startsWith('lat*'))!;
    expect(latLine).toMatch(/lat\*\s+102 ms\s+128 ms\s+\+26\s+\+25\.5%\s+worse\s+fail\s+▁▂ █▇\s+worse by \+25\.5% \(\+26 ms\) > fail 25%/);
    const errLine = text.split('\n').find((l) => l.startsWith('err'))!;
    expect(errLine).toMatch(/err\s+no data\s+0\.2 %\s+—\s+—\s+—\s+nodata/);
    expect(text).toMatch(/overall: FAIL\n$/);
  });
});

describe('sparkline', () => {
  it('scales between min and max, shows gaps for no data, flat series mid-height', () => {
    expect(sparkline([1, 2, 3, 4, 5, 6, 7, 8])).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([0, null, 10])).toBe('▁ █');
    expect(sparkline([5, 5, 5])).toBe('▄▄▄');
    expect(sparkline([null, null])).toBe('  ');
    expect(sparkline([])).toBe('');
  });
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { judgeProbe, overallStatus, type ProbeRules } from '../../../src/core/metrics/verdict.js';

// The api_p95_ms probe: lower is better, 5% tolerance, 2 ms noise floor,
// warn beyond +10%, fail beyond +25%, max 800.
const p95: ProbeRules = {
  unit: 'ms',
  better: 'lower',
  tolerance: 0.05,
  noise_floor: 2,
  warn: { value: 10, relative: true },
  fail: { value: 25, relative: true },
  max: 800,
  critical: true,
};

const rules = (over: Partial<ProbeRules> = {}): ProbeRules => ({
  better: 'lower',
  tolerance: 0.05,
  noise_floor: 0,
  critical: false,
  ...over,
});

describe('judgeProbe: relative thresholds, lower is better', () => {
  const cases: [number, number, string, string, RegExp][] = [
    // baseline, after, verdict, status, rule
    [200, 200, 'similar', 'pass', /no change/],
    [200, 201, 'similar', 'pass', /\|change\| 1 ms ≤ noise floor 2 ms/], // +0.5%, inside noise floor
    [200, 210, 'similar', 'pass', /\+5% within tolerance ±5%/], // exactly 5%: "within"
    [200, 211, 'worse', 'pass', /worse by \+5\.5% \(\+11 ms\), within warn 10%/],
    [200, 220, 'worse', 'pass', /within warn 10%/], // exactly +10% is not "more than"
    [200, 221, 'worse', 'warn', /worse by \+10\.5% \(\+21 ms\) > warn 10%/],
    [200, 250, 'worse', 'warn', /> warn 10%/], // exactly +25%: warn, not fail
    [200, 251, 'worse', 'fail', /worse by \+25\.5% \(\+51 ms\) > fail 25%/],
    [200, 150, 'better', 'pass', /-25% is better \(lower is better\)/],
    [700, 801, 'worse', 'fail', /after 801 ms > max 800 ms/], // +14.4% would only warn; the bound fails
    [10, 12, 'similar', 'pass', /\|change\| 2 ms ≤ noise floor 2 ms/], // +20%, but only 2 ms
    [10, 12.5, 'worse', 'warn', /worse by \+25% \(\+2\.5 ms\) > warn 10%/], // 2.5 ms > floor; +25% not > 25%
    [10, 13, 'worse', 'fail', /> fail 25%/],
  ];
  it.each(cases)('%d → %d: %s / %s', (b, a, verdict, status, rule) => {
    const j = judgeProbe(p95, b, a);
    expect(j.verdict).toBe(verdict);
    expect(j.status).toBe(status);
    expect(j.rule).toMatch(rule);
  });

  it('reports the change absolute and relative', () => {
    expect(judgeProbe(p95, 200, 221).change).toEqual({ abs: 21, rel: 0.105 });
  });
});

describe('judgeProbe: higher is better', () => {
  const r = rules({ better: 'higher', tolerance: 0.02, warn: { value: 5, relative: true }, fail: { value: 20, relative: true }, min: 50 });
  it.each([
    [100, 101, 'similar', 'pass'], // +1% within 2%
    [100, 110, 'better', 'pass'],
    [100, 97, 'worse', 'pass'], // −3%: worse, inside warn 5%
    [100, 94, 'worse', 'warn'], // −6%
    [100, 79, 'worse', 'fail'], // −21%
    [60, 49, 'worse', 'fail'], // below min 50 (−18.3% alone would warn)
  ])('%d → %d: %s / %s', (b, a, verdict, status) => {
    const j = judgeProbe(r, b, a);
    expect([j.verdict, j.status]).toEqual([verdict, status]);
  });
  it('names the min bound', () => {
    expect(judgeProbe(r, 60, 49).rule).toBe('after 49 < min 50');
  });
});

describe('judgeProbe: absolute thresholds', () => {
  const r = rules({
    unit: 'req/s',
    better: 'higher',
    tolerance: 0,
    warn: { value: 50, relative: false },
    fail: { value: 200, relative: false },
  });
  it.each([
    [1000, 960, 'worse', 'pass', /worse by -4% \(-40 req\/s\), within warn 50 req\/s/],
    [1000, 950, 'worse', 'pass', /within warn/], // exactly 50 less
    [1000, 949, 'worse', 'warn', /> warn 50 req\/s/],
    [1000, 799, 'worse', 'fail', /> fail 200 req\/s/],
    [1000, 1300, 'better', 'pass', /\+30% is better/],
  ])('%d → %d: %s / %s', (b, a, verdict, status, rule) => {
    const j = judgeProbe(r, b, a);
    expect([j.verdict, j.status]).toEqual([verdict, status]);
    expect(j.rule).toMatch(rule);
  });
  it('the sign written in the threshold does not flip the direction', () => {
    const neg = rules({ better: 'higher', warn: { value: -50, relative: false } });
    expect(judgeProbe(neg, 1000, 940).status).toBe('warn');
    expect(judgeProbe(neg, 1000, 1060).status).toBe('pass');
  });
});

describe('judgeProbe: zero baseline (relative change undefined)', () => {
  const errRate = rules({ unit: '%', noise_floor: 0.1, warn: { value: 10, relative: true }, fail: { value: 0.5, relative: false } });
  it('no change from 0 is similar', () => {
    const j = judgeProbe(errRate, 0, 0);
    expect([j.verdict, j.status]).toEqual(['similar', 'pass']);
    expect(j.change).toEqual({ abs: 0, rel: null });
  });
  it('within the noise floor is similar, and says why the relative rules were not used', () => {
    const j = judgeProbe(errRate, 0, 0.05);
    expect([j.verdict, j.status]).toEqual(['similar', 'pass']);
    expect(j.rule).toMatch(/^baseline 0: relative change undefined, judged by absolute rules; \|change\| 0\.05 % ≤ noise floor 0\.1 %/);
  });
  it('worse with only a relative warn warns (cannot prove it acceptable), and says the warn was not applied', () => {
    const j = judgeProbe(errRate, 0, 0.3);
    expect([j.verdict, j.status]).toEqual(['worse', 'warn']);
    expect(j.rule).toMatch(/baseline 0: .*worse by \+0\.3 %, no applicable warn threshold \(warn 10% not applied\)/);
  });
  it('absolute fail still applies', () => {
    const j = judgeProbe(errRate, 0, 0.6);
    expect([j.verdict, j.status]).toEqual(['worse', 'fail']);
    expect(j.rule).toMatch(/> fail 0\.5 %/);
  });
  it('a drop to zero has a relative change of −100%', () => {
    const j = judgeProbe(rules({ better: 'higher', warn: { value: 50, relative: true } }), 40, 0);
    expect(j.change).toEqual({ abs: -40, rel: -1 });
    expect(j.status).toBe('warn');
  });
  it('better from zero (higher is better)', () => {
    const j = judgeProbe(rules({ better: 'higher' }), 0, 5);
    expect([j.verdict, j.status]).toEqual(['better', 'pass']);
    expect(j.rule).toMatch(/^baseline 0: .*\+5 is better/);
  });
});

describe('judgeProbe: better: none', () => {
  const r = rules({ better: 'none', tolerance: 0.05, warn: { value: 10, relative: true }, max: 100, min: 10 });
  it('a large change is neither better nor worse, and warn thresholds do not apply', () => {
    const j = judgeProbe(r, 20, 80);
    expect([j.verdict, j.status]).toEqual(['similar', 'pass']);
    expect(j.rule).toMatch(/better: none, change \+300% not judged; bounds respected/);
  });
  it('only max and min decide', () => {
    expect(judgeProbe(r, 20, 101).status).toBe('fail');
    expect(judgeProbe(r, 20, 9).status).toBe('fail');
    expect(judgeProbe(r, 20, 100).status).toBe('pass'); // at the bound is inside it
  });
});

describe('judgeProbe: no thresholds at all', () => {
  it('any worse change beyond the similar band warns', () => {
    const j = judgeProbe(rules(), 100, 106);
    expect([j.verdict, j.status]).toEqual(['worse', 'warn']);
    expect(j.rule).toMatch(/no applicable warn threshold/);
  });
  it('a fail threshold alone does not make small worse changes pass', () => {
    const j = judgeProbe(rules({ fail: { value: 50, relative: true } }), 100, 120);
    expect([j.verdict, j.status]).toEqual(['worse', 'warn']);
  });
});

describe('judgeProbe: no data', () => {
  it('is nodata, never a zero', () => {
    for (const [b, a] of [
      [null, 5],
      [5, null],
      [null, null],
    ] as const) {
      const j = judgeProbe(p95, b, a);
      expect(j.status).toBe('nodata');
      expect(j.verdict).toBeNull();
      expect(j.change).toBeNull();
    }
    expect(judgeProbe(p95, 100, null).rule).toBe('no data after (critical probe)');
    expect(judgeProbe(rules(), null, 5).rule).toBe('no data in baseline');
  });
  it('a bound broken by the after value fails even without a baseline', () => {
    const j = judgeProbe(p95, null, 900);
    expect(j.status).toBe('fail');
    expect(j.rule).toBe('after 900 ms > max 800 ms (no data in baseline)');
  });
});

describe('judgeProbe: negative baselines', () => {
  it('relative change uses |baseline|', () => {
    const j = judgeProbe(rules({ better: 'higher', warn: { value: 10, relative: true } }), -100, -120);
    expect(j.change).toEqual({ abs: -20, rel: -0.2 });
    expect([j.verdict, j.status]).toEqual(['worse', 'warn']);
  });
});

describe('judgeProbe properties', () => {
  const finite = fc.double({ min: -1e6, max: 1e6, noNaN: true });
  it('better/worse flip when the direction flips; none is never better or worse', () => {
    fc.assert(
      fc.property(finite, finite, (b, a) => {
        const lo = judgeProbe(rules({ tolerance: 0 }), b, a).verdict;
        const hi = judgeProbe(rules({ tolerance: 0, better: 'higher' }), b, a).verdict;
        const none = judgeProbe(rules({ tolerance: 0, better: 'none' }), b, a).verdict;
        const flip = { better: 'worse', worse: 'better', similar: 'similar' } as const;
        expect(hi).toBe(flip[lo!]);
        expect(none).toBe('similar');
      }),
    );
  });
  it('status is never nodata with two numbers, and better is always pass without bounds', () => {
    fc.assert(
      fc.property(finite, finite, (b, a) => {
        const j = judgeProbe(p95, b, a);
        expect(j.status).not.toBe('nodata');
        if (j.verdict === 'better' && a <= 800) expect(j.status).toBe('pass');
      }),
    );
  });
});

describe('overallStatus', () => {
  const row = (status: 'pass' | 'warn' | 'fail' | 'nodata', critical = false) => ({ status, critical });
  it.each([
    [[row('pass'), row('pass')], 'pass'],
    [[], 'pass'],
    [[row('pass'), row('warn')], 'warn'],
    [[row('pass'), row('nodata')], 'warn'], // a vanished non-critical metric is news
    [[row('pass'), row('nodata', true)], 'fail'], // a critical one fails
    [[row('warn'), row('fail')], 'fail'],
    [[row('pass', true), row('warn', true)], 'warn'],
  ] as const)('%j → %s', (rows, expected) => {
    expect(overallStatus([...rows])).toBe(expected);
  });
});

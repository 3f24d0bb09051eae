// The `metrics:` list → Metric[]: one source per probe, thresholds parsed from '+10%' / '+50'.
import type { Metric, MetricSource, Threshold } from './model.js';
import type { RawMetric } from './schema.js';
import type { Finder } from './yaml-pos.js';
import type { SemanticProblem } from './problem.js';

type Path = (string | number)[];
const SOURCES = ['prometheus', 'http', 'command', 'manual'] as const;

/** '+10%' → relative 10; '+50' or 50 → absolute 50. The sign only documents "worse by". */
export function parseThreshold(v: string | number): Threshold | { error: string } {
  if (typeof v === 'number') return Number.isFinite(v) ? { value: Math.abs(v), relative: false } : { error: 'threshold must be finite' };
  const m = /^\s*[+-]?\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(v);
  if (!m) return { error: `invalid threshold "${v}" (use e.g. '+10%' for relative or '+50' for absolute)` };
  return { value: Number(m[1]), relative: m[2] === '%' };
}

export function normalizeMetrics(
  raw: RawMetric[],
  finder: Finder,
  sub: (v: string, path: Path) => string,
  /** For the probe's `command:` (shell text): secrets become references, not values. */
  subCommand: (v: string, path: Path) => string = sub,
): { metrics: Metric[]; problems: SemanticProblem[] } {
  const problems: SemanticProblem[] = [];
  const report = (path: Path, message: string) => problems.push({ pos: finder.value(path), message });
  const seen = new Set<string>();
  const metrics = raw.map((m, i): Metric => {
    const path: Path = ['metrics', i];
    if (seen.has(m.id)) report([...path, 'id'], `duplicate metric id "${m.id}"`);
    seen.add(m.id);
    const sources = SOURCES.filter((k) => m[k] !== undefined);
    if (sources.length !== 1) {
      report(
        path,
        sources.length
          ? `metric "${m.id}" has ${sources.length} sources (${sources.join(', ')}): give exactly one`
          : `metric "${m.id}" needs a source: prometheus, http, command or manual: true`,
      );
    }
    let source: MetricSource = { kind: 'manual' };
    if (m.prometheus)
      source = {
        kind: 'prometheus',
        url: sub(m.prometheus.url, [...path, 'prometheus', 'url']),
        query: sub(m.prometheus.query, [...path, 'prometheus', 'query']),
      };
    else if (m.http) source = { kind: 'http', url: sub(m.http.url, [...path, 'http', 'url']), json: m.http.json };
    else if (m.command) source = { kind: 'command', command: subCommand(m.command, [...path, 'command']) };
    const thr = (key: 'warn' | 'fail'): Threshold | undefined => {
      if (m[key] === undefined) return undefined;
      const t = parseThreshold(m[key]);
      if ('error' in t) {
        report([...path, key], t.error);
        return undefined;
      }
      return t;
    };
    let tolerance = 0.05;
    if (m.tolerance !== undefined) {
      const t = parseThreshold(m.tolerance);
      if ('error' in t || !t.relative)
        report([...path, 'tolerance'], `tolerance is a percentage, e.g. 5% (use noise_floor for an absolute band)`);
      else tolerance = t.value / 100;
    }
    // Thresholds say "worse by more than …"; without a direction nothing is ever worse.
    if ((m.warn !== undefined || m.fail !== undefined) && (m.better ?? 'none') === 'none') {
      report(
        [...path, m.warn !== undefined ? 'warn' : 'fail'],
        `metric "${m.id}" has warn/fail thresholds but no direction: add better: lower or better: higher`,
      );
    }
    if (m.min !== undefined && m.max !== undefined && m.min > m.max) report([...path, 'min'], `min (${m.min}) is above max (${m.max})`);
    return {
      id: m.id,
      title: m.title ?? m.id,
      unit: m.unit,
      source,
      better: m.better ?? 'none',
      tolerance,
      noise_floor: m.noise_floor ?? 0,
      warn: thr('warn'),
      fail: thr('fail'),
      max: m.max,
      min: m.min,
      critical: m.critical ?? false,
    };
  });
  return { metrics, problems };
}

// Pass/fail rules for HTTP checks: status (default any 2xx), JSON key paths, body text, latency.
import type { HttpSpec } from './model.js';

/** Reads a dotted path ("checks.database.status", "items.0.id") from parsed JSON. */
export function jsonPath(value: unknown, path: string): unknown {
  let cur = value;
  for (const seg of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

function same(actual: unknown, expected: unknown): boolean {
  if (typeof expected === 'object' && expected !== null) return JSON.stringify(actual) === JSON.stringify(expected);
  // YAML `status: 200` vs JSON "200": compare loosely on scalars, as an operator would.
  return actual === expected || (actual !== undefined && actual !== null && String(actual) === String(expected));
}

export function judgeHttp(spec: HttpSpec, status: number, body: string, latencyMs: number): { ok: boolean; summary: string } {
  const statusOk = spec.status !== undefined ? status === spec.status : status >= 200 && status < 300;
  if (!statusOk) return { ok: false, summary: `HTTP ${status} (expected ${spec.status ?? '2xx'})` };
  if (spec.json) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return { ok: false, summary: `HTTP ${status}, but the body is not JSON` };
    }
    for (const [path, expected] of Object.entries(spec.json)) {
      const actual = jsonPath(parsed, path);
      if (!same(actual, expected))
        return {
          ok: false,
          summary: `HTTP ${status}, but ${path} is ${actual === undefined ? 'missing' : JSON.stringify(actual)} (expected ${JSON.stringify(expected)})`,
        };
    }
  }
  if (spec.body_contains !== undefined && !body.includes(spec.body_contains)) {
    return { ok: false, summary: `HTTP ${status}, but the body does not contain ${JSON.stringify(spec.body_contains)}` };
  }
  if (spec.max_ms !== undefined && latencyMs > spec.max_ms)
    return { ok: false, summary: `HTTP ${status} in ${latencyMs}ms (slower than ${spec.max_ms}ms)` };
  return { ok: true, summary: `HTTP ${status} in ${latencyMs}ms` };
}

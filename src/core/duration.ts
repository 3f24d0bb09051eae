// Durations in checklists: "500ms", "60s", "5m", "1h", a bare number of seconds, or "none".

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds, null for "none", or an error message. */
// A week is far past any maintenance window; larger values are typos or overflow tricks (1e308
// seconds is Infinity ms, which a timer would treat as 1 ms).
const MAX_MS = 7 * 24 * 3_600_000;

export function parseDuration(v: string | number): Parsed {
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || v < 0) return { error: `invalid duration ${v}` };
    return v * 1000 > MAX_MS ? { error: `duration ${v} (seconds) is longer than a week` } : { ms: Math.round(v * 1000) };
  }
  // Every item of a big checklist asks for the same few defaults ("10m", "2s"): parse each once.
  let parsed = PARSED.get(v);
  if (!parsed) {
    parsed = parseDurationText(v);
    if (PARSED.size < 1000) PARSED.set(v, parsed);
  }
  return parsed;
}

/** Shared between callers (cached): read-only. */
export type Parsed = Readonly<{ ms: number | null } | { error: string }>;
const PARSED = new Map<string, Parsed>();
const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/;

function parseDurationText(v: string): Parsed {
  const s = v.trim();
  if (s === 'none') return { ms: null };
  const m = DURATION.exec(s);
  if (!m) return { error: `invalid duration "${v}" (use e.g. 500ms, 30s, 5m, 1h or none)` };
  const ms = Math.round(Number(m[1]) * UNITS[m[2] ?? 's']);
  if (!(ms <= MAX_MS)) return { error: `duration "${v}" is longer than a week` };
  return { ms };
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${Number.isInteger(s) ? s : s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  const rs = Math.round(s % 60);
  if (m < 60) return rs ? `${m}m${rs}s` : `${m}m`;
  const h = Math.floor(m / 60);
  return `${h}h${m % 60 ? `${m % 60}m` : ''}`;
}

/** A short duration for status lines: "840ms", "12.3s". */
export function seconds(ms: number): string {
  return ms < 1000 ? `${ms}ms` : `${(ms / 1000).toFixed(1)}s`;
}

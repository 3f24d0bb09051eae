// Numbers, times and durations as a change board reads them: always with their unit, never as
// JSON, never with float noise (0.30000000000000004) or a bare ISO timestamp with milliseconds.

/** A measured value: at most 3 decimals, 3 significant digits below 1, no float noise. */
export function fmtNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (n === 0) return '0';
  const a = Math.abs(n);
  const v = a >= 100 ? Math.round(n * 10) / 10 : a >= 1 ? Math.round(n * 100) / 100 : Number(n.toPrecision(3));
  return Object.is(v, -0) ? '0' : String(v);
}

/** "182 ms", "0.3 %", "97 req/s"; a value without a unit stays a bare number. */
export function withUnit(n: number | null, unit?: string | null): string {
  if (n === null) return 'no data';
  const v = fmtNumber(n);
  if (!unit) return v;
  return unit === '%' ? `${v}%` : `${v} ${unit}`;
}

export function fmtSignedPct(fraction: number): string {
  const p = Math.round(fraction * 1000) / 10;
  if (p === 0) return '±0%';
  return `${p > 0 ? '+' : '−'}${Math.abs(p)}%`;
}

/** An absolute change; a change of a percentage is in percentage points, never "+0.2%". */
export function fmtSigned(n: number, unit?: string | null): string {
  const sign = n > 0 ? '+' : n < 0 ? '−' : '±';
  if (unit === '%') return `${sign}${fmtNumber(Math.abs(n))} pp`;
  return `${sign}${withUnit(Math.abs(n), unit)}`;
}

/** "1 h 12 min", "4 min 05 s", "12 s", "350 ms"; "–" when unknown. */
export function fmtDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return `${Math.round(ms / 100) / 10} s`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** "2026-03-01 10:04:59 UTC" from an ISO timestamp; "–" when absent; the text itself if not a time. */
export function fmtTime(iso: string | null | undefined): string {
  if (!iso) return '–';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return `${new Date(t).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** Only the clock part, for a window that is all on one day. */
export function fmtClock(iso: string | null | undefined): string {
  const full = fmtTime(iso);
  return full.endsWith(' UTC') ? full.slice(11) : full;
}

export function spanMs(from: string | null | undefined, to: string | null | undefined): number | null {
  if (!from || !to) return null;
  const d = Date.parse(to) - Date.parse(from);
  return Number.isFinite(d) && d >= 0 ? d : null;
}

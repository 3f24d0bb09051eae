// A one-line sparkline of sample values, for comparison tables and watch trends.
const BARS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/**
 * Scale values between their own min and max; null (no data) shows as a gap so a vanished
 * metric is visible rather than drawn as the lowest bar. Flat series draw at mid height.
 */
export function sparkline(values: (number | null)[], opts: { gap?: string } = {}): string {
  const gap = opts.gap ?? ' ';
  const nums = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (nums.length === 0) return values.map(() => gap).join('');
  const lo = Math.min(...nums);
  const hi = Math.max(...nums);
  return values
    .map((v) => {
      if (v === null || !Number.isFinite(v)) return gap;
      if (hi === lo) return BARS[3];
      const i = Math.round(((v - lo) / (hi - lo)) * (BARS.length - 1));
      return BARS[i];
    })
    .join('');
}

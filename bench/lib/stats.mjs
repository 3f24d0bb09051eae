// Small statistics for benchmark samples: every figure is reported as median with min and max.

export function median(xs) {
  return percentile(xs, 50);
}

/** Nearest-rank percentile (p in 0..100) of a non-empty list. */
export function percentile(xs, p) {
  const s = [...xs].filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return NaN;
  const rank = Math.ceil((p / 100) * s.length);
  return s[Math.min(s.length - 1, Math.max(0, rank - 1))];
}

/** {median, min, max, n, samples} of one figure over runs. */
export function summarize(samples) {
  const xs = samples.filter((x) => Number.isFinite(x));
  return {
    median: median(xs),
    min: xs.length ? Math.min(...xs) : NaN,
    max: xs.length ? Math.max(...xs) : NaN,
    n: xs.length,
    samples: xs.map((x) => Math.round(x * 100) / 100),
  };
}

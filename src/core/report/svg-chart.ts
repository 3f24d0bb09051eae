// One before/after chart per compared metric, as inline SVG: the baseline samples on the left,
// the value after the change at each comparison over time on the right (a watch draws its
// trend), the baseline as a dashed line, the tolerance band (what counts as "similar") shaded
// green, and the fail threshold and hard max/min as red lines, each labelled with its unit.
import type { MetricRow } from './comparisons.js';
import type { MetricRules } from './view.js';
import { esc } from './html-escape.js';
import { fmtClock, withUnit } from './units.js';

const W = 360;
const H = 170;
const L = 80;
const R = 12;
const T = 12;
const B = 30;
const SPLIT = 0.28;

const STATUS_COLOR: Record<string, string> = { pass: '#1a7f37', warn: '#bf8700', fail: '#cf222e', nodata: '#8c959f' };

function thresholdValue(b: number, t: { value: number; relative: boolean }, better: MetricRules['better']): number {
  const amount = t.relative ? (Math.abs(b) * Math.abs(t.value)) / 100 : Math.abs(t.value);
  return better === 'higher' ? b - amount : b + amount;
}

export function metricChartSvg(row: MetricRow, rules?: MetricRules): string {
  const base = row.baseline;
  const after = row.series.map((s) => s.value);
  const lines: { v: number; label: string; color: string }[] = [];
  let band: [number, number] | null = null;
  if (base !== null && rules) {
    const half = Math.max(rules.tolerance * Math.abs(base), rules.noise_floor);
    if (half > 0) band = [base - half, base + half];
    if (rules.fail && rules.better !== 'none')
      lines.push({ v: thresholdValue(base, rules.fail, rules.better), label: 'fail', color: '#cf222e' });
    if (rules.max !== undefined) lines.push({ v: rules.max, label: 'max', color: '#cf222e' });
    if (rules.min !== undefined) lines.push({ v: rules.min, label: 'min', color: '#cf222e' });
  }
  const data = [
    ...row.samples.baseline,
    ...after.filter((v): v is number => v !== null),
    ...(base !== null ? [base] : []),
    ...(band ?? []),
  ];
  // Threshold lines far outside the data would flatten the picture: show only those near it.
  const lo0 = data.length ? Math.min(...data) : 0;
  const hi0 = data.length ? Math.max(...data) : 1;
  const near = (v: number) => v >= lo0 - (hi0 - lo0 || Math.abs(hi0) || 1) * 1.5 && v <= hi0 + (hi0 - lo0 || Math.abs(hi0) || 1) * 1.5;
  const shown = lines.filter((l) => near(l.v));
  const all = [...data, ...shown.map((l) => l.v)];
  let lo = all.length ? Math.min(...all) : 0;
  let hi = all.length ? Math.max(...all) : 1;
  if (hi === lo) {
    const pad = Math.abs(hi) * 0.1 || 1;
    lo -= pad;
    hi += pad;
  }
  const padY = (hi - lo) * 0.12;
  lo -= padY;
  hi += padY;
  const y = (v: number): number => T + (1 - (v - lo) / (hi - lo)) * (H - T - B);
  const plotW = W - L - R;
  const splitX = L + plotW * SPLIT;
  const out: string[] = [];
  out.push(
    `<svg class="metric-chart" data-chart="metric" data-metric="${esc(row.id)}" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(`${row.title}: ${row.result}`)}" xmlns="http://www.w3.org/2000/svg">`,
  );
  out.push(`<rect x="${L}" y="${T}" width="${plotW}" height="${H - T - B}" fill="#fff" stroke="#d0d7de"/>`);
  if (band) {
    const top = y(Math.min(hi, band[1]));
    const bottom = y(Math.max(lo, band[0]));
    out.push(
      `<rect class="band" x="${L}" y="${top.toFixed(1)}" width="${plotW}" height="${Math.max(0, bottom - top).toFixed(1)}" fill="#dafbe1"><title>${esc(`similar: ${withUnit(band[0], row.unit)} to ${withUnit(band[1], row.unit)}`)}</title></rect>`,
    );
  }
  for (const l of shown) {
    const yy = y(l.v).toFixed(1);
    out.push(
      `<line x1="${L}" y1="${yy}" x2="${W - R}" y2="${yy}" stroke="${l.color}" stroke-dasharray="4 3"/><text x="${W - R - 2}" y="${(Number(yy) - 3).toFixed(1)}" font-size="10" fill="${l.color}" text-anchor="end">${esc(`${l.label} ${withUnit(l.v, row.unit)}`)}</text>`,
    );
  }
  if (base !== null) {
    const yy = y(base).toFixed(1);
    out.push(`<line class="baseline" x1="${L}" y1="${yy}" x2="${W - R}" y2="${yy}" stroke="#57606a" stroke-dasharray="6 3"/>`);
  }
  // Axis labels: low, baseline, high.
  for (const v of [lo + padY, hi - padY])
    out.push(
      `<text x="${L - 4}" y="${(y(v) + 4).toFixed(1)}" font-size="10" fill="#57606a" text-anchor="end">${esc(withUnit(v, row.unit))}</text>`,
    );
  out.push(`<line x1="${splitX.toFixed(1)}" y1="${T}" x2="${splitX.toFixed(1)}" y2="${H - B}" stroke="#d0d7de"/>`);
  out.push(
    `<text x="${((L + splitX) / 2).toFixed(1)}" y="${H - B + 14}" font-size="10.5" fill="#57606a" text-anchor="middle">baseline</text>`,
  );
  out.push(
    `<text x="${((splitX + W - R) / 2).toFixed(1)}" y="${H - B + 14}" font-size="10.5" fill="#57606a" text-anchor="middle">after${row.series.length > 1 ? ` (${row.series.length} comparisons)` : ''}</text>`,
  );
  // Baseline samples, spread across the left part.
  const bs = row.samples.baseline.length ? row.samples.baseline : base !== null ? [base] : [];
  bs.forEach((v, i) => {
    const xx = L + ((i + 1) / (bs.length + 1)) * (splitX - L);
    out.push(
      `<circle class="sample-baseline" cx="${xx.toFixed(1)}" cy="${y(v).toFixed(1)}" r="3" fill="#57606a"><title>${esc(`baseline sample ${withUnit(v, row.unit)}`)}</title></circle>`,
    );
  });
  // After values over time.
  const n = row.series.length;
  const pts = row.series.map((s, i) => ({ x: splitX + ((i + 1) / (n + 1)) * (W - R - splitX), v: s.value, ts: s.ts }));
  const path = pts.filter((p) => p.v !== null).map((p) => `${p.x.toFixed(1)},${y(p.v!).toFixed(1)}`);
  if (path.length > 1) out.push(`<polyline points="${path.join(' ')}" fill="none" stroke="#0969da" stroke-width="1.8"/>`);
  pts.forEach((p, i) => {
    const last = i === n - 1;
    if (p.v === null) {
      out.push(
        `<text x="${p.x.toFixed(1)}" y="${(T + 14).toFixed(1)}" font-size="10" fill="#8c959f" text-anchor="middle">no data<title>${esc(fmtClock(p.ts))}</title></text>`,
      );
      return;
    }
    out.push(
      `<circle class="sample-after" cx="${p.x.toFixed(1)}" cy="${y(p.v).toFixed(1)}" r="${last ? 4.5 : 3.2}" fill="${last ? STATUS_COLOR[row.status] : '#0969da'}"><title>${esc(`${fmtClock(p.ts)}: ${withUnit(p.v, row.unit)}`)}</title></circle>`,
    );
  });
  out.push('</svg>');
  return out.join('\n');
}

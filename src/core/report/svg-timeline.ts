// The window on a time axis, as inline SVG: one lane per phase (its span as a grey bar), each
// item as a bar from start to finish (a dot when it took no visible time), failures in red,
// overrides as amber diamonds, sign-offs as flags and the rollback as a red line. No script: the
// <title> of each mark is the hover text, and the legend below says what the shapes mean.
import type { ReportView } from './view.js';
import { esc } from './html-escape.js';
import { fmtClock, fmtDuration } from './units.js';

const W = 1100;
const LABEL = 220;
const RIGHT = 24;
const TOP = 34;
const LANE = 30;

const COLOR: Record<string, string> = {
  passed: '#1a7f37',
  ticked: '#2da44e',
  recorded: '#2da44e',
  skipped: '#8c959f',
  overridden: '#bf8700',
  warn: '#bf8700',
  failed: '#cf222e',
  interrupted: '#cf222e',
  running: '#0969da',
  pending: '#d0d7de',
};

const ms = (iso: string | null | undefined): number | null => {
  const t = iso ? Date.parse(iso) : NaN;
  return Number.isFinite(t) ? t : null;
};
const short = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function timelineSvg(v: ReportView): string {
  const t0 = ms(v.startedAt) ?? 0;
  const ends = [ms(v.endedAt), ...v.phases.flatMap((p) => p.items.map((i) => ms(i.finishedAt)))].filter((x): x is number => x !== null);
  const t1 = Math.max(t0 + 1000, ...ends);
  const x = (t: number): number => LABEL + ((t - t0) / (t1 - t0)) * (W - LABEL - RIGHT);
  const lanes = v.phases.filter((p) => !p.unused);
  const H = TOP + lanes.length * LANE + 14;
  const out: string[] = [];
  out.push(
    `<svg class="timeline" data-chart="timeline" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="Timeline of the change window" xmlns="http://www.w3.org/2000/svg">`,
  );
  // Axis: six ticks across the window.
  for (let k = 0; k <= 5; k++) {
    const t = t0 + ((t1 - t0) * k) / 5;
    const xx = x(t).toFixed(1);
    out.push(`<line x1="${xx}" y1="${TOP - 6}" x2="${xx}" y2="${H - 10}" stroke="#eaeef2"/>`);
    out.push(
      `<text x="${xx}" y="${TOP - 12}" font-size="11" fill="#57606a" text-anchor="${k === 0 ? 'start' : k === 5 ? 'end' : 'middle'}">${esc(fmtClock(new Date(t).toISOString()))}</text>`,
    );
  }
  lanes.forEach((p, li) => {
    const y = TOP + li * LANE;
    const mid = y + LANE / 2;
    out.push(
      `<text x="${LABEL - 8}" y="${mid + 4}" font-size="12" text-anchor="end" fill="${p.rollback ? '#cf222e' : '#1f2328'}"><title>${esc(p.title)}</title>${esc(short(p.title, 30))}</text>`,
    );
    const ps = ms(p.startedAt);
    const pf = ms(p.finishedAt);
    if (ps !== null && pf !== null) {
      out.push(
        `<rect x="${x(ps).toFixed(1)}" y="${y + 5}" width="${Math.max(2, x(pf) - x(ps)).toFixed(1)}" height="${LANE - 10}" rx="3" fill="#f6f8fa" stroke="#d0d7de"><title>${esc(`${p.title}: ${p.duration}`)}</title></rect>`,
      );
    }
    for (const it of p.items) {
      const s = ms(it.startedAt);
      const f = ms(it.finishedAt);
      if (s === null && f === null) continue;
      const color = COLOR[it.status] ?? '#57606a';
      const tip = `<title>${esc(`${it.label}: ${it.statusWord}, ${it.result}${it.durationMs !== null ? ` (${fmtDuration(it.durationMs)})` : ''}`)}</title>`;
      const a = x(s ?? f!);
      const b = x(f ?? s!);
      if (b - a >= 3)
        out.push(
          `<rect class="mark s-${esc(it.status)}" x="${a.toFixed(1)}" y="${y + 9}" width="${(b - a).toFixed(1)}" height="${LANE - 18}" rx="2" fill="${color}">${tip}</rect>`,
        );
      else out.push(`<circle class="mark s-${esc(it.status)}" cx="${b.toFixed(1)}" cy="${mid}" r="4.5" fill="${color}">${tip}</circle>`);
      if (it.status === 'failed' || it.status === 'interrupted') {
        out.push(
          `<path class="fail-mark" d="M${(b - 5).toFixed(1)} ${y + 2} l10 10 m0 -10 l-10 10" stroke="#cf222e" stroke-width="2.2"><title>${esc(`FAILED: ${it.label}`)}</title></path>`,
        );
      }
    }
  });
  const laneOf = (phaseTitle: string | null): number =>
    Math.max(
      0,
      lanes.findIndex((p) => p.title === phaseTitle),
    );
  for (const o of v.overrides) {
    const t = ms(o.ts);
    if (t === null) continue;
    const li = lanes.findIndex((p) => p.items.some((i) => o.what.startsWith(i.label)));
    const y = TOP + Math.max(0, li) * LANE + LANE / 2;
    const xx = x(t);
    out.push(
      `<path class="override-mark" d="M${xx.toFixed(1)} ${y - 8} l7 8 l-7 8 l-7 -8 z" fill="#bf8700" stroke="#fff"><title>${esc(`${o.kind} (${o.what}) by ${o.operator}: ${o.reason}`)}</title></path>`,
    );
  }
  for (const s of v.signoffs) {
    const t = ms(s.ts);
    if (t === null) continue;
    const y = TOP + laneOf(s.phase) * LANE;
    const xx = x(t);
    out.push(
      `<path class="signoff-mark" d="M${xx.toFixed(1)} ${y + LANE - 4} v-20 l9 4 l-9 4" fill="#0969da" stroke="#0969da" stroke-width="1.5"><title>${esc(`Signed off: ${s.role} ${s.name ?? ''}`)}</title></path>`,
    );
  }
  if (v.rollback) {
    const t = ms(v.rollback.startedAt);
    if (t !== null) {
      const xx = x(t).toFixed(1);
      out.push(
        `<line class="rollback-mark" x1="${xx}" y1="${TOP - 4}" x2="${xx}" y2="${H - 8}" stroke="#cf222e" stroke-width="2" stroke-dasharray="5 3"><title>${esc(`Rollback: ${v.rollback.reason}`)}</title></line>`,
      );
      out.push(`<text x="${xx}" y="${H - 1}" font-size="11" fill="#cf222e" text-anchor="middle">rollback</text>`);
    }
  }
  out.push('</svg>');
  return out.join('\n');
}

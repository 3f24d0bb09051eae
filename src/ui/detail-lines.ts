// The detail pane's content as plain lines, cut to the pane's size: what the item does (after
// substitution, secrets masked), its notes, its live output while running, its last result,
// and for compare items the comparison table with sparklines.
import type { Item } from '../core/model.js';
import type { ItemState, RunState } from '../core/state.js';
import type { LiveOutput } from '../core/engine.js';
import { describeAction, kindLabel } from '../core/describe.js';
import { redact } from '../core/redact.js';
import type { ComparisonRow } from '../core/metrics/compare.js';
import { comparisonCells, fmtValue, formatTable } from '../core/metrics/format.js';
import { renderTable, splitTables } from '../core/text-table.js';
import type { Styled } from './theme.js';
import { elapsed, reflow, sanitize, seconds, wrapLines } from './text.js';
import { safeLine, safeText } from '../core/safe-text.js';

export interface DLine {
  text: string;
  style?: Styled;
}

const STATUS_COLOR: Record<string, string> = { pass: 'green', warn: 'yellow', fail: 'red' };

/** A snapshot's values as the result detail carries them (adapters/metrics-item.ts). */
interface SnapshotProbe {
  id: string;
  title?: string;
  value: number | null;
  unit?: string;
  source?: string;
  error?: string;
}

function snapshotProbes(detail: unknown): SnapshotProbe[] | undefined {
  const probes = (detail as { probes?: unknown } | undefined)?.probes;
  return Array.isArray(probes) ? (probes as SnapshotProbe[]) : undefined;
}

/** A snapshot item's values as a table: metric, value with its unit, source. undefined before one is taken. */
export function snapshotLines(detail: unknown, o: { compact?: boolean } = {}): DLine[] | undefined {
  const probes = snapshotProbes(detail);
  if (!probes) return undefined;
  const table = formatTable(
    ['metric', 'value', 'source'],
    probes.map((p) => [
      safeLine(p.title ?? p.id),
      p.value === null ? `no data${p.error ? ` (${safeLine(p.error)})` : ''}` : fmtValue(p.value, p.unit),
      p.source ?? '',
    ]),
  )
    .trimEnd()
    .split('\n');
  const out: DLine[] = table.map((t, i) => ({
    text: t,
    style: i < 2 ? { dim: true } : probes[i - 2].value === null ? { color: 'red' } : undefined,
  }));
  // The detail pane has few lines: the dashes under the header go first.
  return o.compact ? out.filter((_, i) => i !== 1) : out;
}

export function comparisonLines(rows: ComparisonRow[], status: string, o: { compact?: boolean } = {}): DLine[] {
  const table = formatTable(
    ['probe', 'baseline', 'after', '%', 'status', 'trend'],
    rows.map((r) => {
      const c = comparisonCells(r);
      return [c[0], c[1], c[2], c[4], c[6], c[7]];
    }),
  ).trimEnd();
  const out: DLine[] = [{ text: `comparison: ${status.toUpperCase()}`, style: { bold: true, color: STATUS_COLOR[status] } }];
  table.split('\n').forEach((t, i) => {
    const row = i >= 2 ? rows[i - 2] : undefined;
    // Probe names and labels come from the checklist.
    out.push({ text: safeLine(t), style: row ? { color: STATUS_COLOR[row.status] } : { dim: true } });
  });
  // The detail pane has few lines: the verdict is on the `last:` line already, and the dashes
  // under the header say nothing, so every line left goes to a probe.
  return o.compact ? out.filter((_, i) => i !== 0 && i !== 2) : out;
}

/**
 * Notes as pane lines: paragraphs reflowed and wrapped to the width, GFM tables drawn as columns
 * (core/text-table). The caller cleans the text (secrets, control characters) first.
 */
export function noteLines(text: string, width: number, style: Styled = { dim: true }): DLine[] {
  // The detail pane redraws every second (the clock) with the same notes: draw them once.
  const key = `${width}\u0000${JSON.stringify(style)}\u0000${text}`;
  if (lastNotes?.key === key) return lastNotes.lines;
  const out: DLine[] = [];
  for (const b of splitTables(text)) {
    if (b.kind === 'text') for (const l of proseLines(b.text, width, style)) out.push(l);
    else
      for (const l of renderTable(b.table, width))
        out.push({ text: l.text, style: l.role === 'header' ? { bold: true } : l.role === 'rule' ? { dim: true } : undefined });
  }
  lastNotes = { key, lines: out };
  return out;
}
let lastNotes: { key: string; lines: DLine[] } | undefined;

/** Prose reflowed and wrapped; fenced code kept line for line (cut into width-sized pieces). */
function proseLines(text: string, width: number, style: Styled): DLine[] {
  const out: DLine[] = [];
  let prose: string[] = [];
  let fence: string | null = null;
  const flush = () => {
    if (prose.length) for (const l of wrapLines(reflow(prose.join('\n')), width)) out.push({ text: l, style });
    prose = [];
  };
  for (const line of text.split('\n')) {
    const f = /^\s*(`{3,}|~{3,})/.exec(line);
    if (fence === null && f) {
      flush();
      fence = f[1];
      continue;
    }
    if (fence !== null) {
      if (f && f[1][0] === fence[0] && f[1].length >= fence.length) fence = null;
      else {
        const chars = [...line.trimEnd()];
        for (let i = 0; i === 0 || i < chars.length; i += Math.max(1, width - 2))
          out.push({ text: `  ${chars.slice(i, i + Math.max(1, width - 2)).join('')}`, style: { color: 'cyan' } });
      }
      continue;
    }
    prose.push(line);
  }
  flush();
  return out;
}

function resultLine(st: ItemState): DLine | undefined {
  const r = st.result;
  if (!r) return undefined;
  const parts = [r.ok ? 'passed' : r.verdict === 'warn' ? 'warning' : 'failed', r.summary];
  if (r.exitCode !== undefined && r.exitCode !== null && !r.summary.includes(`exit ${r.exitCode}`)) parts.push(`exit ${r.exitCode}`);
  if (r.signal) parts.push(r.signal);
  if (r.http?.status !== undefined && !r.summary.includes(`HTTP ${r.http.status}`))
    parts.push(`HTTP ${r.http.status}${r.http.latencyMs !== undefined ? ` in ${r.http.latencyMs}ms` : ''}`);
  parts.push(seconds(r.durationMs));
  if (st.finishedAt) parts.push(st.finishedAt.slice(11, 19) + 'Z');
  return { text: `last: ${parts.join(' · ')}`, style: { color: r.ok ? 'green' : r.verdict === 'warn' ? 'yellow' : 'red' } };
}

export function detailLines(o: {
  item: Item;
  st: ItemState;
  state: RunState;
  live?: LiveOutput;
  width: number;
  height: number;
  secrets: readonly string[];
  now: number;
}): DLine[] {
  const { item, st, width, height } = o;
  // Command output is stripped of its sequences (clean); everything else here is untrusted text
  // from the checklist, an answer or a note, escaped so the operator sees what is there (esc).
  const clean = (s: string) => sanitize(redact(s, o.secrets));
  const esc = (s: string) => safeLine(redact(s, o.secrets));
  const head: DLine[] = [];
  head.push({
    text: `${safeLine(item.title)} · ${kindLabel(item)}${item.critical ? ' · critical' : ''}${item.confirm ? ' · confirm' : ''} · ${st.status}${st.attempts > 1 ? ` · attempt ${st.attempts}` : ''}`,
    style: { bold: true },
  });
  for (const l of wrapLines(safeText(redact(describeAction(item), o.secrets)), width).slice(0, 2))
    head.push({ text: l, style: { color: 'cyan' } });
  if (st.waitingFor)
    head.push({
      text: esc(`waits for the answer to "${st.waitingFor}": applies only if it is ${item.when?.answer?.is.join(' or ')}`),
      style: { color: 'yellow' },
    });
  if (st.value !== undefined) head.push({ text: esc(`value: ${st.value}${st.unit ? ` ${st.unit}` : ''}`), style: { color: 'green' } });
  if (st.resolution)
    head.push({
      text: `interrupted earlier; the operator answered: ${st.resolution === 'rerun' ? 'run it again' : st.resolution}`,
      style: { color: 'magenta' },
    });
  if (st.reason) head.push({ text: `reason: ${esc(st.reason)}`, style: { color: 'magenta' } });
  if (st.result?.missing?.length)
    head.push({ text: esc(`missing or placeholder: ${st.result.missing.join(', ')}`), style: { color: 'red' } });
  for (const n of st.notes.slice(-2)) head.push({ text: `note: ${esc(n)}`, style: { dim: true } });

  let body: DLine[] = [];
  let bodyFromEnd = true;
  // Running in another operator's session (a team run): who, where, since when.
  if (st.status === 'running' && !o.live && st.startedBy)
    head.push({
      text: `running in ${esc(st.startedBy.name)}'s session on ${esc(st.startedBy.host)}${st.startedAt ? ` since ${st.startedAt.slice(11, 19)} UTC` : ''}`,
      style: { color: 'cyan' },
    });
  if (st.status === 'running' && o.live) {
    head.push({
      text: `running ${elapsed(o.now - o.live.startedAt)}${o.live.progress ? ` · ${clean(o.live.progress)}` : ''} · Ctrl-C stops`,
      style: { color: 'cyan' },
    });
    body = o.live.tail.lines(Math.max(1, height)).map((t) => ({ text: clean(t) }));
  } else {
    const rl = resultLine(st);
    if (rl) head.push({ ...rl, text: esc(rl.text) });
    const cmp = [...o.state.comparisons].reverse().find((c) => c.item === item.id);
    const snap = item.action.kind === 'snapshot' ? snapshotLines(st.result?.detail, { compact: true }) : undefined;
    if (cmp || snap) {
      body = cmp ? comparisonLines(cmp.rows as ComparisonRow[], cmp.status, { compact: true }) : snap!;
      bodyFromEnd = false;
    } else if (st.result) {
      const text = [st.result.stdout?.tail, st.result.stderr?.tail].filter(Boolean).join('\n');
      const lines = text.split('\n');
      if (lines.length && lines[lines.length - 1] === '') lines.pop();
      body = lines.slice(-height).map((t) => ({ text: clean(t), style: { dim: true } }));
    }
  }
  // The checklist's notes and docs link fill whatever room the rest leaves (blank lines between
  // paragraphs dropped: every line counts here); `o` and `?` are there for the rest.
  const notes: DLine[] = item.notes ? noteLines(safeText(redact(item.notes, o.secrets)), width).filter((l) => l.text.trim()) : [];
  // Plain text, never a hyperlink: an OSC 8 in it shows as \x1b]8;… .
  if (item.docs) notes.push({ text: `docs: ${safeLine(item.docs)}`, style: { dim: true } });

  // The body (live output, table) always gets at least a few lines; the head gives way. A table
  // keeps only the title line above it: its rows are what the operator came for.
  const table = !bodyFromEnd;
  const bodyRoom = body.length ? Math.min(body.length, Math.max(2, height - (table ? 1 : head.length))) : 0;
  const headShown = head.slice(0, Math.max(1, height - bodyRoom));
  const notesShown = notes.slice(0, Math.max(0, height - headShown.length - bodyRoom));
  if (notesShown.length && notesShown.length < notes.length)
    notesShown[notesShown.length - 1] = {
      ...notesShown[notesShown.length - 1],
      text: `${[...notesShown[notesShown.length - 1].text].slice(0, width - 1).join('')}…`,
    };
  const room = height - headShown.length - notesShown.length;
  const bodyShown = bodyFromEnd ? body.slice(Math.max(0, body.length - room)) : body.slice(0, room);
  // A table cut short says so, and where the rest is: a clipped table must not look complete.
  if (table && room > 1 && bodyShown.length < body.length)
    bodyShown[bodyShown.length - 1] = {
      text: `↓ ${body.length - bodyShown.length + 1} more rows · o shows the whole table`,
      style: { dim: true },
    };
  // One line each, whatever a builder above missed: no control reaches the pane.
  return [...headShown, ...notesShown, ...bodyShown].slice(0, height).map((l) => {
    const text = safeLine(l.text);
    return text === l.text ? l : { ...l, text };
  });
}

// snapshot and compare items: capture every probe, write the snapshot file, compare against the
// baseline the run recorded (or the newest file with that label), and for `watch` repeat on the
// schedule until a comparison fails or the time is up.
import type { Item } from '../core/model.js';
import type { ItemHandle, RunHooks } from '../core/executor.js';
import type { ItemResult } from '../core/events.js';
import type { Checklist } from '../core/model.js';
import { compareSnapshots, type Comparison } from '../core/metrics/compare.js';
import { formatComparison } from '../core/metrics/format.js';
import { watchNext, watchRecord, watchStart, watchStop, watchProgress, type WatchEnd, type WatchState } from '../core/metrics/watch.js';
import { errorMessage } from '../core/errors.js';
import { captureSnapshot } from './probes.js';
import { findLatestSnapshot, readSnapshotFile, writeSnapshotFile } from './snapshot-files.js';

export interface MetricsContext {
  checklist: Checklist;
  runId: string;
  snapshotsDir: string;
  processEnv: Record<string, string | undefined>;
}

export function startMetricsItem(ctx: MetricsContext, item: Item, hooks: RunHooks): ItemHandle {
  const ac = new AbortController();
  const t0 = Date.now();
  const done = (async (): Promise<ItemResult> => {
    try {
      if (item.action.kind === 'snapshot') {
        // The snapshot itself lives in its file; the result carries only its digest.
        const { snap: _snap, ...r } = await snapshotOnce(ctx, item, item.action.label, item.action.metrics, hooks, ac.signal);
        return { ...r, durationMs: Date.now() - t0 };
      }
      return { ...(await compare(ctx, item, hooks, ac.signal)), durationMs: Date.now() - t0 };
    } catch (e) {
      return { ok: false, summary: errorMessage(e), durationMs: Date.now() - t0 };
    }
  })();
  return { done, stop: () => ac.abort(), abandon: () => ac.abort() };
}

async function snapshotOnce(
  ctx: MetricsContext,
  item: Item,
  label: string,
  ids: string[] | undefined,
  hooks: RunHooks,
  signal: AbortSignal,
) {
  const metrics = ids ? ctx.checklist.metrics.filter((m) => ids.includes(m.id)) : ctx.checklist.metrics;
  const askNumber = hooks.askNumber;
  const snap = await captureSnapshot(metrics, {
    label,
    runId: ctx.runId,
    checklist: ctx.checklist.title,
    environment: ctx.checklist.env,
    samples: ctx.checklist.samples,
    intervalMs: ctx.checklist.intervalMs,
    signal,
    onProgress: (p) => hooks.onProgress?.(`${p.probe}: ${p.taken}/${p.total} samples`),
    askManual: askNumber ? (m) => askNumber(`${m.title}${m.unit ? ` (${m.unit})` : ''}`, m.unit, m.id) : undefined,
    env: { ...ctx.checklist.vars },
    secretNames: ctx.checklist.secrets,
  });
  if (signal.aborted) return { ok: false, summary: 'capture stopped by the operator', snap };
  const { file, sha256 } = await writeSnapshotFile(ctx.snapshotsDir, snap);
  const nodata = snap.probes.filter((p) => p.value === null).map((p) => p.id);
  await hooks.emit?.({ type: 'snapshot.taken', item: item.id, label, file, sha256, probes: snap.probes.length, nodata });
  hooks.onOutput(
    `snapshot "${label}" → ${file}\n${snap.probes.map((p) => `  ${p.id}: ${p.value ?? `no data (${p.error})`}${p.unit ? ` ${p.unit}` : ''}`).join('\n')}\n`,
    'stdout',
  );
  const critical = nodata.filter((id) => ctx.checklist.metrics.find((m) => m.id === id)?.critical);
  return {
    ok: critical.length === 0,
    summary: `${snap.probes.length - nodata.length}/${snap.probes.length} probes captured${nodata.length ? `; no data: ${nodata.join(', ')}` : ''}`,
    snap,
    // The values themselves, so the screen (`o`, the detail pane) and `status` can show them
    // without opening the file: metric, value, unit and what kind of source measured it.
    detail: {
      file,
      sha256,
      probes: snap.probes.map((p) => ({
        id: p.id,
        title: p.title,
        value: p.value,
        ...(p.unit ? { unit: p.unit } : {}),
        source: p.source,
        ...(p.error ? { error: p.error } : {}),
      })),
    },
  };
}

async function compare(ctx: MetricsContext, item: Item, hooks: RunHooks, signal: AbortSignal): Promise<Omit<ItemResult, 'durationMs'>> {
  if (item.action.kind !== 'compare') throw new Error('not a compare item');
  const a = item.action;
  const recorded = hooks.snapshotFile?.(a.baseline);
  const baseline = recorded
    ? { file: recorded, snapshot: await readSnapshotFile(recorded) }
    : await findLatestSnapshot(ctx.snapshotsDir, a.baseline);
  if (!baseline)
    return { ok: false, summary: `no "${a.baseline}" snapshot yet: run the snapshot item first (or put one in ${ctx.snapshotsDir})` };
  const once = async (): Promise<Comparison | undefined> => {
    const r = await snapshotOnce(ctx, item, a.label, a.metrics, hooks, signal);
    if (signal.aborted) return undefined;
    const c = compareSnapshots(baseline.snapshot, r.snap, { metrics: ctx.checklist.metrics, ids: a.metrics });
    await hooks.emit?.({ type: 'comparison', item: item.id, baseline: a.baseline, label: a.label, status: c.overall, rows: c.rows });
    hooks.onOutput(`${formatComparison(c)}\n`, 'stdout');
    return c;
  };
  const verdict = (c: Comparison) => ({
    ok: c.overall === 'pass',
    verdict: c.overall,
    summary: `comparison ${c.overall}: ${c.rows.map((r) => `${r.id} ${r.status}`).join(', ')}`,
    detail: c,
  });
  if (!a.watch) {
    const c = await once();
    return c ? verdict(c) : { ok: false, summary: 'comparison stopped by the operator' };
  }
  let w: WatchState = watchStart(a.watch, Date.now());
  let last: Comparison | undefined;
  let end: WatchEnd;
  for (;;) {
    const step = watchNext(w, Date.now());
    if (step.kind === 'done') {
      end = step.end;
      break;
    }
    if (signal.aborted) {
      // Stopping ends the watch: the next step is 'done' with the stop recorded.
      w = watchStop(w, Date.now(), 'stopped by the operator');
      continue;
    }
    if (step.kind === 'wait') {
      hooks.onProgress?.(watchProgress(w, Date.now()));
      await new Promise<void>((r) => {
        // Remove the abort listener each round: a 30-minute watch must not pile them up.
        const onAbort = () => {
          clearTimeout(t);
          r();
        };
        const t = setTimeout(
          () => {
            signal.removeEventListener('abort', onAbort);
            r();
          },
          Math.min(1000, step.until - Date.now()),
        );
        signal.addEventListener('abort', onAbort, { once: true });
      });
      continue;
    }
    last = await once();
    if (!last) continue;
    w = watchRecord(w, last, Date.now());
    hooks.onProgress?.(watchProgress(w, Date.now()));
  }
  return {
    ok: end.status === 'pass',
    verdict: end.status,
    summary: `watch ${end.reason}: ${end.status} after ${w.points.length} comparison(s)${end.note ? ` (${end.note})` : ''}`,
    detail: last,
  };
}

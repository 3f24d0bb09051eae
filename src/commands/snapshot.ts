// `runsheet snapshot capture FILE --label L` and `runsheet snapshot diff A.json B.json`.
// Capture works outside a run (cron before a window); diff judges two files, by the rules stored
// in them or by a checklist's current rules, and exits 0 pass, 1 fail, 3 warn.
import { resolve } from 'node:path';
import type { Checklist } from '../core/model.js';
import { UserError } from '../core/errors.js';
import { compareSnapshots } from '../core/metrics/compare.js';
import { formatComparison, formatTable, fmtValue } from '../core/metrics/format.js';
import { checklistMismatches, definitionMismatches, type Snapshot } from '../core/metrics/snapshot.js';
import { overallStatus, type OverallStatus } from '../core/metrics/verdict.js';
import { sparkline } from '../core/metrics/sparkline.js';
import { captureSnapshot } from '../adapters/probes.js';
import { checkLabel, readSnapshotFile, writeSnapshotFile } from '../adapters/snapshot-files.js';
import { loadChecklistFile } from '../adapters/checklist-file.js';
import { safeJson } from '../core/safe-text.js';
import { readVarOptions, refuseDeclaredSecretSets, type VarOptions } from './options.js';
import type { CliIo } from './io.js';

export const EXIT_FOR_STATUS: Record<OverallStatus, number> = { pass: 0, fail: 1, warn: 3 };

async function loadChecklist(file: string, env: string | null, vars: VarOptions, io: CliIo): Promise<Checklist> {
  const loaded = await loadChecklistFile(resolve(io.cwd, file), {
    env,
    set: await readVarOptions(vars, io.env, io.cwd),
    processEnv: io.env,
  });
  refuseDeclaredSecretSets(vars.set, loaded.checklist.secrets);
  return loaded.checklist;
}

export interface SnapshotCaptureOptions extends VarOptions {
  env?: string;
  label: string;
  snapshots?: string;
}

export async function snapshotCaptureCommand(file: string, opts: SnapshotCaptureOptions, io: CliIo): Promise<number> {
  const label = checkLabel(opts.label);
  const checklist = await loadChecklist(file, opts.env ?? null, opts, io);
  if (!checklist.metrics.length) throw new UserError(`${file} declares no metrics: add a \`metrics:\` list (see docs/metrics.md)`);
  const dir = resolve(io.cwd, opts.snapshots ?? 'snapshots');
  const env = opts.env ? checklist.environments[opts.env] : undefined;
  const vars = { ...checklist.vars, ...(env?.vars ?? {}) };
  const processEnv = Object.fromEntries(Object.entries(io.env).filter((e): e is [string, string] => typeof e[1] === 'string'));

  io.stderr(`capturing ${checklist.metrics.length} probe(s), ${checklist.samples} sample(s) ${checklist.intervalMs / 1000}s apart…\n`);
  const snap = await captureSnapshot(checklist.metrics, {
    label,
    checklist: checklist.title,
    environment: opts.env ?? null,
    samples: checklist.samples,
    intervalMs: checklist.intervalMs,
    env: { ...processEnv, ...vars },
    secretNames: checklist.secrets,
    onProgress: (p) => {
      if (p.taken === p.total) io.stderr(`  ${p.probe}: ${p.taken}/${p.total} samples\n`);
    },
  });
  const { file: written } = await writeSnapshotFile(dir, snap);
  io.stdout(formatSnapshot(snap));
  io.stdout(`snapshot "${label}" written to ${written}\n`);
  const status = overallStatus(snap.probes.map((p) => ({ status: p.value === null ? 'nodata' : 'pass', critical: p.rules.critical })));
  if (status !== 'pass') io.stderr(`some probes have no data (see the table); exit ${EXIT_FOR_STATUS[status]}\n`);
  return EXIT_FOR_STATUS[status];
}

/** The captured values as a table: probe, value (median), min, max, samples. */
export function formatSnapshot(s: Snapshot): string {
  const body = s.probes.map((p) => [
    p.id + (p.rules.critical ? '*' : ''),
    fmtValue(p.value, p.unit),
    fmtValue(p.min, p.unit),
    fmtValue(p.max, p.unit),
    `${p.samples.filter((x) => 'value' in x).length}/${p.samples.length}`,
    sparkline(p.samples.map((x) => ('value' in x ? x.value : null))),
    p.value === null ? (p.error ?? '') : '',
  ]);
  const head = `${s.label} at ${s.taken_at}${s.environment ? ` (env ${s.environment})` : ''}${s.cancelled ? ' — CANCELLED, incomplete' : ''}\n`;
  return head + formatTable(['probe', 'value', 'min', 'max', 'ok', 'samples', 'note'], body);
}

export interface SnapshotDiffOptions {
  checklist?: string;
  json?: boolean;
  force?: boolean;
}

export async function snapshotDiffCommand(a: string, b: string, opts: SnapshotDiffOptions, io: CliIo): Promise<number> {
  const base = await readSnapshotFile(resolve(io.cwd, a));
  const after = await readSnapshotFile(resolve(io.cwd, b));
  const checklist = opts.checklist ? await loadChecklist(opts.checklist, after.environment ?? base.environment, {}, io) : undefined;

  const mismatched = new Set(definitionMismatches(base, after));
  const vsChecklist = new Set<string>();
  if (checklist)
    for (const id of [...checklistMismatches(base, checklist.metrics), ...checklistMismatches(after, checklist.metrics)])
      vsChecklist.add(id);
  if (mismatched.size || vsChecklist.size) {
    const parts: string[] = [];
    if (mismatched.size) parts.push(`${a} and ${b} were taken with different probe definitions (${[...mismatched].join(', ')})`);
    if (vsChecklist.size) parts.push(`${opts.checklist} defines ${[...vsChecklist].join(', ')} differently from the snapshots`);
    const msg = `${parts.join('; ')}: the numbers measure different things`;
    if (!opts.force) throw new UserError(`${msg}; capture both with the same checklist, or pass --force to compare anyway`);
    io.stderr(`warning: ${msg} (compared anyway: --force)\n`);
  }
  for (const [name, s] of [
    [a, base],
    [b, after],
  ] as const) {
    if (s.cancelled) io.stderr(`warning: ${name} was cancelled during capture; its values may rest on fewer samples\n`);
  }

  const comparison = compareSnapshots(base, after, { metrics: checklist?.metrics });
  if (opts.json) {
    const out = { ...comparison, files: { baseline: a, after: b }, forced: [...new Set([...mismatched, ...vsChecklist])] };
    io.stdout(safeJson(out, 2) + '\n');
  } else {
    io.stdout(formatComparison(comparison));
  }
  return EXIT_FOR_STATUS[comparison.overall];
}

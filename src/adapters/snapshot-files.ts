// Snapshot files on disk: written atomically (temp file, fsync, link into place, fsync dir) so a crash
// never leaves a half-written baseline; read back with validation so a hand-edited or foreign
// JSON file becomes one clear error instead of a NaN deep inside a comparison.
import { access, link, open, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { UserError } from '../core/errors.js';
import { sha256Hex } from '../core/events.js';
import { SNAPSHOT_SCHEMA, type Snapshot } from '../core/metrics/snapshot.js';
import { ensureDir } from './ensure-dir.js';
import { fsyncDirAsync } from './atomic.js';

const LABEL = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** Labels become file names: letters, digits, '.', '_', '-', starting with a letter or digit. */
export function checkLabel(label: string): string {
  if (!LABEL.test(label) || label.includes('..')) {
    throw new UserError(
      `snapshot label "${label}" cannot be used as a file name; use letters, digits, ".", "_" or "-" (e.g. "baseline", "after-deploy")`,
    );
  }
  return label;
}

export function snapshotFileName(label: string, takenAt: string): string {
  return `${checkLabel(label)}-${takenAt.replace(/[:.]/g, '-')}.json`;
}

const NO_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV']);

async function exists(p: string): Promise<boolean> {
  return access(p).then(
    () => true,
    () => false,
  );
}

/** Write a snapshot into dir; never overwrites (a same-millisecond name gets a -2, -3… suffix). */
export async function writeSnapshotFile(dir: string, snap: Snapshot): Promise<{ file: string; sha256: string }> {
  const base = snapshotFileName(snap.label, snap.taken_at).replace(/\.json$/, '');
  await ensureDir(dir);
  const text = JSON.stringify(snap, null, 2) + '\n';
  const tmp = join(dir, `.${base}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const h = await open(tmp, 'wx', 0o644);
  try {
    await h.writeFile(text, 'utf8');
    await h.sync();
  } finally {
    await h.close();
  }
  try {
    // link() fails with EEXIST instead of replacing, so two captures in the same millisecond
    // (or a concurrent writer) can never clobber each other's file.
    for (let n = 1; ; n++) {
      const file = join(dir, n === 1 ? `${base}.json` : `${base}-${n}.json`);
      try {
        await link(tmp, file);
      } catch (e) {
        const code = (e as { code?: string }).code;
        if (code === 'EEXIST') continue;
        if (!code || !NO_LINKS.has(code)) throw e;
        // Filesystem without hard links: fall back to rename after checking the name is free.
        if (await exists(file)) continue;
        await rename(tmp, file);
      }
      await fsyncDirAsync(dir);
      return { file, sha256: sha256Hex(text) };
    }
  } finally {
    await rm(tmp, { force: true });
  }
}

const threshold = z.object({ value: z.number(), relative: z.boolean() });
const sample = z.union([
  z.object({ t: z.string(), value: z.number() }),
  z.object({ t: z.string(), error: z.string(), nodata: z.boolean().optional() }),
]);
const probe = z.object({
  id: z.string().min(1),
  title: z.string(),
  unit: z.string().optional(),
  source: z.enum(['prometheus', 'http', 'command', 'manual']),
  fingerprint: z.string(),
  rules: z.object({
    unit: z.string().optional(),
    better: z.enum(['lower', 'higher', 'none']),
    tolerance: z.number().min(0),
    noise_floor: z.number().min(0),
    warn: threshold.optional(),
    fail: threshold.optional(),
    max: z.number().optional(),
    min: z.number().optional(),
    critical: z.boolean(),
  }),
  samples: z.array(sample),
  value: z.number().nullable(),
  min: z.number().nullable(),
  max: z.number().nullable(),
  error: z.string().optional(),
});
const snapshotSchema = z.object({
  schema: z.literal(SNAPSHOT_SCHEMA),
  label: z.string(),
  run_id: z.string().nullable(),
  checklist: z.string(),
  environment: z.string().nullable(),
  taken_at: z.string(),
  cancelled: z.boolean().optional(),
  probes: z.array(probe),
});

/** Validate parsed JSON as a snapshot; `name` is used in the error. */
export function parseSnapshot(data: unknown, name: string): Snapshot {
  const schema = (data as { schema?: unknown } | null)?.schema;
  if (schema !== SNAPSHOT_SCHEMA) {
    const got = typeof schema === 'string' ? `schema "${schema}"` : 'no schema field';
    throw new UserError(
      `${name} is not a runsheet snapshot (${got}, expected "${SNAPSHOT_SCHEMA}"); pass a file written by \`runsheet snapshot capture\``,
    );
  }
  const r = snapshotSchema.safeParse(data);
  if (!r.success) {
    const issue = r.error.issues[0];
    const at = issue.path.length ? issue.path.join('.') : '(top level)';
    throw new UserError(`${name} is a damaged snapshot: ${at}: ${issue.message}; capture it again`, {
      details: r.error.issues.slice(1, 5).map((i) => `${i.path.join('.')}: ${i.message}`),
    });
  }
  return r.data;
}

// Thousands of probes with 100 samples each are a few MB; anything far larger is not a snapshot.
const MAX_SNAPSHOT_BYTES = 32 * 1024 * 1024;

export async function readSnapshotFile(path: string): Promise<Snapshot> {
  let text: string;
  try {
    const size = (await stat(path)).size;
    if (size > MAX_SNAPSHOT_BYTES) throw new UserError(`${path} is ${(size / 1048576).toFixed(1)} MB: too large to be a runsheet snapshot`);
    text = await readFile(path, 'utf8');
  } catch (e) {
    if (e instanceof UserError) throw e;
    const code = (e as { code?: string }).code;
    throw new UserError(
      code === 'ENOENT' ? `snapshot file ${path} does not exist` : `cannot read snapshot file ${path} (${code ?? String(e)})`,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new UserError(`${path} is not JSON, so not a runsheet snapshot; pass a file written by \`runsheet snapshot capture\``);
  }
  return parseSnapshot(data, path);
}

/**
 * The most recent (by taken_at) snapshot with this label in dir, optionally only from one run.
 * Unreadable or foreign files are skipped: one bad file must not hide a good baseline.
 */
export async function findLatestSnapshot(
  dir: string,
  label: string,
  runId?: string,
): Promise<{ file: string; snapshot: Snapshot } | undefined> {
  checkLabel(label);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return undefined;
  }
  let best: { file: string; snapshot: Snapshot } | undefined;
  for (const name of names) {
    if (!name.startsWith(`${label}-`) || !name.endsWith('.json')) continue;
    const file = join(dir, name);
    let snap: Snapshot;
    try {
      snap = await readSnapshotFile(file);
    } catch {
      continue;
    }
    if (snap.label !== label || snap.cancelled) continue;
    if (runId !== undefined && snap.run_id !== runId) continue;
    if (
      !best ||
      snap.taken_at > best.snapshot.taken_at ||
      (snap.taken_at === best.snapshot.taken_at && basename(file) > basename(best.file))
    ) {
      best = { file, snapshot: snap };
    }
  }
  return best;
}

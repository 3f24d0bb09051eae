import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import {
  checkLabel,
  findLatestSnapshot,
  readSnapshotFile,
  snapshotFileName,
  writeSnapshotFile,
} from '../../src/adapters/snapshot-files.js';
import { SNAPSHOT_SCHEMA, type Snapshot } from '../../src/core/metrics/snapshot.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'runsheet-snapfiles-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const snap = (label: string, taken_at: string, run_id: string | null = null, over: Partial<Snapshot> = {}): Snapshot => ({
  schema: SNAPSHOT_SCHEMA,
  label,
  run_id,
  checklist: 't',
  environment: null,
  taken_at,
  probes: [
    {
      id: 'lat',
      title: 'lat',
      source: 'command',
      fingerprint: 'f',
      rules: { better: 'lower', tolerance: 0.05, noise_floor: 0, critical: false },
      samples: [{ t: taken_at, value: 5 }],
      value: 5,
      min: 5,
      max: 5,
    },
  ],
  ...over,
});

describe('snapshot files', () => {
  it('label safety', () => {
    expect(checkLabel('after-deploy.1')).toBe('after-deploy.1');
    for (const bad of ['', '../x', 'a/b', '.hidden', 'a..b', 'sp ace', 'x'.repeat(65)])
      expect(() => checkLabel(bad), bad).toThrow(/cannot be used as a file name/);
    expect(snapshotFileName('baseline', '2025-01-02T03:04:05.678Z')).toBe('baseline-2025-01-02T03-04-05-678Z.json');
  });

  it('writes, returns the sha256 of the bytes, never overwrites, reads back', async () => {
    const s = snap('baseline', '2025-01-02T03:04:05.678Z');
    const one = await writeSnapshotFile(join(dir, 'snaps'), s);
    const two = await writeSnapshotFile(join(dir, 'snaps'), s);
    expect(one.file).toBe(join(dir, 'snaps', 'baseline-2025-01-02T03-04-05-678Z.json'));
    expect(two.file).toBe(join(dir, 'snaps', 'baseline-2025-01-02T03-04-05-678Z-2.json'));
    expect(
      createHash('sha256')
        .update(await readFile(one.file))
        .digest('hex'),
    ).toBe(one.sha256);
    expect(await readSnapshotFile(one.file)).toEqual(s);
    expect((await readdir(join(dir, 'snaps'))).sort()).toEqual([
      'baseline-2025-01-02T03-04-05-678Z-2.json',
      'baseline-2025-01-02T03-04-05-678Z.json',
    ]);
  });

  it('finds the latest snapshot with a label, per run, skipping cancelled and foreign files', async () => {
    await writeSnapshotFile(dir, snap('baseline', '2025-01-01T00:00:00.000Z', 'run-a'));
    await writeSnapshotFile(dir, snap('baseline', '2025-01-03T00:00:00.000Z', 'run-b'));
    await writeSnapshotFile(dir, snap('baseline', '2025-01-02T00:00:00.000Z', 'run-a'));
    await writeSnapshotFile(dir, snap('baseline', '2025-01-04T00:00:00.000Z', 'run-a', { cancelled: true }));
    await writeSnapshotFile(dir, snap('baseline-2', '2025-01-09T00:00:00.000Z', 'run-a'));
    await writeFile(join(dir, 'baseline-zzz.json'), 'not json');
    expect((await findLatestSnapshot(dir, 'baseline'))?.snapshot.taken_at).toBe('2025-01-03T00:00:00.000Z');
    expect((await findLatestSnapshot(dir, 'baseline', 'run-a'))?.snapshot.taken_at).toBe('2025-01-02T00:00:00.000Z');
    expect(await findLatestSnapshot(dir, 'baseline', 'run-c')).toBeUndefined();
    expect(await findLatestSnapshot(join(dir, 'missing'), 'baseline')).toBeUndefined();
  });

  it('validation errors say which file and which field', async () => {
    const f = join(dir, 'x.json');
    await writeFile(f, JSON.stringify({ ...snap('b', 't'), probes: [{ id: 'lat' }] }));
    await expect(readSnapshotFile(f)).rejects.toThrow(
      new RegExp(`^${f.replace(/[.]/g, '\\.')} is a damaged snapshot: probes\\.0\\.title: `),
    );
  });
});

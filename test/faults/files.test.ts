// Files under $RUNSHEET_HOME: a symlink planted where runsheet writes (a command's log, the event
// log, state.json, a report, a public key) is refused or replaced, never followed, and its target
// is untouched; after a real headless run, a report and a keygen every file is 0600 and every
// directory 0700.
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunStore } from '../../src/adapters/run-store.js';
import { tempDir } from '../support/tmp.js';
import { readEvents, runRunsheet } from './harness.js';

const CHECKLIST = `version: 1
title: Files
phases:
  - title: Work
    items:
      - {id: say, title: Say, run: "echo out; echo err >&2"}
      - {id: check, title: Check, run: "true", check: true}
`;

let t: Awaited<ReturnType<typeof tempDir>>;
let home: string;
let file: string;
beforeEach(async () => {
  t = await tempDir('rs-files-');
  home = join(t.dir, 'home');
  file = join(t.dir, 'files.yaml');
  writeFileSync(file, CHECKLIST);
});
afterEach(async () => t.cleanup());

/** A run that has started and not run anything yet, to plant files in before runsheet opens it. */
async function startedRun(runId: string): Promise<string> {
  const s = await RunStore.create(home, runId, CHECKLIST, { operator: 'setup' });
  const sha256 = createHash('sha256').update(CHECKLIST).digest('hex');
  await s.append({ type: 'run.started', runId, checklist: { path: file, sha256, title: 'Files' }, env: null, vars: {} });
  await s.close();
  return join(home, 'runs', runId);
}

function outsideFile(name: string): string {
  const p = join(t.dir, name);
  writeFileSync(p, 'precious\n');
  return p;
}

/** Every file and directory under `root` with its permission bits. */
function modes(root: string): { path: string; dir: boolean; mode: number }[] {
  const out: { path: string; dir: boolean; mode: number }[] = [];
  const walk = (p: string) => {
    const st = lstatSync(p);
    out.push({ path: p, dir: st.isDirectory(), mode: st.mode & 0o777 });
    if (st.isDirectory()) for (const n of readdirSync(p)) walk(join(p, n));
  };
  walk(root);
  return out;
}

describe('files runsheet writes', () => {
  it('a symlink planted at a command’s log is an error for that item, never followed', async () => {
    const dir = await startedRun('planted-log');
    const target = outsideFile('bashrc');
    for (const s of ['stdout', 'stderr']) symlinkSync(target, join(dir, 'logs', `say.1.${s}.log`));
    const r = await runRunsheet(['resume', 'planted-log', '--auto'], { cwd: t.dir, home });
    expect(r.code, r.stderr).not.toBe(0);
    expect(readFileSync(target, 'utf8')).toBe('precious\n');
    const failed = (await readEvents(home, 'planted-log')).find((e) => e.type === 'item.failed');
    expect(failed && 'result' in failed ? failed.result.summary : '').toMatch(
      /say\.1\.stdout\.log is a symbolic link: runsheet does not write through links/,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a symlink planted at events.jsonl or state.json: refused or replaced, the target untouched', async () => {
    const dir = await startedRun('planted-log2');
    const events = join(dir, 'events.jsonl');
    const real = readFileSync(events);
    // The log replaced by a link to an outside copy of it (so it reads as a valid run).
    const target = join(t.dir, 'events-target');
    writeFileSync(target, real);
    rmSync(events);
    symlinkSync(target, events);
    const r = await runRunsheet(['resume', 'planted-log2', '--auto'], { cwd: t.dir, home });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(
      `cannot write the event log: ${events} is a symbolic link: runsheet does not write through links (remove it)`,
    );
    expect(readFileSync(target).equals(real)).toBe(true);

    // state.json: written by rename, which replaces the link itself.
    rmSync(events);
    writeFileSync(events, real);
    const stateTarget = outsideFile('state-target');
    rmSync(join(dir, 'state.json'), { force: true });
    symlinkSync(stateTarget, join(dir, 'state.json'));
    const r2 = await runRunsheet(['resume', 'planted-log2', '--auto'], { cwd: t.dir, home });
    expect(r2.code, r2.stderr).toBe(0);
    expect(readFileSync(stateTarget, 'utf8')).toBe('precious\n');
    expect(lstatSync(join(dir, 'state.json')).isSymbolicLink()).toBe(false);
  });

  it('a symlink planted at the report’s path is refused', async () => {
    await startedRun('planted-report');
    mkdirSync(join(t.dir, 'reports'), { mode: 0o700 });
    const target = outsideFile('report-target');
    symlinkSync(target, join(t.dir, 'reports', 'planted-report.report.json'));
    const r = await runRunsheet(['report', 'planted-report', '--unsigned'], { cwd: t.dir, home });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/cannot write the report/);
    expect(readFileSync(target, 'utf8')).toBe('precious\n');
  });

  it('after a headless run, a report and a keygen: files 0600, directories 0700', async () => {
    const run = await runRunsheet(['run', file, '--auto'], { cwd: t.dir, home, env: { RUNSHEET_OPERATOR: 'ann' } });
    expect(run.code, run.stderr).toBe(0);
    const runId = readdirSync(join(home, 'runs'))[0];
    const key = await runRunsheet(['keygen'], { cwd: t.dir, home });
    expect(key.code, key.stderr).toBe(0);
    const rep = await runRunsheet(['report', runId], { cwd: t.dir, home });
    expect(rep.code, rep.stderr).toBe(0);
    const md = await runRunsheet(['report', runId, '--format', 'md', '--unsigned'], { cwd: t.dir, home });
    expect(md.code, md.stderr).toBe(0);
    const all = [...modes(home), ...modes(join(t.dir, 'reports'))];
    // The run wrote its log files, state and lock; the report and key are there.
    const names = all.map((m) => m.path);
    expect(names.some((p) => p.endsWith('say.1.stdout.log'))).toBe(true);
    expect(names.some((p) => p.endsWith('state.json'))).toBe(true);
    expect(names.some((p) => p.endsWith('.report.json'))).toBe(true);
    expect(names.some((p) => p.endsWith('.report.md'))).toBe(true);
    expect(names.some((p) => p.endsWith('.pub.pem'))).toBe(true);
    const wrong = all.filter((m) => m.mode !== (m.dir ? 0o700 : 0o600)).map((m) => `${m.path} ${m.mode.toString(8)}`);
    expect(wrong).toEqual([]);
    expect(statSync(join(t.dir, 'reports')).mode & 0o777).toBe(0o700);
  });
});

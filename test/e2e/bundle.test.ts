// The single-file build: dist/runsheet.mjs copied alone into an empty directory runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { BUNDLE } from './tmux.js';
import { tempDir } from '../support/tmp.js';

let t: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  t = await tempDir('rs-bundle-');
  await copyFile(BUNDLE, join(t.dir, 'runsheet.mjs'));
});
afterAll(async () => t.cleanup());

const run = (...args: string[]) =>
  spawnSync(process.execPath, ['runsheet.mjs', ...args], {
    cwd: t.dir,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, RUNSHEET_HOME: join(t.dir, 'home') },
  });

describe('dist/runsheet.mjs alone', () => {
  it('prints help', () => {
    const r = run('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Usage: runsheet');
    expect(r.stdout).toContain('validate');
  });

  it('validates a checklist and reports a broken one with line:col and exit 2', async () => {
    await writeFile(join(t.dir, 'ok.yaml'), 'version: 1\ntitle: T\nphases:\n  - title: P\n    items:\n      - title: a\n');
    await writeFile(join(t.dir, 'bad.yaml'), 'version: 1\ntitle: T\nphases:\n  - title: P\n    itmes: []\n');
    expect(run('validate', 'ok.yaml')).toMatchObject({ status: 0 });
    const bad = run('validate', 'bad.yaml');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('bad.yaml:5:5: unknown key "itmes" (did you mean "items"?)\n');
  });

  it('a copy cut short (an interrupted scp) says so in one line, exit 70, no stack trace', async () => {
    const whole = await readFile(join(t.dir, 'runsheet.mjs'));
    await writeFile(join(t.dir, 'cut.mjs'), whole.subarray(0, Math.floor(whole.length * 0.7)));
    const r = spawnSync(process.execPath, ['cut.mjs', '--version'], {
      cwd: t.dir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, RUNSHEET_HOME: join(t.dir, 'home') },
    });
    expect(r.status).toBe(70);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /^runsheet: \S+cut\.mjs is damaged \(its code is missing or cut short\): copy it again or run `npm run build`\n$/,
    );
  });

  it('the hidden relay command (on_disconnect: keep) ends quietly on a configuration it cannot use', () => {
    for (const input of ['', 'not json', '{}', '{"secrets": [], "streams": 3}']) {
      const r = spawnSync(process.execPath, ['runsheet.mjs', '__relay'], {
        cwd: t.dir,
        input,
        encoding: 'utf8',
        env: { PATH: process.env.PATH, RUNSHEET_HOME: join(t.dir, 'home') },
      });
      expect([r.status, r.stdout, r.stderr]).toEqual([0, '', '']);
    }
  });

  it('runs headless with no node_modules around it', async () => {
    await writeFile(
      join(t.dir, 'h.yaml'),
      'version: 1\ntitle: H\nphases:\n  - title: P\n    items:\n      - {title: echo, run: echo hi}\n',
    );
    const r = run('run', 'h.yaml', '--auto');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/✓ echo "echo" passed: exit 0/);
  });
});

// `runsheet completion bash|zsh|fish`: the bash script completes subcommands, flags, flag values,
// run ids (read from $RUNSHEET_HOME/runs when Tab is pressed) and checklist files, in a real bash.
// zsh and fish scripts must at least parse in their shells (skipped loudly where not installed).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { captureIo } from '../support/capture-io.js';
import { tempDir } from '../support/tmp.js';

const has = (shell: string) => spawnSync('sh', ['-c', `command -v ${shell}`]).status === 0;

async function script(shell: string): Promise<{ code: number; out: string; err: string }> {
  const c = captureIo();
  const code = await main(['node', 'runsheet', 'completion', shell], c.io);
  return { code, out: c.out(), err: c.err() };
}

describe('runsheet completion', () => {
  let t: Awaited<ReturnType<typeof tempDir>>;
  let bashFile: string;
  let cleanup: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    t = await tempDir('rs-completion-');
    cleanup = () => t.cleanup();
    for (const id of ['20261203-063735-demo-service-a1b2', '20261203-070000-payments-c3d4'])
      await mkdir(join(t.dir, 'home', 'runs', id), { recursive: true });
    await mkdir(join(t.dir, 'work', 'checklists'), { recursive: true });
    for (const f of ['deploy.yaml', 'old.yml', 'runbook.md', 'notes.txt', 'report.json']) await writeFile(join(t.dir, 'work', f), '');
    bashFile = join(t.dir, 'runsheet.bash');
    await writeFile(bashFile, (await script('bash')).out);
  });
  afterAll(async () => {
    await cleanup?.();
  });

  /** What bash offers for the words typed so far (the last word is the one being completed). */
  const complete = (...words: string[]): string[] => {
    const out = execFileSync(
      'bash',
      [
        '-c',
        `source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); _runsheet; printf '%s\\n' "\${COMPREPLY[@]}"`,
        'bash',
        bashFile,
        'runsheet',
        ...words,
      ],
      {
        cwd: join(t.dir, 'work'),
        env: { PATH: process.env.PATH, HOME: t.dir, RUNSHEET_HOME: join(t.dir, 'home') },
        encoding: 'utf8',
      },
    );
    return out.split('\n').filter(Boolean).sort();
  };

  it('bash: subcommands, global and per-command flags, flag values', () => {
    expect(complete('res')).toEqual(['resume']);
    expect(complete('re')).toEqual(['report', 'resume']);
    expect(complete('--no')).toEqual(['--no-color']);
    expect(complete('run', '--an')).toEqual(['--answers']);
    expect(complete('report', '--format', '')).toEqual(['html', 'json', 'md']);
    expect(complete('completion', '')).toEqual(['bash', 'fish', 'zsh']);
    expect(complete('snapshot', '')).toEqual(['capture', 'diff']);
    expect(complete('snapshot', 'diff', '--')).toContain('--checklist');
  });

  it('bash: run ids for resume, status and report, read from $RUNSHEET_HOME/runs at completion time', () => {
    const ids = ['20261203-063735-demo-service-a1b2', '20261203-070000-payments-c3d4'];
    expect(complete('resume', '')).toEqual(ids);
    expect(complete('status', '20261203-07')).toEqual([ids[1]]);
    // A flag's value is not the run id: `--format md` is skipped.
    expect(complete('report', '--format', 'md', '2026')).toEqual(ids);
  });

  it('bash: checklist files (yaml, yml, md) and directories for run, validate and plan; json for verify', () => {
    expect(complete('run', '')).toEqual(['checklists/', 'deploy.yaml', 'old.yml', 'runbook.md']);
    expect(complete('validate', 'de')).toEqual(['deploy.yaml']);
    expect(complete('verify', '')).toEqual(['checklists/', 'report.json']);
    expect(complete('run', '--answers', 'no')).toEqual(['notes.txt']);
  });

  it('refuses an unknown shell with a usage error', async () => {
    const r = await script('tcsh');
    expect(r.code).toBe(2);
    expect(r.err).toContain('completion "tcsh": use bash, zsh or fish');
  });

  for (const shell of ['zsh', 'fish']) {
    it.skipIf(!has(shell))(`${shell}: the script parses`, async () => {
      const file = join(t.dir, `runsheet.${shell}`);
      await writeFile(file, (await script(shell)).out);
      const r = spawnSync(shell, ['-n', file], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
    });
    if (!has(shell)) console.warn(`*** SKIPPING the ${shell} completion parse test: ${shell} is not installed ***`);
  }

  it('fish and zsh scripts name every subcommand and the run-id lister', async () => {
    const fish = (await script('fish')).out;
    expect(fish).toContain("complete -c runsheet -n __fish_use_subcommand -a resume -d 'resume a run by id'");
    expect(fish).toContain("complete -c runsheet -n '__fish_seen_subcommand_from status' -a '(__runsheet_run_ids)'");
    expect(fish).toContain('__fish_complete_suffix .yaml');
    const zsh = (await script('zsh')).out;
    expect(zsh).toMatch(/^#compdef runsheet\n/);
    expect(zsh).toContain('bashcompinit');
    expect(zsh).toContain('complete -F _runsheet runsheet');
  });
});

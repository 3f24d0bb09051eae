// Issue 13.7: a pipeline fails when a stage fails (`set -o pipefail` under bash, per item
// `pipefail: false` to opt out), and 13.5: --vars-file / --set-from-env, the ways to give a
// secret without putting it on runsheet's command line.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCommand } from '../../src/commands/run.js';
import { parseVarsText, readVarOptions } from '../../src/commands/options.js';
import { loadChecklistText } from '../../src/core/load.js';
import { tempDir, testIo, writeChecklist } from '../support/tmp.js';

let t: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => (t = await tempDir('rs-pipefail-')));
afterEach(async () => t.cleanup());

const pipeline = (extra: string) => `version: 1
title: Pipelines
phases:
  - title: P
    items:
      - {id: pipe, title: First stage fails, run: 'false | cat', check: true${extra}}
`;

describe('pipefail', () => {
  it('a failing first stage fails the item under bash', async () => {
    const file = await writeChecklist(t.dir, 'p.yaml', pipeline(''));
    const c = testIo(t.dir);
    expect(await runCommand({ file, auto: true }, c.io)).toBe(1);
    expect(c.out()).toMatch(/exit 1/);
  });

  it("pipefail: false keeps the last stage's status", async () => {
    const file = await writeChecklist(t.dir, 'p.yaml', pipeline(', pipefail: false'));
    const c = testIo(t.dir);
    expect(await runCommand({ file, auto: true }, c.io)).toBe(0);
  });

  it('under dash nothing is added: the last stage decides', async () => {
    const file = await writeChecklist(t.dir, 'p.yaml', pipeline(', shell: /bin/dash'));
    expect(await runCommand({ file, auto: true }, testIo(t.dir).io)).toBe(0);
  });

  it('is a run-only key', () => {
    const r = loadChecklistText(
      "version: 1\ntitle: T\nphases:\n  - title: P\n    items:\n      - {title: H, http: {url: 'http://127.0.0.1:1/'}, pipefail: false}\n",
      'x.yaml',
    );
    expect(r.problems.map((p) => p.message)).toEqual(['"pipefail" only applies to run items']);
  });
});

describe('variables given off the command line', () => {
  it('reads NAME=VALUE lines and YAML mappings', async () => {
    expect(await parseVarsText('# comment\nexport A_TOKEN=\'x y\'\nB="2"\nC=plain=3\n', 'f')).toEqual({
      A_TOKEN: 'x y',
      B: '2',
      C: 'plain=3',
    });
    expect(await parseVarsText('A_TOKEN: tok\nN: 3\n', 'f')).toEqual({ A_TOKEN: 'tok', N: '3' });
    await expect(parseVarsText('- a\n- b\n', 'f')).rejects.toThrow(/NAME=VALUE lines or a YAML mapping/);
  });

  it('refuses a vars file others can read, and --set of a secret; --set-from-env reads the environment', async () => {
    const f = join(t.dir, 'v.env');
    await writeFile(f, 'DB_PASSWORD=s3cret-value\n');
    await chmod(f, 0o640);
    await expect(readVarOptions({ varsFile: f }, {}, t.dir)).rejects.toThrow(/mode 0640 lets other users read it; chmod 600/);
    await chmod(f, 0o600);
    expect(await readVarOptions({ varsFile: f, setFromEnv: ['API_TOKEN'], set: ['V=1'] }, { API_TOKEN: 'tok-123' }, t.dir)).toEqual({
      DB_PASSWORD: 's3cret-value',
      API_TOKEN: 'tok-123',
      V: '1',
    });
    await expect(readVarOptions({ set: ['API_TOKEN=tok-123'] }, {}, t.dir)).rejects.toThrow(
      /use --set-from-env API_TOKEN .* or --vars-file FILE \(mode 0600\)/,
    );
    await expect(readVarOptions({ setFromEnv: ['MISSING_TOKEN'] }, {}, t.dir)).rejects.toThrow(
      /MISSING_TOKEN is not set in runsheet's environment/,
    );
  });
});

describe('validate warns where a secret would still reach a command line', () => {
  it('names the quoted here-document, the non-POSIX shell, the cwd and the probe', async () => {
    const file = await writeChecklist(
      t.dir,
      'w.yaml',
      `version: 1
title: Warnings
metrics:
  - {id: m, command: "cat <<'EOF'\\n\${DB_PASSWORD}\\nEOF"}
phases:
  - title: P
    items:
      - {id: ok, title: By reference, run: 'echo \${DB_PASSWORD} "\${DB_PASSWORD}"'}
      - {id: heredoc, title: Quoted heredoc, run: "cat <<'EOF'\\n\${DB_PASSWORD}\\nEOF"}
      - {id: py, title: Python, run: 'print("\${DB_PASSWORD}")', shell: /usr/bin/python3}
      - {id: dir, title: In a path, run: 'true', cwd: '/tmp/\${DB_PASSWORD}'}
`,
    );
    const c = testIo(t.dir, { DB_PASSWORD: 'pw-W4rn-value' });
    const { main } = await import('../../src/cli/main.js');
    expect(await main(['node', 'runsheet', 'validate', file], c.io)).toBe(0);
    const warnings = c.err().trim().split('\n');
    expect(warnings.map((w) => w.replace(/: the .*|: shell .*/, ''))).toEqual([
      `${file}: warning: item heredoc run`,
      `${file}: warning: item py run`,
      `${file}: warning: item dir cwd`,
      `${file}: warning: metric m command`,
    ]);
    expect(c.err()).not.toContain('pw-W4rn-value');
  });
});

describe('a resumed run gets its secrets again, never the mask it recorded', () => {
  it('a secret given with --set-from-env is read again from the environment on resume', async () => {
    const file = await writeChecklist(
      t.dir,
      'r.yaml',
      `version: 1
title: Resume with a secret
phases:
  - title: P
    items:
      - {id: wait, title: Operator ticks}
      - {id: use, title: Uses it, run: 'printf %s \${DB_PASSWORD} > pw.txt'}
`,
    );
    const env = { DB_PASSWORD: 'pw-Res7-value' };
    const first = testIo(t.dir, env);
    expect(await runCommand({ file, auto: true, setFromEnv: ['DB_PASSWORD'] }, first.io)).toBe(3);
    const { readdir, readFile } = await import('node:fs/promises');
    const [runId] = await readdir(join(t.dir, 'home', 'runs'));
    await writeFile(join(t.dir, 'a.yaml'), 'wait: tick\n');
    expect(await runCommand({ resumeId: runId, auto: true, answers: 'a.yaml' }, testIo(t.dir, env).io)).toBe(0);
    expect(await readFile(join(t.dir, 'pw.txt'), 'utf8')).toBe('pw-Res7-value');
  });
});

// `runsheet import` against real files in a temp dir: YAML to stdout or -o, summary to stderr,
// clear exit-2 errors for inputs that are not Markdown checklists.
import { readFile, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importCommand, importFileForRun } from '../../src/commands/import.js';
import { UserError } from '../../src/core/errors.js';
import { loadChecklistText } from '../../src/core/load.js';
import { tempDir, testIo } from '../support/tmp.js';

const MD = '# Ship\n\n## Deploy\n- [ ] Announce\n- [ ] p95: ___ ms\n\n```bash\n# Roll out\nkubectl rollout restart deploy/app\n```\n';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir('rs-import-')));
afterEach(async () => cleanup());

describe('importCommand', () => {
  it('writes YAML with a source header to stdout and the summary to stderr', async () => {
    await writeFile(join(dir, 'deploy.md'), MD);
    const t = testIo(dir);
    expect(await importCommand('deploy.md', {}, t.io)).toBe(0);
    const sha = createHash('sha256').update(MD).digest('hex');
    expect(t.out()).toContain('# Imported by `runsheet import` from deploy.md');
    expect(t.out()).toContain(`# source sha256: ${sha}`);
    const loaded = loadChecklistText(t.out(), 'x.yaml', {});
    expect(loaded.problems).toEqual([]);
    expect(loaded.checklist!.phases[0].sections[0].items.map((i) => i.action.kind)).toEqual(['manual', 'record', 'run']);
    expect(loaded.checklist!.phases[0].sections[0].items[2].confirm).toBe(true);
    expect(t.err()).toContain('1 phase, 1 section, 3 items (1 manual, 1 record, 1 run)');
  });

  it('-o writes the file; --title overrides; nothing on stdout', async () => {
    await writeFile(join(dir, 'deploy.md'), MD);
    const t = testIo(dir);
    expect(await importCommand('deploy.md', { output: 'out.yaml', title: 'Payments deploy' }, t.io)).toBe(0);
    expect(t.out()).toBe('');
    const yaml = await readFile(join(dir, 'out.yaml'), 'utf8');
    expect(loadChecklistText(yaml, 'out.yaml', {}).checklist!.title).toBe('Payments deploy');
    expect(t.err()).toContain('Wrote out.yaml');
  });

  it('--http-checks adds http items', async () => {
    await writeFile(join(dir, 'h.md'), '# T\n\n## V\n```sh\ncurl -f https://example.com/health\n```\n');
    const t = testIo(dir);
    expect(await importCommand('h.md', { httpChecks: true }, t.io)).toBe(0);
    const c = loadChecklistText(t.out(), 'x.yaml', {}).checklist!;
    expect(c.phases[0].sections[0].items.map((i) => i.action.kind)).toEqual(['run', 'http']);
  });

  it.each([
    ['binary', Buffer.from([0x23, 0x20, 0x00, 0x01]), /binary/],
    ['invalid UTF-8', Buffer.from([0x2d, 0x20, 0x5b, 0x20, 0x5d, 0x20, 0xff, 0xfe]), /UTF-8/],
    ['no checklist', Buffer.from('# Notes\n\nJust prose.\n'), /holds no checklist/],
  ])('rejects %s input with a UserError (exit 2)', async (_, bytes, msg) => {
    await writeFile(join(dir, 'in.md'), bytes);
    const err = await importCommand('in.md', {}, testIo(dir).io).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).exitCode).toBe(2);
    expect((err as UserError).message).toMatch(msg);
  });

  it('rejects a missing file and one over 1 MB', async () => {
    await expect(importCommand('nope.md', {}, testIo(dir).io)).rejects.toThrow(/no such/);
    await writeFile(join(dir, 'big.md'), Buffer.alloc(10 * 1024 * 1024 + 1, 0x61));
    await expect(importCommand('big.md', {}, testIo(dir).io)).rejects.toThrow(/limit is 1 MB/);
  });
  it('a runbook with reference, environments, a gate and placeholders imports to YAML that validates, and the summary names each decision with its lines', async () => {
    const md = [
      '# Release',
      '',
      '## Prepare',
      '- [ ] Branch: `git checkout -b release/<version>`',
      '',
      '## Deploy',
      '### Staging',
      '- [ ] `./deploy staging`',
      '### Production',
      '- [ ] `./deploy production`',
      '',
      '## Approval',
      'Before deploying, approvals from:',
      '- [ ] Tech Lead',
      '',
      '## Useful commands',
      '```bash',
      'redis-cli FLUSHALL',
      'kubectl logs -f deploy/app',
      '```',
      '',
    ].join('\n');
    await writeFile(join(dir, 'release.md'), md);
    const t = testIo(dir);
    expect(await importCommand('release.md', {}, t.io)).toBe(0);
    const loaded = loadChecklistText(t.out(), 'x.yaml', {});
    expect(loaded.problems).toEqual([]);
    expect(t.out()).toContain('reference:\n  - title: Useful commands');
    expect(t.out()).toContain('vars:\n  VERSION:\nenvironments:');
    expect(t.err()).toContain(
      'Reference (kept for reading under `reference`, never a phase or a runnable item):\n  lines 16-20: "Useful commands" (title says a command reference)',
    );
    expect(t.err()).toContain('line 7: "Staging" → environment staging');
    expect(t.err()).toContain('lines 12-14: "Approval" (approval section says "Before deploying") → placed ahead of "Deploy"');
    expect(t.err()).toContain('line 4: <version> → ${VERSION}');
    expect(loaded.checklist!.phases.map((p) => [p.title, p.signoff])).toEqual([
      ['Prepare', ['Tech Lead']],
      ['Deploy', []],
    ]);
  });
});

describe('importFileForRun', () => {
  it('returns the YAML and the Markdown bytes sha256', async () => {
    const p = join(dir, 'deploy.md');
    await writeFile(p, MD);
    const r = await importFileForRun(p);
    expect(r.sha256).toBe(createHash('sha256').update(MD).digest('hex'));
    expect(loadChecklistText(r.yaml, p, {}).problems).toEqual([]);
    expect(r.summary.items).toEqual({ manual: 1, record: 1, run: 1, http: 0 });
  });
});

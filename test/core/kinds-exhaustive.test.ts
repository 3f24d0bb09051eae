// Adding an action kind to the union without declaring it must fail the typecheck, not a run:
// a copy of src/ with one more kind in the `Action` union goes through the real `tsc`, and the
// only errors are the places a kind has to be declared (its KINDS entry and YAML key, the
// executor's switch). If KINDS were loosened (a Record<string, …>, a cast, a `default:`), the
// error in kinds.ts would go and this test would fail.
import { spawnSync } from 'node:child_process';
import { cp, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../support/tmp.js';

const ROOT = process.cwd();
const UNION_END = "  | { kind: 'compare'; baseline: string; label: string; metrics?: string[]; watch?: WatchSpec };";

let t: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  t = await tempDir('rs-kinds-');
  await cp(join(ROOT, 'src'), join(t.dir, 'src'), { recursive: true });
  await symlink(join(ROOT, 'node_modules'), join(t.dir, 'node_modules'), 'dir');
  // "type": "module" decides how NodeNext reads the files, as in the repository.
  await cp(join(ROOT, 'package.json'), join(t.dir, 'package.json'));
  const config = JSON.parse(await readFile(join(ROOT, 'tsconfig.json'), 'utf8')) as { include?: string[]; files?: string[] };
  // The modules that name every kind (and what they import): the whole of src is not needed.
  delete config.include;
  config.files = [
    'src/core/kinds.ts',
    'src/core/describe.ts',
    'src/core/normalize.ts',
    'src/adapters/executor.ts',
    'src/core/report/item-result.ts',
  ];
  await writeFile(join(t.dir, 'tsconfig.json'), JSON.stringify(config));
});
afterEach(async () => t.cleanup());

function tsc(): { status: number | null; errors: string[] } {
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', 'tsconfig.json'], {
    cwd: t.dir,
    encoding: 'utf8',
    timeout: 240_000,
  });
  const errors = `${r.stdout}${r.stderr}`.split('\n').filter((l) => /error TS\d+/.test(l));
  return { status: r.status, errors };
}

describe('every action kind is declared once, or the build fails', () => {
  it('a kind added to the Action union without a KINDS entry, YAML key or executor case does not compile', async () => {
    const path = join(t.dir, 'src/core/kinds.ts');
    const text = await readFile(path, 'utf8');
    expect(text, 'the union as this test patches it').toContain(UNION_END);
    await writeFile(path, text.replace(UNION_END, `${UNION_END.slice(0, -1)}\n  | { kind: 'pause'; seconds: number };`));

    const r = tsc();
    expect(r.status, r.errors.join('\n')).not.toBe(0);
    const where = (file: string) => r.errors.filter((e) => e.startsWith(file));
    // The table: a missing entry is a type error on KINDS itself.
    expect(
      where('src/core/kinds.ts').some((e) => /Property 'pause' is missing/.test(e)),
      r.errors.join('\n'),
    ).toBe(true);
    // The YAML key: a kind no checklist could name.
    expect(
      where('src/core/kinds.ts').some((e) => /'"pause"'/.test(e) && /EVERY_KIND|true/.test(e)),
      r.errors.join('\n'),
    ).toBe(true);
    // The executor's switch reaches `never` only when every kind has its case.
    expect(
      where('src/adapters/executor.ts').some((e) => /'never'/.test(e)),
      r.errors.join('\n'),
    ).toBe(true);
    // And nothing else broke: these are the places a kind is declared, no more.
    expect(r.errors.filter((e) => !/^src\/(core\/kinds|adapters\/executor)\.ts/.test(e))).toEqual([]);
  }, 300_000);

  it('a YAML action key added without building its action in normalize does not compile', async () => {
    const path = join(t.dir, 'src/core/schema.ts');
    const text = await readFile(path, 'utf8');
    const keys = "export const ACTION_KEYS = ['run', 'http', 'require_env', 'record', 'snapshot', 'compare'] as const;";
    expect(text, 'ACTION_KEYS as this test patches it').toContain(keys);
    await writeFile(path, text.replace(keys, keys.replace("'compare']", "'compare', 'pause']")));

    const r = tsc();
    expect(r.status, r.errors.join('\n')).not.toBe(0);
    // buildAction's switch reaches `never` only when every key is built.
    expect(
      r.errors.some((e) => e.startsWith('src/core/normalize.ts') && /'never'/.test(e)),
      r.errors.join('\n'),
    ).toBe(true);
    expect(r.errors.filter((e) => !e.startsWith('src/core/normalize.ts'))).toEqual([]);
  }, 300_000);

  it('the same copy without the extra kind compiles (the errors above come from the kind alone)', () => {
    const r = tsc();
    expect(r.errors).toEqual([]);
    expect(r.status).toBe(0);
  }, 300_000);
});

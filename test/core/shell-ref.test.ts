// A secret's ${NAME} in a command becomes a shell reference written for its quoting context, so
// the command reads the same value it read when runsheet inserted the value as text — while the
// value itself never enters the shell's argv. Checked against real bash and dash.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { interpolateCommand, interpolate } from '../../src/core/interpolate.js';
import { shellDialect, type ShellDialect } from '../../src/core/shell-ref.js';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SECRET = 'pw-Zq81x.dribble_9';
const vars = { DB_PASSWORD: SECRET, VERSION: '1.5.0', SAY: 'hello' };
const isSecret = (n: string) => n.endsWith('_PASSWORD');
const cmd = (s: string, dialect: ShellDialect = 'ansi') => interpolateCommand(s, vars, isSecret, dialect);

describe('interpolateCommand', () => {
  it.each([
    ['echo ${DB_PASSWORD}', 'echo "${DB_PASSWORD}"'],
    ['echo "pw=${DB_PASSWORD}!"', 'echo "pw=${DB_PASSWORD}!"'],
    ["echo 'pw=${DB_PASSWORD}!'", `echo 'pw='"\${DB_PASSWORD}"'!'`],
    ["echo $'a\\t${DB_PASSWORD}'", `echo $'a\\t'"\${DB_PASSWORD}"$''`],
    ['echo $(echo "${DB_PASSWORD}") ${VERSION}', 'echo $(echo "${DB_PASSWORD}") 1.5.0'],
    ['echo "$(echo ${DB_PASSWORD})"', 'echo "$(echo "${DB_PASSWORD}")"'],
    ['echo `echo ${DB_PASSWORD}`', 'echo `echo "${DB_PASSWORD}"`'],
    ['echo x # ${DB_PASSWORD}', 'echo x # ${DB_PASSWORD}'],
    ['cat <<EOF\npw ${DB_PASSWORD}\nEOF\necho ${DB_PASSWORD}', 'cat <<EOF\npw ${DB_PASSWORD}\nEOF\necho "${DB_PASSWORD}"'],
  ])('%j → %j', (input, want) => {
    const r = cmd(input);
    expect(r.text).toBe(want);
    expect(r.inlined).toEqual([]);
  });

  it('inserts the value only where no reference can stand, and says so', () => {
    expect(cmd("cat <<'EOF'\n${DB_PASSWORD}\nEOF").inlined).toEqual(['DB_PASSWORD']);
    expect(interpolateCommand('print("${DB_PASSWORD}")', vars, isSecret, null)).toEqual({
      text: `print("${SECRET}")`,
      inlined: ['DB_PASSWORD'],
    });
    expect(cmd('cat <<-"EOF"\n\tok\n\tEOF\necho ${DB_PASSWORD}')).toEqual({
      text: 'cat <<-"EOF"\n\tok\n\tEOF\necho "${DB_PASSWORD}"',
      inlined: [],
    });
  });

  it('leaves unknown names and ordinary values as before', () => {
    expect(cmd('echo ${VERSION} ${NOPE}').text).toBe(interpolate('echo ${VERSION} ${NOPE}', vars));
  });

  it("inserts the value in $'…' under sh, which may or may not be bash", () => {
    expect(cmd("echo $'${DB_PASSWORD}'", 'unknown').inlined).toEqual(['DB_PASSWORD']);
    expect(cmd("echo $'${DB_PASSWORD}'", 'posix')).toEqual({ text: `echo $''"\${DB_PASSWORD}"''`, inlined: [] });
  });

  it('knows the shells', () => {
    expect(shellDialect(undefined)).toBe('ansi');
    expect(shellDialect('/bin/dash')).toBe('posix');
    expect(shellDialect('sh')).toBe('unknown');
    expect(shellDialect('/usr/bin/python3')).toBe(null);
  });
});

// Commands built at random from every quoting context, with secret and ordinary ${NAME}s inside:
// the shell's output must be the same whether runsheet inserted the value as text (the old way)
// or wrote a reference.
const ATOMS = ['${DB_PASSWORD}', '${DB_PASSWORD}', '${VERSION}', 'x', 'a-b', '=', ':'];
function randomTemplate(rnd: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const atoms = (escapes: boolean) =>
    Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => (escapes && rnd() < 0.2 ? '\\' : '') + pick(ATOMS)).join('');
  const segment = (depth: number): string => {
    const kinds = depth < 2 ? 7 : 4;
    switch (Math.floor(rnd() * kinds)) {
      case 0:
        return atoms(true);
      case 1:
        return `'${atoms(false)}'`;
      case 2:
        return `"${atoms(true)}"`;
      case 3:
        return `$'${atoms(false)}'`;
      case 4:
        return `$(echo ${word(depth + 1)})`;
      case 5:
        return `"$(echo ${word(depth + 1)})"`;
      default:
        return `\`echo ${atoms(false)}\``;
    }
  };
  const word = (depth: number) => Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => segment(depth)).join('');
  const line = (): string => {
    const r = rnd();
    if (r < 0.15) return `cat <<${pick(['EOF', "'EOF'", '-EOF'])}\n${atoms(true)} ${word(1)}\n\tEOF\n${atoms(true)}\nEOF`;
    if (r < 0.25) return `echo ${word(0)} # ${atoms(false)}`;
    return `echo ${Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => word(0)).join(' ')}`;
  };
  const lines = Array.from({ length: 1 + Math.floor(rnd() * 3) }, line);
  // A here-document's delimiter must be alone on its line.
  return lines.reduce((a, l) => `${a}${a.endsWith('EOF') ? '\n' : pick(['\n', '; '])}${l}`);
}
function lcg(seed: number): () => number {
  let x = seed;
  return () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
}

/** Runs every text in one shell process (each in a subshell, read with eval): outputs and statuses. */
function runAll(shell: string, texts: string[]): { out: string; err: string; code: string }[] {
  const dir = mkdtempSync(join(tmpdir(), 'rs-shref-'));
  try {
    let script = '';
    texts.forEach((t, i) => {
      writeFileSync(join(dir, `t${i}`), t);
      script += `( eval "$(cat ${dir}/t${i})" ) >${dir}/o${i} 2>${dir}/e${i} </dev/null; echo $? >${dir}/c${i}\n`;
    });
    spawnSync(shell, ['-c', script], { env: { PATH: process.env.PATH, DB_PASSWORD: SECRET }, stdio: 'ignore', timeout: 60_000 });
    const read = (f: string) => readFileSync(join(dir, f), 'utf8');
    return texts.map((_, i) => ({ out: read(`o${i}`), err: read(`e${i}`), code: read(`c${i}`) }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.each(
  [
    ['/bin/bash', 'ansi'],
    ['/bin/dash', 'posix'],
  ].filter(([s]) => existsSync(s)) as [string, ShellDialect][],
)('%s reads the same value either way', (shell, dialect) => {
  it('over 200 random commands', { timeout: 180_000 }, () => {
    const rnd = lcg(4242);
    const templates = Array.from({ length: 200 }, () => randomTemplate(rnd));
    const now = templates.map((t) => cmd(t, dialect));
    const old = runAll(
      shell,
      templates.map((t) => interpolate(t, vars)),
    );
    const fresh = runAll(
      shell,
      now.map((n) => n.text),
    );
    let compared = 0;
    templates.forEach((t, i) => {
      if (!now[i].inlined.length) expect(now[i].text).not.toContain(SECRET);
      // A command the shell cannot parse fails both ways, but its message quotes the text.
      if (old[i].err || old[i].code.trim() === '2') return;
      expect({ t, out: fresh[i].out, code: fresh[i].code }).toEqual({ t, out: old[i].out, code: old[i].code });
      compared++;
    });
    expect(compared).toBeGreaterThan(150);
  });
});

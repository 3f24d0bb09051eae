// The house rules of the source tree, checked on every test run: the pure core imports no UI,
// no adapters, no commands and no I/O; nothing imports upward (adapters → commands/cli, commands →
// cli, ui → commands/cli); and no two modules import each other, even for types only.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(process.cwd(), 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : /\.tsx?$/.test(n) ? [p] : [];
  });
}

/** Every module a file imports (static, type-only, re-exports and dynamic imports). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(
    /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g,
  )) {
    // Exactly one of the three forms matched; a module name is never empty.
    out.push(m[1] || m[2] || m[3]);
  }
  return out;
}

/** A relative import as a src-relative path without extension (`core/state`), else the package. */
function target(file: string, spec: string): string {
  if (!spec.startsWith('.')) return spec;
  return relative(SRC, resolve(dirname(file), spec)).replace(/\.(js|jsx|ts|tsx)$/, '');
}

const layer = (p: string) => p.split('/')[0];
const graph = new Map(files(SRC).map((f) => [relative(SRC, f).replace(/\.tsx?$/, ''), importsOf(f).map((s) => target(f, s))]));

describe('architecture', () => {
  it('src/core imports no UI, adapter, command, CLI or I/O module', () => {
    const bad: string[] = [];
    const forbidden =
      /^(ink|ink-.*|react|react\/.*|node:(fs|fs\/promises|child_process|net|http|https|tty|readline)|fs|child_process|undici|execa|lowdb|pg)$/;
    for (const [mod, deps] of graph) {
      if (layer(mod) !== 'core') continue;
      for (const d of deps)
        if (['ui', 'adapters', 'commands', 'cli', 'headless'].includes(layer(d)) || forbidden.test(d)) bad.push(`${mod} → ${d}`);
    }
    expect(bad).toEqual([]);
  });

  it('nothing imports upward: adapters → commands/cli/ui, commands → cli, ui → commands/cli', () => {
    const upward: Partial<Record<string, string[]>> = {
      adapters: ['commands', 'cli', 'ui', 'headless'],
      commands: ['cli'],
      ui: ['commands', 'cli', 'headless'],
      headless: ['cli', 'ui', 'commands'],
    };
    const bad: string[] = [];
    for (const [mod, deps] of graph) for (const d of deps) if (upward[layer(mod)]?.includes(layer(d))) bad.push(`${mod} → ${d}`);
    expect(bad).toEqual([]);
  });

  it('has no import cycle (type-only imports count)', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (m: string) => {
      state.set(m, 'open');
      stack.push(m);
      for (const d of graph.get(m) ?? []) {
        if (!graph.has(d)) continue;
        if (state.get(d) === 'open') cycles.push([...stack.slice(stack.indexOf(d)), d].join(' → '));
        else if (!state.has(d)) visit(d);
      }
      stack.pop();
      state.set(m, 'done');
    };
    for (const m of graph.keys()) if (!state.has(m)) visit(m);
    expect(cycles).toEqual([]);
  });

  it('sees the imports it checks (so the rules above cannot pass on an empty graph)', () => {
    expect(graph.get('adapters/run-store')).toContain('core/state');
    expect(graph.get('core/engine')?.length).toBeGreaterThan(2);
  });
});

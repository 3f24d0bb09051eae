// Fuzz: Markdown checklists, mutated, through `import` in process. The real seeds live outside
// the repository (../shared/seeds); small built-in documents in several styles stand in when they
// are absent. Whatever the input: exit 0 or 2 (1 would mean the importer wrote invalid YAML), no
// exception, no stack trace, no "internal error".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from '../support/tmp.js';
import { applyAll, cli, mutations, problemWith, runs, SCALE } from './mutate.js';
import { SEEDS_DIR } from '../support/seeds.js';

const BUILT_IN = [
  `---\ntitle: Release\n---\n# Release v2\n\n## Pre-deploy\n\n- [ ] Change ticket approved\n- [x] Backup taken at ____\n- [ ] p95 latency: ___ ms\n\n\`\`\`bash\nkubectl rollout status deploy/api\ncurl -fsS https://api.example.com/health\n\`\`\`\n\n## Deploy\n\n1. [ ] Run \`./deploy.sh \${VERSION}\`\n2. [ ] Watch the dashboard for **10 minutes**\n\n## Rollback\n\n- [ ] \`./rollback.sh\`\n`,
  `Deployment checklist\n\nBefore\n  • Announce in #deploys\n  • Freeze merges\n\n$ make migrate\n$ systemctl restart api\n\nAfter\n  • Check error rate\n  • Close the ticket\n`,
  `# Ops runbook\n\n| Step | Owner | Done |\n|---|---|---|\n| Drain node | SRE | [ ] |\n\n> **Note**: run as root\n\n* [ ] Drain: \`kubectl drain node-1 --ignore-daemonsets\`\n  * [ ] Wait for pods\n* [ ] Upgrade\n\n    sudo apt-get upgrade -y\n\n* [ ] Uncordon\n`,
];

function seeds(): Buffer[] {
  const dir = SEEDS_DIR;
  try {
    const files = readdirSync(dir)
      .filter((f) => /^\d{3}_/.test(f))
      .sort();
    if (files.length) return files.map((f) => readFileSync(join(dir, f)));
  } catch {
    // not checked out beside the repository
  }
  return BUILT_IN.map((s) => Buffer.from(s));
}
const SEEDS = seeds();

let t: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  t = await tempDir('rs-fuzz-md-');
});
afterAll(async () => t.cleanup());

describe('fuzzed Markdown imports', () => {
  it('the unmutated seeds import cleanly', async () => {
    for (const [i, b] of SEEDS.entries()) {
      await writeFile(join(t.dir, `seed${i}.md`), b);
      const r = await cli(['import', join(t.dir, `seed${i}.md`)], t.dir, join(t.dir, 'home'));
      expect(r.code, r.out.slice(-500)).toBe(0);
    }
  });

  // ~25 s of CPU on an idle machine; the limit leaves room for a loaded CI box (it is a hang guard, not a speed check).
  it('import', { timeout: 180_000 * SCALE }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.record({ seed: fc.nat({ max: SEEDS.length - 1 }), edits: mutations, httpChecks: fc.boolean() }), async (c) => {
        const f = join(t.dir, 'm.md');
        await writeFile(f, applyAll(SEEDS[c.seed], c.edits));
        const r = await cli(['import', f, ...(c.httpChecks ? ['--http-checks'] : [])], t.dir, join(t.dir, 'home'));
        const problem = problemWith(r);
        if (problem) throw new Error(`${problem}\n${r.out.slice(-2000)}`);
      }),
      { numRuns: runs(300) },
    );
  });
});

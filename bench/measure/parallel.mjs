// Parallel checks: 40 HTTP checks against a local server that answers after 200 ms, run headless
// with --jobs 8. The ideal is 40/8 × 200 ms = 1000 ms; the baseline measured in the same run is
// one such check on its own (so 5 × it is the ideal with real per-request costs).
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startDemoService } from '../../scripts/demo-service.mjs';
import { parallelChecklist } from '../lib/checklists.mjs';
import { BUNDLE, childEnv, scratch } from '../lib/env.mjs';
import { summarize } from '../lib/stats.mjs';

const COUNT = 40;
const JOBS = 8;
const MS = 200;

function runHeadless(file, home, cwd) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const p = spawn(process.execPath, [BUNDLE, 'run', file, '--auto', '--json', '--fresh', '--jobs', String(JOBS)], {
      cwd,
      env: childEnv(home, { CI: '1' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('error', reject);
    p.on('close', (code) => {
      const wallMs = performance.now() - t0;
      if (code !== 0) return reject(new Error(`headless run exited ${code}: ${err.slice(-1500)}`));
      const events = out
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l));
      const started = events.filter((e) => e.type === 'item.started').map((e) => Date.parse(e.ts));
      const ended = events.filter((e) => e.type === 'item.passed' || e.type === 'item.failed').map((e) => Date.parse(e.ts));
      const failed = events.filter((e) => e.type === 'item.failed').length;
      if (failed) return reject(new Error(`${failed} checks failed`));
      resolve({ wallMs, checksMs: Math.max(...ended) - Math.min(...started), checks: ended.length });
    });
  });
}

export async function measureParallel({ runs = 5, log = () => {} } = {}) {
  const svc = await startDemoService();
  const s = await scratch();
  try {
    const many = join(s.dir, 'parallel.yaml');
    const one = join(s.dir, 'one.yaml');
    await writeFile(many, parallelChecklist(svc.url, COUNT, MS));
    await writeFile(one, parallelChecklist(svc.url, 1, MS));
    const home = join(s.dir, 'home');
    await runHeadless(one, home, s.dir); // warm-up (disk cache, JIT of the bundle's parse)
    const single = [];
    const checks = [];
    const wall = [];
    for (let i = 0; i < runs; i++) {
      single.push((await runHeadless(one, home, s.dir)).checksMs);
      const r = await runHeadless(many, home, s.dir);
      if (r.checks !== COUNT) throw new Error(`expected ${COUNT} check results, got ${r.checks}`);
      checks.push(r.checksMs);
      wall.push(r.wallMs);
      log(
        `parallel run ${i + 1}: ${COUNT} checks in ${Math.round(r.checksMs)} ms (process ${Math.round(r.wallMs)} ms), one check ${Math.round(single.at(-1))} ms`,
      );
    }
    const ideal = (COUNT / JOBS) * MS;
    return {
      config: { checks: COUNT, jobs: JOBS, delayMs: MS, idealMs: ideal },
      checksWallMs: summarize(checks),
      processWallMs: summarize(wall),
      singleCheckMs: summarize(single),
      idealMs: ideal,
    };
  } finally {
    await svc.stop();
    await s.remove();
  }
}

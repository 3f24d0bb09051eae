// `npm run bench`: builds dist/runsheet.mjs, measures it (see docs/performance.md), prints a
// Markdown table — each figure the median of N runs with min and max, a baseline measured in the
// same run, the ratio to it and whether the target is met — and writes bench/results/latest.json.
//   node bench/run.mjs [--runs N] [--only startup,keys,latency,flood,parallel,state,team] [--no-build] [--no-nice] [--out FILE]
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, getPriority, loadavg, setPriority, totalmem } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildForBench } from './lib/build.mjs';
import { BUNDLE, ROOT } from './lib/env.mjs';
import { markdownTable } from './lib/table.mjs';
import { measureStartup } from './measure/startup.mjs';
import { measureKeystrokes } from './measure/keystrokes.mjs';
import { measureLatency } from './measure/latency.mjs';
import { measureFlood } from './measure/flood.mjs';
import { measureParallel } from './measure/parallel.mjs';
import { measureStateWrite } from './measure/state-write.mjs';
import { measureTeam } from './measure/team.mjs';
import { tableRows } from './lib/rows.mjs';

const BENCHES = {
  startup: measureStartup,
  keys: measureKeystrokes,
  latency: measureLatency,
  flood: measureFlood,
  parallel: measureParallel,
  state: measureStateWrite,
  team: measureTeam,
};

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    only: { type: 'string' },
    'no-build': { type: 'boolean', default: false },
    'no-nice': { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
    out: { type: 'string', default: join('bench', 'results', 'latest.json') },
  },
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) {
  console.error('bench: --runs takes a whole number ≥ 1 (the figures are medians of at least 5)');
  process.exit(2);
}
const only = values.only ? values.only.split(',').map((s) => s.trim()) : Object.keys(BENCHES);
const unknown = only.filter((n) => !BENCHES[n]);
if (unknown.length) {
  console.error(`bench: unknown benchmark ${unknown.join(', ')} (have: ${Object.keys(BENCHES).join(', ')})`);
  process.exit(2);
}

const log = values.quiet ? () => {} : (line) => console.error(`  ${line}`);
const git = (...args) => {
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
};

// On a shared machine other work competes for the 2 CPUs; a higher priority (inherited by
// runsheet, its commands and the pty driver alike) keeps that noise out of the figures where
// the OS allows it. Refused without privileges: then the figures are taken as they come.
let niceness = getPriority();
if (!values['no-nice']) {
  try {
    setPriority(-10);
    niceness = getPriority();
  } catch {
    // not permitted: measure at normal priority
  }
}

if (!values['no-build'] && !process.env.RUNSHEET_BENCH_BUNDLE) {
  console.error('bench: building dist/runsheet.mjs');
  await buildForBench();
}

const meta = {
  date: new Date().toISOString(),
  bundle: BUNDLE,
  node: process.version,
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model,
  memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
  commit: git('rev-parse', '--short', 'HEAD'),
  // Uncommitted changes are part of what was measured; say so.
  dirty: Boolean(git('status', '--porcelain', '--', 'src', 'scripts')),
  runs,
  niceness,
  loadBefore: loadavg().map((x) => Math.round(x * 100) / 100),
};
console.error(`bench: ${runs} runs each on ${meta.cpus} CPUs, nice ${niceness}, load average ${meta.loadBefore.join(' ')}`);

const results = {};
const started = performance.now();
for (const name of only) {
  const t0 = performance.now();
  console.error(`bench: ${name}…`);
  try {
    results[name] = await BENCHES[name]({ runs, log });
  } catch (e) {
    // One broken benchmark must not hide the others: record why and go on.
    results[name] = { error: e.message };
    console.error(`bench: ${name} FAILED: ${e.message}`);
  }
  console.error(`bench: ${name} took ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}
meta.loadAfter = loadavg().map((x) => Math.round(x * 100) / 100);
meta.seconds = Math.round((performance.now() - started) / 1000);

const rows = tableRows(results);
const table = markdownTable(rows);
const failed = Object.entries(results).filter(([, r]) => r.error);
console.log(table);
for (const [name, r] of failed) console.log(`\n${name}: not measured — ${r.error.split('\n')[0]}`);
// Skipped (a server it needs is not installed here): said in the table's output, not a failure.
for (const [name, r] of Object.entries(results)) if (r.skipped) console.log(`\n${name}: skipped — ${r.skipped}`);
console.log(
  `\n${runs} runs per figure · Node ${meta.node} · ${meta.cpus} CPUs · nice ${niceness} · load average ${meta.loadBefore[0]} before, ${meta.loadAfter[0]} after · ${meta.seconds} s`,
);

const out = resolve(ROOT, values.out);
await mkdir(dirname(out), { recursive: true });
await writeFile(out, JSON.stringify({ meta, results, table: rows }, null, 2) + '\n');
console.error(`bench: wrote ${relative(ROOT, out)}`);
process.exit(failed.length ? 1 : 0);

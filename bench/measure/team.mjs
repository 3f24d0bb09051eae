// Team runs on PostgreSQL (issue 17), on a real server started for the bench (bench/lib/postgres.mjs,
// fsync on) and the real bundle in pseudo-terminals:
//   - key → durable ack on the database store: Space on a manual item in ann's TUI (`run FILE
//     --store URL`), timed to the frame showing the new mark (drawn only once the store has
//     committed the event) and, beside it, to the NOTIFY the events table's trigger sends on
//     `runsheet_run` at commit, heard by a separate client (the row is visible to others then).
//     Baseline: the same toggles on the default file store (frame after the fdatasync'd append).
//   - action → other terminal redraw: bob's TUI (`join RUN_ID --store URL`) on the same run, timed
//     from ann's key to bob's screen showing the new mark. p50 and p95 of ACTIONS toggles per run.
// Without PostgreSQL binaries it says so and measures nothing (the other benchmarks still run).
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateChecklist } from '../lib/checklists.mjs';
import { BUNDLE, childEnv, scratch } from '../lib/env.mjs';
import { postgresMissing, startPostgres } from '../lib/postgres.mjs';
import { percentile, summarize } from '../lib/stats.mjs';
import { KEY, READY_MARKER, driveTui } from '../lib/tui.mjs';
import { runPty } from '../lib/pty.mjs';

const ITEMS = 50;
const ACTIONS = 24;
const MARKS = ['[x] Item 1 confirm', '[ ] Item 1 confirm'];
const DRIVER = join(dirname(fileURLToPath(import.meta.url)), '..', 'team_driver.py');

const monoMs = () => Number(process.hrtime.bigint()) / 1e6;

const runDriver = (spec) => runPty(spec, DRIVER);

/** A LISTEN on the channel the events trigger notifies (src/adapters/pg-schema.ts): arrival times. */
async function listenCommits(url) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const heard = [];
  client.on('notification', (n) => heard.push({ at: monoMs(), payload: n.payload }));
  await client.query('LISTEN runsheet_run');
  return { heard, close: () => client.end() };
}

const p50p95 = (xs) => ({ p50: percentile(xs, 50), p95: percentile(xs, 95) });

/** The file-store baseline: the same toggles of item 1, each timed to the frame with its mark. */
async function fileStoreAck(file, home, cwd) {
  const steps = [];
  for (let i = 0; i < ACTIONS; i++) steps.push({ label: 'tick', send: KEY.space, marker: MARKS[i % 2], pause_ms: 100, max_ms: 5000 });
  const r = await driveTui({ args: ['run', file, '--fresh'], home, cwd, steps });
  const ms = r.steps.map((s) => s.marker_ms);
  if (ms.some((x) => !Number.isFinite(x))) throw new Error('file store: a toggle was not acknowledged within 5 s');
  return ms;
}

export async function measureTeam({ runs = 5, log = () => {} } = {}) {
  const missing = postgresMissing();
  if (missing) {
    console.error(`bench: team: SKIPPED — ${missing}`);
    return { skipped: missing };
  }
  const s = await scratch();
  let server;
  try {
    server = await startPostgres();
    const file = join(s.dir, 'team.yaml');
    await writeFile(file, generateChecklist({ items: ITEMS, phases: 1 }));
    const initEnv = childEnv(join(s.dir, 'home-init'));
    execFileSync(process.execPath, [BUNDLE, 'store', 'init', '--store', server.url], {
      env: initEnv,
      cwd: s.dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out = { ack: [], ackP95: [], commit: [], redrawP50: [], redrawP95: [], redrawMax: [], fileAck: [], fileAckP95: [] };
    for (let i = 0; i < runs; i++) {
      const fileMs = await fileStoreAck(file, join(s.dir, `file-home-${i}`), s.dir);
      const home = join(s.dir, `home-${i}`);
      const pty = (operator, args) => ({
        argv: [process.execPath, BUNDLE, ...args, '--store', server.url, '--operator', operator],
        env: childEnv(home),
        cwd: s.dir,
        cols: 80,
        rows: 24,
      });
      const listener = await listenCommits(server.url);
      let r;
      try {
        r = await runDriver({
          ann: pty('ann', ['run', file, '--fresh']),
          bob: pty('bob', ['join', '{run_id}']),
          // The newest run first: each run of the bench opens a new one in the same database.
          runs_argv: [process.execPath, BUNDLE, 'runs', '--json', '--store', server.url],
          ready: { marker: READY_MARKER, timeout_ms: 30_000 },
          settle_ms: 500,
          actions: ACTIONS,
          key: KEY.space,
          marks: MARKS,
          gap_ms: 100,
          max_ms: 5000,
        });
      } finally {
        await listener.close();
      }
      if (r.error) throw new Error(`team run ${i + 1}: ${r.error}\n--- screen tail ---\n${r.tail ?? ''}`);
      const acts = r.actions ?? [];
      if (acts.length < ACTIONS || acts.some((a) => a.timed_out))
        throw new Error(
          `team run ${i + 1}: an action was not shown within 5 s\n--- ann ---\n${r.tail_ann ?? ''}\n--- bob ---\n${r.tail_bob ?? ''}`,
        );
      // Each key's commit: the first notification of this run after the key (and before the next).
      const mine = listener.heard.filter((n) => n.payload.startsWith(`${r.run_id}:`));
      const commit = acts.map((a, k) => {
        const next = acts[k + 1]?.send_at ?? Infinity;
        const n = mine.find((x) => x.at >= a.send_at && x.at < next);
        return n ? n.at - a.send_at : NaN;
      });
      const ack = p50p95(acts.map((a) => a.ann_ms));
      const redraw = p50p95(acts.map((a) => a.bob_ms));
      const fa = p50p95(fileMs);
      out.ack.push(ack.p50);
      out.ackP95.push(ack.p95);
      out.commit.push(percentile(commit, 50));
      out.redrawP50.push(redraw.p50);
      out.redrawP95.push(redraw.p95);
      out.redrawMax.push(Math.max(...acts.map((a) => a.bob_ms)));
      out.fileAck.push(fa.p50);
      out.fileAckP95.push(fa.p95);
      log(
        `team run ${i + 1}: key→ack p50 ${ack.p50.toFixed(1)} p95 ${ack.p95.toFixed(1)} ms (file store ${fa.p50.toFixed(1)} / ${fa.p95.toFixed(1)}), key→commit heard ${out.commit.at(-1).toFixed(1)} ms (${commit.filter(Number.isFinite).length}/${acts.length} matched), other terminal p50 ${redraw.p50.toFixed(1)} p95 ${redraw.p95.toFixed(1)} max ${out.redrawMax.at(-1).toFixed(1)} ms`,
      );
    }
    return {
      config: { items: ITEMS, actions: ACTIONS, cols: 80, rows: 24, fsync: true },
      keyToAckP50Ms: summarize(out.ack),
      keyToAckP95Ms: summarize(out.ackP95),
      keyToCommitHeardMs: summarize(out.commit),
      otherRedrawP50Ms: summarize(out.redrawP50),
      otherRedrawP95Ms: summarize(out.redrawP95),
      otherRedrawMaxMs: summarize(out.redrawMax),
      baseline: { keyToAckP50Ms: summarize(out.fileAck), keyToAckP95Ms: summarize(out.fileAckP95) },
    };
  } finally {
    await server?.stop();
    await s.remove();
  }
}

// `npm start`: run checklists/demo.yaml against the demo service. Starts the service on a free
// port, hands the terminal to runsheet, and stops the service when runsheet exits — whatever
// way it exits — so no stray server is left behind.
//   npm start                       # the demo, no environment chosen
//   npm start -- --env staging      # extra arguments go to `runsheet run`
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, watch } from 'node:fs';
import { constants, homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDemoService } from './demo-service.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'dist', 'runsheet.mjs');
const demoChecklist = join(root, 'checklists', 'demo.yaml');

/** Where the demo service keeps the release it serves: beside the runs, in $RUNSHEET_HOME. */
export function demoStateFile(env = process.env) {
  return join(env.RUNSHEET_HOME || join(homedir(), '.runsheet'), 'demo', 'service.json');
}

/**
 * True when an unfinished run of the demo checklist may exist: then the service must come back
 * serving what that run shipped. A run whose state cannot be read counts as open (keeping the
 * release is the safe side: it is what the run last saw).
 */
export function hasOpenDemoRun(home, checklistPath = demoChecklist) {
  let ids;
  try {
    ids = readdirSync(join(home, 'runs'));
  } catch {
    return false;
  }
  return ids.some((id) => {
    try {
      const st = JSON.parse(readFileSync(join(home, 'runs', id, 'state.json'), 'utf8'));
      return st.checklist?.path === checklistPath && (st.status === 'active' || st.status === 'interrupted');
    } catch {
      return existsSync(join(home, 'runs', id, 'events.jsonl'));
    }
  });
}

/** npm strips the `--` of `npm start -- …`; a direct `node scripts/start-demo.mjs -- …` keeps it. */
export function passThroughArgs(argv) {
  const i = argv.indexOf('--');
  return i === -1 ? argv : argv.slice(i + 1);
}

function ensureBundle() {
  if (existsSync(bundle)) return;
  console.error('runsheet: building dist/runsheet.mjs first…');
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0 || !existsSync(bundle)) {
    console.error('runsheet: the build failed; run `npm install` and then `npm run build` to see why');
    process.exit(r.status || 1);
  }
}

/**
 * Calls `onNew` once when a run directory that was not there at the start appears in
 * `home/runs`: the operator chose "Start a fresh run" at runsheet's prompt, so the demo starts
 * over from the previous release. Returns a function that stops watching.
 */
export function watchNewRun(home, onNew) {
  const dir = join(home, 'runs');
  mkdirSync(dir, { recursive: true });
  const known = new Set(readdirSync(dir));
  let done = false;
  const w = watch(dir, () => {
    if (done) return;
    if (readdirSync(dir).some((id) => !known.has(id))) {
      done = true;
      w.close();
      onNew();
    }
  });
  return () => {
    done = true;
    w.close();
  };
}

async function main() {
  ensureBundle();
  const extra = passThroughArgs(process.argv.slice(2));
  const stateFile = demoStateFile();
  // A new demo run starts from the previous release; a resumed one finds the release it shipped.
  const fresh = extra.includes('--fresh') || !hasOpenDemoRun(dirname(dirname(stateFile)));
  let svc;
  try {
    svc = await startDemoService({ port: 0, stateFile, fresh });
  } catch (e) {
    console.error(`runsheet demo: cannot start the demo service on 127.0.0.1 (${e.code ?? e.message})`);
    process.exit(1);
  }
  // Resuming keeps the shipped release; a new run (fresh, or chosen at runsheet's prompt) does not.
  const unwatch = fresh ? () => {} : watchNewRun(dirname(dirname(stateFile)), () => svc.reset());
  const args = ['run', 'checklists/demo.yaml', '--set', `DEMO_URL=${svc.url}`, ...extra];
  const child = spawn(process.execPath, [bundle, ...args], { cwd: root, stdio: 'inherit' });

  // Signals go to runsheet, which decides how to wind down (it may be mid-command); we leave
  // when it does. Ctrl-C in a terminal already reaches runsheet directly via the process group.
  const forward = (sig) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(sig);
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => forward(sig));

  child.once('error', async (e) => {
    unwatch();
    console.error(`runsheet demo: cannot start runsheet (${e.message})`);
    await svc.stop();
    process.exit(1);
  });
  child.once('exit', async (code, signal) => {
    unwatch();
    await svc.stop();
    // A child killed by a signal exits the shell way: 128 + signal number.
    process.exit(code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : 1));
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();

// Regenerates docs/examples/: the report of a real demo run as a change board gets it — the
// Markdown, the self-contained HTML, a 1280 px screenshot of the HTML, the signed JSON envelope
// and the public key that verifies it.
//   node scripts/make-examples.mjs        (needs Chromium for the screenshot; ~1 minute)
//
// The run is the demo checklist driven headless against the demo service, in a throwaway
// RUNSHEET_HOME: first up to the operator's own verdict (baseline, release, comparison and the
// half-minute watch all run for real), then the operators' notes are appended to the run the way
// the TUI's `n` does (the run store's note event), then the run is resumed and finished with the
// remaining answers and both sign-offs.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startDemoService } from './demo-service.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'dist', 'runsheet.mjs');
const outDir = join(root, 'docs', 'examples');
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) => existsSync(p));

function fail(msg) {
  console.error(`make-examples: ${msg}`);
  process.exit(1);
}

/** Runs the CLI without blocking: the demo service answers from this same process meanwhile. */
async function runsheet(args, { home, cwd, ok = [0] }) {
  const child = spawn(process.execPath, [bundle, ...args], {
    cwd,
    env: { ...process.env, RUNSHEET_HOME: home, CI: '', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const status = await new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  if (!ok.includes(status)) fail(`runsheet ${args.join(' ')} exited ${status}:\n${out}`);
}

/** The run store, bundled from source on the fly: the same code the engine appends events with. */
async function loadRunStore(tmp) {
  const { build } = await import('esbuild');
  const r = await build({
    entryPoints: [join(root, 'src', 'adapters', 'run-store.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    logLevel: 'error',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  const file = join(tmp, 'run-store.mjs');
  writeFileSync(file, r.outputFiles[0].text);
  return (await import(pathToFileURL(file).href)).RunStore;
}

const yamlMap = (o) =>
  Object.entries(o)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n') + '\n';

async function main() {
  if (!existsSync(bundle)) {
    const b = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
    if (b.status !== 0) fail('the build failed');
  }
  const tmp = mkdtempSync(join(tmpdir(), 'runsheet-examples-'));
  const home = join(tmp, 'home');
  const work = join(tmp, 'work');
  mkdirSync(work, { recursive: true });
  const svc = await startDemoService({ port: 0 });
  try {
    await runsheet(['keygen', '--name', 'release-owner'], { home, cwd: work });
    const first = {
      'release-notes-read': 'tick',
      'rollback-plan-known': 'tick',
      'window-start': `{record: '${new Date().toISOString().slice(11, 16)}'}`,
      'p95-dashboard-before': '{record: 182}',
      open_tickets: '{record: 4}',
      prepare: '{signoff: [{name: Ann Example, role: Release Owner}]}',
    };
    writeFileSync(join(tmp, 'answers-1.yaml'), yamlMap(first));
    const common = ['--auto', '--yes', '--set', `DEMO_URL=${svc.url}`, '--snapshots', join(work, 'snapshots')];
    console.error('make-examples: running the demo up to the verdict (about 45 s)…');
    await runsheet(
      ['run', join(root, 'checklists', 'demo.yaml'), ...common, '--operator', 'ann', '--answers', join(tmp, 'answers-1.yaml')],
      { home, cwd: work, ok: [3] },
    );
    const runId = readdirSync(join(home, 'runs'))[0];

    const RunStore = await loadRunStore(tmp);
    const store = await RunStore.open(home, runId, { operator: 'ann' });
    await store.append({ type: 'note', item: 'disk-space', text: '12G free on /, plenty for the window.' });
    await store.append({ type: 'note', item: 'watch-after', text: 'p95 settled around 150 ms, about 30 ms under the baseline.' });
    await store.append({ type: 'note', text: 'Bridge call open; Lee joined as on-call.' });
    await store.close();

    const second = {
      ...first,
      verdict: '{record: Better}',
      'user-facing-check': 'tick',
      'change-notes': "{record: 'Search cache works; watch p95 for a day.'}",
      'window-end': `{record: '${new Date(Date.now() + 60_000).toISOString().slice(11, 16)}'}`,
      verify: '{signoff: [{name: Ann Example, role: Release Owner}, {name: Lee Example, role: On-call Engineer}]}',
    };
    writeFileSync(join(tmp, 'answers-2.yaml'), yamlMap(second));
    await runsheet(['resume', runId, ...common, '--operator', 'lee', '--answers', join(tmp, 'answers-2.yaml')], { home, cwd: work });

    // Reports are written from inside docs/examples so their verify hints name the committed files.
    rmSync(outDir, { recursive: true, force: true });
    mkdirSync(outDir, { recursive: true });
    const key = join(home, 'keys', 'release-owner.pem');
    await runsheet(['report', runId, '--format', 'md', '-o', 'demo-report.md', '--key', key], { home, cwd: outDir });
    await runsheet(['report', runId, '--format', 'html', '-o', 'demo-report.html', '--key', key], { home, cwd: outDir });
    copyFileSync(join(home, 'keys', 'release-owner.pub.pem'), join(outDir, 'release-owner.pub.pem'));
    await runsheet(['verify', join('reports', `${runId}.report.json`), '--key', 'release-owner.pub.pem'], { home, cwd: outDir });

    writeFileSync(
      join(outDir, 'README.md'),
      `# Example report\n\nMade by \`node scripts/make-examples.mjs\` from a real headless run of checklists/demo.yaml against the\ndemo service (run ${runId}). Do not edit by hand.\n\n` +
        '- [demo-report.md](demo-report.md): the Markdown report\n' +
        '- [demo-report.html](demo-report.html): the self-contained HTML report (print it to PDF); [demo-report.png](demo-report.png) is its top at 1280 px\n' +
        `- [reports/${runId}.report.json](reports/${runId}.report.json): the signed DSSE envelope, the only part that is evidence\n` +
        '- [release-owner.pub.pem](release-owner.pub.pem): the public key that signed it\n\n' +
        `Verify it from this directory:\n\n\`\`\`sh\nrunsheet verify reports/${runId}.report.json --key release-owner.pub.pem\n\`\`\`\n`,
    );
    if (!CHROMIUM) {
      console.error('make-examples: WARNING: no chromium, so no screenshot (docs/examples/demo-report.png is left out)');
    } else {
      const profile = join(tmp, 'chromium');
      const shot = spawnSync(
        CHROMIUM,
        [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--hide-scrollbars',
          `--user-data-dir=${profile}`,
          `--screenshot=${join(outDir, 'demo-report.png')}`,
          '--window-size=1280,2200',
          pathToFileURL(join(outDir, 'demo-report.html')).href,
        ],
        { encoding: 'utf8' },
      );
      if (shot.status !== 0 || !existsSync(join(outDir, 'demo-report.png')))
        fail(`chromium could not take the screenshot:\n${shot.stderr}`);
    }
    console.error(`make-examples: wrote ${readdirSync(outDir).join(', ')} in docs/examples (run ${runId})`);
  } finally {
    await svc.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

await main();

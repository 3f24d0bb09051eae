// Issue 13.1 end to end, over real SSH: sshd (started here on 127.0.0.1 with a temp host key and
// a temp authorized key), the TUI driven in tmux through `ssh -tt`, checks running and the quit
// question open, then the ssh client killed by PID — sshd closes the session's pty under
// runsheet. runsheet must exit 129 (not SIGABRT), record the interruption, release the run, and
// a new SSH session must resume it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { checkChain } from '../../src/core/events.js';
import { readRun } from '../../src/adapters/run-reader.js';
import { eachStartedInterruptedOnce } from '../faults/pty.js';
import { BUNDLE, Pane, argv, descendants, killQuietly, shq, tmuxAvailable } from './tmux.js';
import { listShown, setupE2e, itemOnScreen, type E2e } from './harness.js';

const SSHD = '/usr/sbin/sshd';

const CHECKLIST = `version: 1
title: SSH drop
phases:
  - title: Work
    items:
      - {id: c1, title: Check one, check: true, run: 'echo $$ > "$WORK/c1.pgid"; while :; do echo one; sleep 0.05; done'}
      - {id: c2, title: Check two, check: true, run: 'echo $$ > "$WORK/c2.pgid"; while :; do echo two; sleep 0.05; done'}
      - {id: k1, title: Kept check, check: true, on_disconnect: keep, run: 'echo $$ > "$WORK/k1.pgid"; for i in $(seq 100); do echo kept $i; sleep 0.05; done'}
      - {id: m1, title: Manual one}
`;

function loudSkip(why: string): void {
  const bar = '!'.repeat(78);
  console.error(
    `\n${bar}\n!! SKIPPING test/e2e/ssh-drop.test.ts: ${why}\n!! Install openssh-server with: bash scripts/install-test-deps.sh\n${bar}\n`,
  );
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

interface Sshd {
  proc: ChildProcess;
  port: number;
  key: string;
}

/** sshd on a free loopback port, or the reason it could not start. */
async function startSshd(dir: string): Promise<Sshd | string> {
  if (!existsSync(SSHD)) return `${SSHD} is not installed`;
  // sshd insists on its privilege-separation directory (the Debian service creates it at boot).
  try {
    await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
  } catch (e) {
    return `/run/sshd cannot be created (${(e as Error).message})`;
  }
  const keygen = (f: string) => spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', f]);
  if (keygen(join(dir, 'host_key')).status !== 0 || keygen(join(dir, 'client_key')).status !== 0) return 'ssh-keygen failed';
  await writeFile(join(dir, 'authorized_keys'), readFileSync(join(dir, 'client_key.pub')), { mode: 0o600 });
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const proc = spawn(
      SSHD,
      [
        '-D',
        '-e',
        '-f',
        '/dev/null',
        '-h',
        join(dir, 'host_key'),
        '-p',
        String(port),
        '-o',
        'ListenAddress=127.0.0.1',
        '-o',
        `AuthorizedKeysFile=${join(dir, 'authorized_keys')}`,
        '-o',
        'StrictModes=no',
        '-o',
        'PidFile=none',
        '-o',
        'UsePAM=no',
        '-o',
        'PermitRootLogin=prohibit-password',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let log = '';
    proc.stderr.setEncoding('utf8').on('data', (t: string) => (log += t));
    const ok = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 10_000);
      proc.on('exit', () => {
        clearTimeout(timer);
        resolve(false);
      });
      proc.stderr.on('data', () => {
        if (!log.includes('Server listening')) return;
        clearTimeout(timer);
        resolve(true);
      });
    });
    if (ok) return { proc, port, key: join(dir, 'client_key') };
    killQuietly(proc.pid!);
    if (!/Address already in use/.test(log)) return `sshd did not start: ${log.trim().split('\n').pop()}`;
  }
  return 'sshd found no free port';
}

describe.skipIf(!tmuxAvailable('test/e2e/ssh-drop.test.ts'))('a real SSH drop (sshd on 127.0.0.1, ssh -tt in tmux)', () => {
  let e: E2e;
  let sshd: Sshd | string;
  let n = 0;
  beforeAll(async () => {
    e = await setupE2e();
    await e.checklist('ssh.yaml', CHECKLIST);
    sshd = await startSshd(e.dir);
    if (typeof sshd === 'string') loudSkip(sshd);
  }, 60_000);
  afterAll(async () => {
    if (typeof sshd !== 'string') killQuietly(sshd.proc.pid!, 'SIGTERM');
    for (const f of ['c1', 'c2', 'k1'].map((i) => join(e.dir, `${i}.pgid`)).filter(existsSync))
      killQuietly(-Number(readFileSync(f, 'utf8')));
    await e.cleanup();
  });

  /**
   * `ssh -tt` running runsheet ARGS on the remote side in a new tmux window. The remote command
   * is a small wrapper (the session's environment is sshd's, not ours): it sets RUNSHEET_HOME and
   * the rest, runs runsheet on the session's pty (stderr to a file, to look for crashes), and
   * writes runsheet's exit status where the test can read it — it ignores the hang-up itself, so
   * it outlives the session long enough to say how runsheet ended (a negative status: killed by
   * that signal).
   */
  async function sshLaunch(args: string[]): Promise<{ pane: Pane; exitFile: string; stderrFile: string }> {
    const s = sshd as Sshd;
    const k = n++;
    const exitFile = join(e.dir, `exit.${k}`);
    const stderrFile = join(e.dir, `stderr.${k}`);
    const wrapper = join(e.dir, `remote.${k}.py`);
    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: e.dir,
      LANG: 'C.UTF-8',
      TERM: 'screen',
      RUNSHEET_HOME: e.home,
      RUNSHEET_OPERATOR: 'ssh-e2e',
      WORK: e.dir,
    };
    await writeFile(
      wrapper,
      `import os, signal, subprocess
signal.signal(signal.SIGHUP, signal.SIG_IGN)
def default_hup():
    signal.signal(signal.SIGHUP, signal.SIG_DFL)
with open(${JSON.stringify(stderrFile)}, 'wb') as err:
    rc = subprocess.call(${JSON.stringify([process.execPath, BUNDLE, ...args])}, env=${JSON.stringify(env)}, cwd=${JSON.stringify(e.dir)}, stderr=err, preexec_fn=default_hup)
with open(${JSON.stringify(exitFile)} + '.tmp', 'w') as f:
    f.write(str(rc))
os.rename(${JSON.stringify(exitFile)} + '.tmp', ${JSON.stringify(exitFile)})
`,
    );
    await chmod(wrapper, 0o644);
    const ssh = [
      'ssh',
      '-tt',
      '-i',
      s.key,
      '-p',
      String(s.port),
      '-o',
      'StrictHostKeyChecking=no',
      '-o',
      'UserKnownHostsFile=/dev/null',
      '-o',
      'BatchMode=yes',
      '-o',
      'LogLevel=ERROR',
      'root@127.0.0.1',
      `python3 ${wrapper}`,
    ];
    const name = `ssh${k}`;
    e.tmux.tmux(
      'new-window',
      '-d',
      '-t',
      e.tmux.session,
      '-n',
      name,
      '-c',
      e.dir,
      'sh',
      '-c',
      `${ssh.map(shq).join(' ')}; echo "[ssh exit $?]"; exec sleep 86400`,
    );
    return { pane: new Pane(e.tmux, `${e.tmux.session}:${name}`), exitFile, stderrFile };
  }

  /** pid of the ssh client in a pane. */
  function sshPid(pane: Pane): number {
    const shell = Number(e.tmux.tmux('display-message', '-p', '-t', pane.target, '#{pane_pid}').trim());
    const pid = descendants(shell).find((p) => argv(p)[0] === 'ssh');
    if (!pid) throw new Error(`no ssh client in ${pane.target}`);
    return pid;
  }

  async function waitFile(path: string, what: string, timeoutMs = 30_000): Promise<string> {
    const end = Date.now() + timeoutMs;
    while (!existsSync(path)) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 40));
    }
    return readFileSync(path, 'utf8');
  }

  it(
    'kill the ssh client with checks running and a question open: exit 129, all recorded; a new session resumes',
    { timeout: 120_000 },
    async (ctx) => {
      if (typeof sshd === 'string') return ctx.skip();
      const first = await sshLaunch(['run', 'ssh.yaml']);
      await listShown(first.pane, 4, 'the item list over ssh');
      first.pane.key('a');
      const runId = await (async () => {
        for (;;) {
          const ids = existsSync(join(e.home, 'runs')) ? (e.cli('runs', '--json').stdout.match(/"id":\s*"([^"]+)"/) ?? []) : [];
          if (
            ids[1] &&
            existsSync(e.eventsPath(ids[1])) &&
            (readFileSync(e.eventsPath(ids[1]), 'utf8').match(/"item\.started"/g) ?? []).length === 3
          )
            return ids[1];
          await new Promise((r) => setTimeout(r, 50));
        }
      })();
      await first.pane.press('q', (s) => s.includes('Quit and'), 'the quit question');

      process.kill(sshPid(first.pane), 'SIGKILL');
      const rc = await waitFile(first.exitFile, "runsheet's exit status on the remote side");
      const stderr = readFileSync(first.stderrFile, 'utf8');
      expect(stderr).not.toMatch(/Assertion failed|ResetStdio|internal error|^\s+at /m);
      expect(rc).toBe('129');

      const run = await readRun(e.home, runId);
      expect(checkChain(run.events)).toEqual([]);
      expect(eachStartedInterruptedOnce(run.events, ['k1'])).toEqual([]);
      expect(run.events.at(-1)).toMatchObject({ type: 'run.interrupted' });
      expect((run.events.at(-1) as { reason: string }).reason).toMatch(/^terminal lost/);
      expect(existsSync(join(run.dir, 'lock'))).toBe(false);
      const runs = JSON.parse(e.cli('runs', '--json').stdout) as { id: string; status: string }[];
      expect(runs.find((r) => r.id === runId)?.status).toBe('interrupted');

      // A new SSH session picks the run up where it was left.
      const second = await sshLaunch(['resume', runId]);
      const screen = await listShown(second.pane, 4, 'the resumed run over ssh');
      for (const title of ['Check one', 'Check two', 'Kept check']) expect(itemOnScreen(screen, title)?.status, screen).toBe('interrupted');
      second.pane.key('q');
      expect(await waitFile(second.exitFile, 'the resumed runsheet to exit')).toBe('0');
      const after = await readRun(e.home, runId);
      expect(checkChain(after.events)).toEqual([]);
      expect(after.events.slice(run.events.length).map((x) => x.type)).toEqual(['run.resumed']);
    },
  );
});

// A real PostgreSQL for the team benchmark, started the way test/support/postgres.ts starts one
// for the tests (bench/ does not import test/ code): Debian's server binaries, initdb on a temp
// directory, a free loopback port, run as the `postgres` user through runuser when we are root
// (PostgreSQL refuses root), stopped by the postmaster's PID and removed after.
// Unlike the tests' server, fsync stays on: the figure is key → *durable* ack, and a commit that
// skips the disk would flatter it.
import { spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PG_ROOT = '/usr/lib/postgresql';

function pgBin() {
  if (!existsSync(PG_ROOT)) return null;
  const versions = readdirSync(PG_ROOT)
    .filter((v) => existsSync(join(PG_ROOT, v, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(PG_ROOT, versions[0], 'bin') : null;
}

function pgIds() {
  const u = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const g = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (u.status !== 0 || g.status !== 0) return null;
  return { uid: Number(u.stdout.trim()), gid: Number(g.stdout.trim()) };
}

const isRoot = () => process.getuid?.() === 0;

/** Why a server cannot be started here, or null when it can. */
export function postgresMissing() {
  if (!pgBin()) return `PostgreSQL server binaries not found under ${PG_ROOT} (Debian package postgresql; scripts/install-test-deps.sh)`;
  if (isRoot() && !pgIds()) return 'no `postgres` system user to run the server as (PostgreSQL refuses root)';
  if (isRoot() && !existsSync('/usr/sbin/runuser') && !existsSync('/sbin/runuser'))
    return 'runuser not found (needed to start PostgreSQL as root)';
  return null;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const asPostgres = (cmd, args) => (isRoot() ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args]);

/** Starts a server; resolves to { url, port, stop() } — stop() also removes its directory. */
export async function startPostgres() {
  const bin = pgBin();
  const dir = mkdtempSync(join(tmpdir(), 'rs-bench-pg-'));
  const data = join(dir, 'data');
  if (isRoot()) {
    const ids = pgIds();
    chownSync(dir, ids.uid, ids.gid);
  }
  const [ic, ia] = asPostgres(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
  const init = spawnSync(ic, ia, { encoding: 'utf8' });
  if (init.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed: ${init.stderr.trim().split('\n').at(-1)}`);
  }
  const port = await freePort();
  const [c, a] = asPostgres(join(bin, 'postgres'), [
    '-D',
    data,
    '-k',
    dir,
    '-p',
    String(port),
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'max_connections=50',
  ]);
  const p = spawn(c, a, { stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise((r) => p.once('exit', r));
  let log = '';
  const stop = async () => {
    if (p.exitCode === null && p.signalCode === null) {
      // The postmaster itself (runuser only waits for it): SIGINT is a fast shutdown.
      let pid = 0;
      try {
        pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
      } catch {
        // not written yet: signal what we started
      }
      if (pid > 0) process.kill(pid, 'SIGINT');
      else p.kill('SIGINT');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`postgres did not start within 20 s: ${log.slice(-500)}`)), 20_000);
      const onData = (d) => {
        log += d;
        if (/ready to accept connections/.test(log)) {
          clearTimeout(timer);
          p.off('exit', onExit);
          resolve();
        }
      };
      const onExit = () => {
        clearTimeout(timer);
        reject(new Error(`postgres exited: ${log.slice(-500)}`));
      };
      p.stderr.on('data', onData);
      p.once('exit', onExit);
    });
    p.stderr.resume();
    await new Promise((resolve, reject) => {
      const s = connect(port, '127.0.0.1', () => (s.end(), resolve()));
      s.once('error', reject);
    });
  } catch (e) {
    await stop();
    throw e;
  }
  return { port, url: `postgres://postgres@127.0.0.1:${port}/postgres`, stop };
}

// A real PostgreSQL for tests: Debian's server binaries on a temp data directory and a free
// loopback port. PostgreSQL refuses to run as root (tests do), so initdb and postgres run as the
// `postgres` system user the Debian package created, through runuser. Stopped by PID (SIGINT:
// fast shutdown); the data directory survives a stop so a test can start it again.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PG_ROOT = '/usr/lib/postgresql';

function pgBin(): string | null {
  if (!existsSync(PG_ROOT)) return null;
  const versions = readdirSync(PG_ROOT)
    .filter((v) => existsSync(join(PG_ROOT, v, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(PG_ROOT, versions[0], 'bin') : null;
}

function pgUid(): { uid: number; gid: number } | null {
  const r = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const g = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (r.status !== 0 || g.status !== 0) return null;
  return { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) };
}

/** Whether real-PostgreSQL tests can run; says so loudly when they cannot. */
export function postgresAvailable(suite: string): boolean {
  const ok =
    pgBin() !== null && pgUid() !== null && (process.getuid?.() !== 0 || existsSync('/usr/sbin/runuser') || existsSync('/sbin/runuser'));
  if (!ok) {
    const bar = '!'.repeat(78);
    console.error(
      `\n${bar}\n!! SKIPPING ${suite}: PostgreSQL server binaries (Debian package postgresql) or the postgres user are missing.\n!! Install them with: scripts/install-test-deps.sh\n${bar}\n`,
    );
  }
  return ok;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function asPostgres(cmd: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
}

export interface PgServer {
  port: number;
  /** postgres://postgres@127.0.0.1:PORT/postgres (trust auth on loopback). */
  url: string;
  dir: string;
  start(): Promise<void>;
  /** Fast shutdown (SIGINT to the postmaster), waits for it to exit. */
  stop(): Promise<void>;
  /** Stops (if running) and removes the data directory. */
  destroy(): Promise<void>;
}

/** initdb on a temp directory and start the server; `destroy()` after the tests. */
export async function startPostgres(): Promise<PgServer> {
  const bin = pgBin();
  const ids = pgUid();
  if (!bin || !ids) throw new Error('PostgreSQL is not installed');
  const dir = mkdtempSync(join(tmpdir(), 'rs-pg-'));
  const data = join(dir, 'data');
  if (process.getuid?.() === 0) chownSync(dir, ids.uid, ids.gid);
  const [c, a] = asPostgres(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
  const init = spawnSync(c, a, { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);
  const port = await freePort();
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  let log = '';

  const start = async (): Promise<void> => {
    const [cmd, args] = asPostgres(join(bin, 'postgres'), [
      '-D',
      data,
      '-k',
      dir,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'fsync=off',
      '-c',
      'max_connections=50',
    ]);
    const p = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    child = p;
    exited = new Promise((r) => p.once('exit', () => r()));
    // Ready when the server logs that it accepts connections; its exit or a deadline ends the wait.
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`postgres did not start: ${log}`)), 20_000);
      const done = (err?: Error) => {
        clearTimeout(timer);
        p.stderr.off('data', onData);
        p.off('exit', onExit);
        if (err) reject(err);
        else resolve();
      };
      const onData = (d: Buffer) => {
        log += d.toString();
        if (/ready to accept connections/.test(log)) done();
      };
      const onExit = () => done(new Error(`postgres exited: ${log}`));
      p.stderr.on('data', onData);
      p.once('exit', onExit);
    });
    p.stderr.resume();
    await new Promise<void>((resolve, reject) => {
      const s = connect(port, '127.0.0.1', () => {
        s.end();
        resolve();
      });
      s.once('error', reject);
    });
    log = '';
  };
  const stop = async (): Promise<void> => {
    const p = child;
    if (!p || p.exitCode !== null) return;
    // Signal the postmaster itself (its PID from postmaster.pid), not runuser: SIGINT is a fast
    // shutdown that ends every backend; runuser exits when it does.
    const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    if (pid > 0) process.kill(pid, 'SIGINT');
    else p.kill('SIGINT');
    await exited;
    child = null;
  };
  await start();
  return {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    dir,
    start,
    stop,
    destroy: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

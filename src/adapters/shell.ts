// Runs one command in its own process group. Never rejects: every failure (cannot spawn, timeout,
// cancel, non-zero exit) becomes an outcome. Output streams to log files on disk (redacted,
// hashed) and only a bounded tail stays in memory, so a command printing gigabytes is harmless.
import { createWriteStream, existsSync, type WriteStream } from 'node:fs';
import { createHash, type Hash } from 'node:crypto';
import { StringDecoder } from 'node:string_decoder';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import { execa } from 'execa';
import type { CommandOutcome } from '../core/expect.js';
import type { OutputDigest } from '../core/events.js';
import { StreamRedactor } from '../core/redact.js';
import { ByteTail } from './byte-tail.js';
import { openNoFollowSync } from './safe-open.js';
import { relayOutput, type Relay } from './output-relay.js';
import { keepStatusPrefix, keptIdentity } from './kept-process.js';
import type { KeptProcess } from '../core/events.js';

export interface ShellRequest {
  command: string;
  shell?: string;
  /** Under bash, run with `-o pipefail` (a failing stage fails the pipeline); default true. */
  pipefail?: boolean;
  cwd?: string;
  env: Record<string, string | undefined>;
  timeoutMs: number | null;
  /** Path prefix for the logs: PREFIX.stdout.log and PREFIX.stderr.log. */
  logPrefix: string;
  secrets: readonly string[];
  onOutput?: (text: string, stream: 'stdout' | 'stderr') => void;
  graceMs?: number;
  /** on_disconnect: keep — the shell writes how the command ended here (bash only; see kept-process.ts). */
  statusFile?: string;
}

export interface ShellOutcome extends CommandOutcome {
  durationMs: number;
  pid?: number;
  stdoutDigest: OutputDigest;
  stderrDigest: OutputDigest;
  /** Left running (abandon()): how to find it again. */
  kept?: KeptProcess;
}

export interface RunningCommand {
  pid?: number;
  done: Promise<ShellOutcome>;
  /** Operator cancel (Ctrl-C) or disconnect with on_disconnect: stop — SIGTERM, then SIGKILL. */
  stop(): void;
  /** Disconnect with on_disconnect: keep — leave the process running, stop waiting for it. */
  abandon(): void;
}

// What `expect` can match against; documented: patterns see the last 1 MiB of each stream.
const MATCH_WINDOW = 1024 * 1024;
const DIGEST_TAIL = 4096;

export function defaultShell(): string {
  for (const p of ['/bin/bash', '/usr/bin/bash']) if (existsSync(p)) return p;
  return '/bin/sh';
}

/**
 * `-o pipefail` for bash: `curl … | jq .status` must fail when curl does. Other shells are left
 * as they are (dash has no pipefail; a pipeline's status is its last command's there).
 */
export function shellOptions(shell: string, pipefail: boolean): string[] {
  return pipefail && /^bash$/.test(shell.split('/').pop() ?? '') ? ['-o', 'pipefail'] : [];
}

class StreamSink {
  readonly tail = new ByteTail(MATCH_WINDOW);
  private readonly hash: Hash = createHash('sha256');
  private readonly decoder = new StringDecoder('utf8');
  private readonly redactor: StreamRedactor;
  private readonly file: WriteStream;
  bytes = 0;
  constructor(
    readonly path: string,
    secrets: readonly string[],
    private readonly emit: (t: string) => void,
  ) {
    this.redactor = new StreamRedactor(secrets);
    // O_NOFOLLOW, opened now: a symlink planted at the log's name fails the item's start (it is
    // never followed to overwrite its target), instead of a silent, ignored stream error.
    this.file = createWriteStream(path, { fd: openNoFollowSync(path, 'w') });
    this.file.on('error', () => {}); // a full disk must not crash the run; the digest still says what we saw
  }
  private onData: ((chunk: Buffer) => void) | null = null;
  attach(stream: Readable | null | undefined): Promise<void> {
    if (!stream) return Promise.resolve();
    return new Promise((resolve) => {
      this.onData = (chunk: Buffer) => {
        this.write(this.redactor.push(this.decoder.write(chunk)));
        // Backpressure: let the disk catch up before reading more of a flood.
        if (this.file.writableNeedDrain) {
          stream.pause();
          this.file.once('drain', () => {
            if (this.onData) stream.resume();
          });
        }
      };
      stream.on('data', this.onData);
      stream.on('end', resolve);
      stream.on('error', () => resolve());
      stream.on('close', resolve);
    });
  }
  /**
   * Stops reading `stream` (another reader takes it over): what it already buffered is written,
   * and the raw text held back for redaction is returned for the next reader to continue from.
   */
  detach(stream: Readable | null | undefined): string {
    if (!stream || !this.onData) return '';
    stream.off('data', this.onData);
    this.onData = null;
    stream.pause();
    for (let chunk = stream.read() as Buffer | null; chunk !== null; chunk = stream.read() as Buffer | null) {
      this.write(this.redactor.push(this.decoder.write(chunk)));
    }
    return this.redactor.takePending();
  }
  private write(text: string): void {
    if (!text) return;
    const buf = Buffer.from(text, 'utf8');
    this.bytes += buf.length;
    this.hash.update(buf);
    this.tail.push(buf);
    this.file.write(buf);
    this.emit(text);
  }
  async finish(): Promise<OutputDigest> {
    this.write(this.redactor.push(this.decoder.end()));
    this.write(this.redactor.flush());
    await new Promise<void>((r) => this.file.end(r));
    const t = this.tail.text();
    return { bytes: this.bytes, sha256: this.hash.digest('hex'), tail: t.slice(-DIGEST_TAIL), log: basename(this.path) };
  }
}

export function startCommand(req: ShellRequest): RunningCommand {
  const started = Date.now();
  const grace = req.graceMs ?? 5000;
  const out = new StreamSink(`${req.logPrefix}.stdout.log`, req.secrets, (t) => req.onOutput?.(t, 'stdout'));
  let err: StreamSink;
  try {
    err = new StreamSink(`${req.logPrefix}.stderr.log`, req.secrets, (t) => req.onOutput?.(t, 'stderr'));
  } catch (e) {
    void out.finish();
    throw e;
  }
  // Set from timers and handles while `done` awaits: fields, so each read sees the latest value.
  const flags = { timedOut: false, cancelled: false, abandoned: false };
  let killTimer: NodeJS.Timeout | undefined;
  let relay = null as Relay | null; // set by abandon()
  let relayPending: string[] = [];
  let resolveAbandon: () => void = () => {};
  const abandonedP = new Promise<void>((r) => (resolveAbandon = r));

  const shell = req.shell ?? defaultShell();
  // A kept command outlives runsheet, so nobody is left to wait for it: its shell notes its end.
  const statusFile = req.statusFile && basename(shell) === 'bash' ? req.statusFile : undefined;
  const command = statusFile ? keepStatusPrefix(statusFile) + req.command : req.command;
  let kept: KeptProcess | undefined;
  const child = execa(shell, [...shellOptions(shell, req.pipefail ?? true), '-c', command], {
    cwd: req.cwd,
    env: req.env,
    extendEnv: false,
    detached: true, // own process group, so stop() reaches the whole pipeline
    cleanup: false,
    reject: false,
    buffer: false,
    stdin: 'ignore',
    stripFinalNewline: false,
  });
  const pid = child.pid;
  const signalGroup = (sig: NodeJS.Signals) => {
    if (!pid) return;
    try {
      process.kill(-pid, sig);
    } catch {
      try {
        child.kill(sig);
      } catch {
        // already gone
      }
    }
  };
  const stop = () => {
    if (killTimer || flags.abandoned) return;
    signalGroup('SIGTERM');
    killTimer = setTimeout(() => signalGroup('SIGKILL'), grace);
    killTimer.unref();
  };
  const timer =
    req.timeoutMs !== null
      ? setTimeout(() => {
          flags.timedOut = true;
          stop();
        }, req.timeoutMs)
      : undefined;

  const streams = Promise.all([out.attach(child.stdout), err.attach(child.stderr)]);
  const done = (async (): Promise<ShellOutcome> => {
    const result = await Promise.race([child.then((r) => r), abandonedP.then(() => null)]);
    if (timer) clearTimeout(timer);
    if (killTimer) clearTimeout(killTimer);
    if (result) await Promise.race([streams, new Promise((r) => setTimeout(r, 2000).unref())]);
    const [stdoutDigest, stderrDigest] = await Promise.all([out.finish(), err.finish()]);
    // Our writes to the logs are complete: the relay may append from here on.
    await relay?.start(relayPending);
    const spawnError =
      result && result.failed && result.exitCode === undefined && !result.signal && !flags.timedOut && !flags.cancelled
        ? // execa's cause is the spawn error itself; "Error: spawn … ENOENT" names what failed.
          (result.cause instanceof Error ? result.cause.toString() : (result.shortMessage ?? 'spawn failed')).split('\n')[0]
        : undefined;
    return {
      exitCode: result?.exitCode ?? null,
      signal: result?.signal ?? null,
      timedOut: flags.timedOut,
      cancelled: flags.cancelled && !flags.timedOut,
      stdout: out.tail.text(),
      stderr: err.tail.text(),
      timeoutMs: req.timeoutMs,
      spawnError,
      durationMs: Date.now() - started,
      pid,
      stdoutDigest,
      stderrDigest,
      ...(kept ? { kept } : {}),
    };
  })();
  return {
    pid,
    done,
    stop: () => {
      flags.cancelled = true;
      stop();
    },
    abandon: () => {
      flags.abandoned = true;
      kept = keptIdentity(pid, statusFile && basename(statusFile));
      // Hand the pipes to a detached relay so the command can keep writing after we exit
      // (a closed pipe would kill it with SIGPIPE); its further output keeps going to the logs.
      const pending = [out.detach(child.stdout), err.detach(child.stderr)];
      const piped = [
        { stream: child.stdout, log: out.path },
        { stream: child.stderr, log: err.path },
      ].filter((x) => !x.stream.destroyed);
      relay = piped.length === 2 ? relayOutput(piped, req.secrets) : null;
      relayPending = pending;
      child.stdout.destroy();
      child.stderr.destroy();
      child.unref();
      resolveAbandon();
    },
  };
}

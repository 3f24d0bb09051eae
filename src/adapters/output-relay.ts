// on_disconnect: keep. When runsheet exits, the command's stdout/stderr pipes lose their reader,
// and the command's next write kills it with SIGPIPE — "keep" would keep nothing. So when a run
// is left, the pipes are handed to a small detached node process (`runsheet __relay`,
// src/adapters/relay-main.ts) that goes on reading them, redacting secrets and appending to the
// same log files until the command closes them.
import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { RelayConfig } from './relay-main.js';
import { bundleFile } from './bundle-loader.js';

export interface RelayStream {
  stream: Readable;
  log: string;
}

/**
 * The bundle that runs the relay (`runsheet __relay`, src/adapters/relay-main.ts): this very
 * bundle, named by its loader; from the sources (tests), the one `npm run build` made.
 */
function relayBundle(): string {
  return bundleFile() ?? fileURLToPath(new URL('../../dist/runsheet.mjs', import.meta.url));
}

export interface Relay {
  /**
   * Starts the relay once this process has written everything it read (logs are appended).
   * Resolves when the relay has its configuration, so exiting right after loses nothing.
   */
  start(pending: string[]): Promise<void>;
}

/**
 * Spawns the relay holding duplicates of the streams' pipe descriptors; the caller may then
 * destroy its own ends. Returns null when the streams cannot be handed over (already closed).
 */
export function relayOutput(streams: RelayStream[], secrets: readonly string[]): Relay | null {
  try {
    const child = spawn(process.execPath, [relayBundle(), '__relay'], {
      detached: true, // own session: the terminal's SIGHUP does not reach it
      stdio: ['pipe', 'ignore', 'ignore', ...streams.map((s) => s.stream)],
    });
    child.on('error', () => {});
    child.stdin?.on('error', () => {});
    child.unref();
    return {
      start(pending) {
        const config: RelayConfig = { secrets: [...secrets], streams: streams.map((s, i) => ({ log: s.log, pending: pending[i] ?? '' })) };
        const stdin = child.stdin;
        if (!stdin) return Promise.resolve();
        return new Promise<void>((resolve) => {
          // A relay that died cannot hold us up.
          const timer = setTimeout(resolve, 2000);
          timer.unref();
          stdin.end(JSON.stringify(config), () => {
            clearTimeout(timer);
            resolve();
          });
        });
      },
    };
  } catch {
    return null;
  }
}

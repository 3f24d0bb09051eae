// on_disconnect: keep. When runsheet exits, the command's stdout/stderr pipes lose their reader,
// and the command's next write kills it with SIGPIPE — "keep" would keep nothing. So when a run
// is left, the pipes are handed to a small detached node process that goes on reading them,
// redacting secrets and appending to the same log files until the command closes them.
import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';

export interface RelayStream {
  stream: Readable;
  log: string;
}

// CommonJS for `node -e`. Config (secrets, held-back text) arrives on stdin, never in argv or the
// environment where `ps` would show it. Same redaction as StreamRedactor and safeCut (core/redact).
const RELAY = `
const fs = require('fs');
const { StringDecoder } = require('string_decoder');
let cfg = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d) => (cfg += d));
process.stdin.on('end', () => {
  let c;
  try { c = JSON.parse(cfg); } catch { process.exit(0); }
  const S = c.secrets;
  const red = (t) => { for (const s of S) if (t.includes(s)) t = t.split(s).join('***'); return t; };
  const safeCut = (t) => {
    let best = 0;
    for (const s of S) for (let k = Math.min(s.length - 1, t.length); k > best; k--) if (t.endsWith(s.slice(0, k))) { best = k; break; }
    let cut = t.length - best;
    for (let moved = true; moved; ) {
      moved = false;
      for (const s of S) for (let i = t.indexOf(s, Math.max(0, cut - s.length + 1)); i !== -1 && i < cut; i = t.indexOf(s, i + 1)) if (i + s.length > cut) { cut = i; moved = true; break; }
    }
    return cut;
  };
  c.streams.forEach((st, i) => {
    const out = fs.createWriteStream(st.log, { flags: 'a', mode: 0o600 });
    out.on('error', () => {});
    const dec = new StringDecoder('utf8');
    let pending = st.pending;
    const push = (chunk) => {
      const raw = pending + chunk;
      const cut = safeCut(raw);
      pending = raw.slice(cut);
      if (cut) out.write(red(raw.slice(0, cut)));
    };
    // The pipes are non-blocking (libuv set O_NONBLOCK on the shared description): read them as sockets.
    const r = new (require('net').Socket)({ fd: 3 + i, readable: true, writable: false });
    let ended = false;
    const end = () => { if (ended) return; ended = true; push(dec.end()); out.end(red(pending)); };
    r.on('data', (b) => push(dec.write(b)));
    r.on('end', end);
    r.on('error', end);
  });
});
`;

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
    const child = spawn(process.execPath, ['-e', RELAY], {
      detached: true, // own session: the terminal's SIGHUP does not reach it
      stdio: ['pipe', 'ignore', 'ignore', ...streams.map((s) => s.stream as unknown as NodeJS.ReadableStream & { fd?: number })] as never,
    });
    child.on('error', () => {});
    child.stdin?.on('error', () => {});
    child.unref();
    return {
      start(pending) {
        const config = JSON.stringify({ secrets, streams: streams.map((s, i) => ({ log: s.log, pending: pending[i] ?? '' })) });
        return new Promise<void>((resolve) => {
          if (!child.stdin) return resolve();
          // A relay that died cannot hold us up.
          const timer = setTimeout(resolve, 2000);
          timer.unref();
          child.stdin.end(config, () => {
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

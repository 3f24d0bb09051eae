// The relay behind on_disconnect: keep (src/adapters/output-relay.ts), run as the hidden
// `runsheet __relay` command in a detached process: it reads the command's stdout/stderr pipes
// (fds 3, 4, …) until the command closes them, redacting secrets with the same StreamRedactor the
// run used, and appends to the same log files. Its configuration (secrets, held-back text)
// arrives on stdin, never in argv or the environment where `ps` would show it.
import { createWriteStream } from 'node:fs';
import { noFollowFs } from './safe-open.js';
import { Socket } from 'node:net';
import { StringDecoder } from 'node:string_decoder';
import { StreamRedactor } from '../core/redact.js';

export interface RelayConfig {
  secrets: string[];
  /** Per stream, in fd order from 3: its log file and the raw text the run held back. */
  streams: { log: string; pending: string }[];
}

export async function relayMain(stdin: NodeJS.ReadableStream = process.stdin): Promise<number> {
  let text = '';
  stdin.setEncoding('utf8');
  for await (const chunk of stdin) text += chunk as string;
  // Read loosely: the sender is another runsheet version or one that died mid-hand-over.
  let cfg: { secrets?: string[]; streams?: { log: string; pending?: string }[] };
  try {
    cfg = JSON.parse(text) as typeof cfg;
  } catch {
    return 0; // the run died before handing over: nothing to keep
  }
  if (!Array.isArray(cfg.streams) || !Array.isArray(cfg.secrets)) return 0;
  const secrets = cfg.secrets;
  await Promise.all(cfg.streams.map((s, i) => relayStream(3 + i, s.log, s.pending ?? '', secrets)));
  return 0;
}

function relayStream(fd: number, log: string, pending: string, secrets: readonly string[]): Promise<void> {
  return new Promise((resolve) => {
    const out = createWriteStream(log, { flags: 'a', mode: 0o600, fs: noFollowFs('a') });
    out.on('error', () => {});
    const decoder = new StringDecoder('utf8');
    const redactor = new StreamRedactor(secrets);
    const write = (t: string) => t && out.write(t);
    write(redactor.push(pending));
    // The pipes are non-blocking (libuv set O_NONBLOCK on the shared description): read them as sockets.
    const r = new Socket({ fd, readable: true, writable: false });
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      out.end(redactor.push(decoder.end()) + redactor.flush(), () => resolve());
    };
    r.on('data', (b: Buffer) => write(redactor.push(decoder.write(b))));
    r.on('end', end);
    r.on('error', end);
  });
}

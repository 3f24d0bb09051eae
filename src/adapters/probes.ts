// Capture a snapshot: every probe sampled concurrently, sample i of every probe due at
// start + i·interval, median as the value. Never rejects: a probe that cannot be read records
// error samples (and so no data), a cancelled capture returns what it had with `cancelled: true`.
import { execa } from 'execa';
import type { Metric } from '../core/model.js';
import { SNAPSHOT_SCHEMA, probeSnapshot, type Sample, type Snapshot } from '../core/metrics/snapshot.js';
import { errorMessage } from '../core/errors.js';
import { redact, secretValues } from '../core/redact.js';
import { ProbeError, getText, parseJsonBody, queryPrometheus, safeUrl } from './prometheus.js';

export interface CaptureProgress {
  probe: string;
  taken: number;
  total: number;
}

export interface CaptureOptions {
  label: string;
  runId?: string;
  checklist: string;
  environment: string | null;
  samples: number;
  intervalMs: number;
  signal?: AbortSignal;
  onProgress?: (p: CaptureProgress) => void;
  /** Ask the operator for a manual probe's value; undefined = skipped. */
  askManual?: (m: Metric) => Promise<number | undefined>;
  /** Extra environment for command probes (checklist vars); process env is inherited. */
  env?: Record<string, string>;
  /** Names of env vars whose values must never appear in errors (the checklist's `secrets`). */
  secretNames?: string[];
  /** Per-sample timeout; default 10 s. */
  timeoutMs?: number;
  /** Clock, for tests. */
  now?: () => Date;
}

interface ReadContext {
  time: Date;
  signal?: AbortSignal;
  env?: Record<string, string>;
  timeoutMs: number;
}

/** Read one value from a non-manual probe. Throws ProbeError (or a plain Error for bugs). */
export async function readProbe(m: Metric, ctx: ReadContext): Promise<number> {
  const s = m.source;
  switch (s.kind) {
    case 'prometheus':
      return queryPrometheus({ probe: m.id, url: s.url, query: s.query, time: ctx.time, timeoutMs: ctx.timeoutMs, signal: ctx.signal });
    case 'http':
      return readHttp(m.id, s.url, s.json, ctx);
    case 'command':
      return readCommand(m.id, s.command, ctx);
    case 'manual':
      throw new ProbeError(`probe ${m.id}: manual probes are read by asking the operator`);
  }
}

/** Walk a dotted path ("errors.rate_5m", "items.0.value") through parsed JSON. */
export function jsonPath(doc: unknown, path: string): { found: true; value: unknown } | { found: false; at: string } {
  let cur: unknown = doc;
  const seen: string[] = [];
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || !Object.prototype.hasOwnProperty.call(cur, key)) {
      return { found: false, at: seen.join('.') || '(top level)' };
    }
    cur = (cur as Record<string, unknown>)[key];
    seen.push(key);
  }
  return { found: true, value: cur };
}

async function readHttp(probe: string, url: string, path: string, ctx: ReadContext): Promise<number> {
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol))
    throw new ProbeError(`probe ${probe}: invalid http url "${url.slice(0, 80)}"`);
  const res = await getText(url, probe, { timeoutMs: ctx.timeoutMs, signal: ctx.signal });
  if (res.status < 200 || res.status > 299) throw new ProbeError(`probe ${probe}: ${safeUrl(url)} answered HTTP ${res.status}`);
  const doc = parseJsonBody(probe, url, res);
  const hit = jsonPath(doc, path);
  if (!hit.found) throw new ProbeError(`probe ${probe}: the response has no "${path}" (nothing past ${hit.at})`);
  const v = hit.value;
  if (v === null) throw new ProbeError(`probe ${probe}: no data ("${path}" is null)`, { nodata: true });
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (typeof v !== 'number' && typeof v !== 'string')
    throw new ProbeError(`probe ${probe}: "${path}" is ${Array.isArray(v) ? 'an array' : typeof v}, not a number`);
  if (!Number.isFinite(n)) {
    if (typeof v === 'string' && !/^\s*[-+]?(nan|inf(inity)?)\s*$/i.test(v))
      throw new ProbeError(`probe ${probe}: "${path}" is "${v.slice(0, 40)}", not a number`);
    throw new ProbeError(`probe ${probe}: no data ("${path}" is ${String(v)})`, { nodata: true });
  }
  return n;
}

const NUMBER = /[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?/;

/** execa leaves stdout/stderr undefined when the shell could not be started at all (its types say string). */
const captured = (text: string | undefined): string => text ?? '';

async function readCommand(probe: string, command: string, ctx: ReadContext): Promise<number> {
  const r = await execa(command, {
    shell: true,
    env: ctx.env,
    timeout: ctx.timeoutMs,
    cancelSignal: ctx.signal,
    reject: false,
    stdin: 'ignore',
    forceKillAfterDelay: 2000,
  });
  if (r.isCanceled) throw new ProbeError(`probe ${probe}: cancelled`);
  if (r.timedOut) throw new ProbeError(`probe ${probe}: command did not finish within ${ctx.timeoutMs / 1000}s`);
  if (r.exitCode !== 0) {
    const tail = captured(r.stderr).trim().split('\n').slice(-1)[0]?.slice(0, 200) ?? '';
    const how = r.exitCode === undefined ? `was killed by ${r.signal ?? 'a signal'}` : `exited ${r.exitCode}`;
    throw new ProbeError(`probe ${probe}: command ${how}${tail ? `: ${tail}` : ''}`);
  }
  const m = NUMBER.exec(captured(r.stdout));
  if (!m) throw new ProbeError(`probe ${probe}: no number on the command's stdout`, { nodata: true });
  return Number(m[0]);
}

function redactor(opts: CaptureOptions): (text: string) => string {
  const values = secretValues([process.env, opts.env ?? {}], opts.secretNames ?? []);
  return (text) => redact(text, values);
}

function sleepUntil(when: number, now: () => number, signal?: AbortSignal): Promise<void> {
  const ms = when - now();
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

export async function captureSnapshot(metrics: Metric[], opts: CaptureOptions): Promise<Snapshot> {
  const clock = opts.now ?? (() => new Date());
  const nowMs = (): number => clock().getTime();
  const started = clock();
  const t0 = started.getTime();
  const redact = redactor(opts);
  const samplesPerProbe = Math.max(1, Math.floor(opts.samples));
  const timeoutMs = opts.timeoutMs ?? 10_000;

  const captureOne = async (m: Metric): Promise<Sample[]> => {
    const out: Sample[] = [];
    const total = m.source.kind === 'manual' ? 1 : samplesPerProbe;
    opts.onProgress?.({ probe: m.id, taken: 0, total });
    for (let i = 0; i < total; i++) {
      await sleepUntil(t0 + i * opts.intervalMs, nowMs, opts.signal);
      if (opts.signal?.aborted) break;
      // Query time = the slot time, so sample i of every Prometheus probe reads the same instant.
      const at = new Date(t0 + i * opts.intervalMs);
      const t = clock().toISOString();
      try {
        const value =
          m.source.kind === 'manual'
            ? await askManual(m, opts)
            : await readProbe(m, { time: at, signal: opts.signal, env: opts.env, timeoutMs });
        if (opts.signal?.aborted) break;
        out.push({ t, value });
      } catch (e) {
        if (opts.signal?.aborted) break;
        const sample: Sample = { t, error: redact(errorMessage(e)) };
        if (e instanceof ProbeError && e.nodata) sample.nodata = true;
        out.push(sample);
      }
      opts.onProgress?.({ probe: m.id, taken: i + 1, total });
    }
    return out;
  };

  const all = await Promise.all(
    metrics.map((m) => captureOne(m).catch((e: unknown): Sample[] => [{ t: clock().toISOString(), error: redact(errorMessage(e)) }])),
  );
  const snap: Snapshot = {
    schema: SNAPSHOT_SCHEMA,
    label: opts.label,
    run_id: opts.runId ?? null,
    checklist: opts.checklist,
    environment: opts.environment,
    taken_at: started.toISOString(),
    probes: metrics.map((m, i) => probeSnapshot(m, all[i])),
  };
  if (opts.signal?.aborted) snap.cancelled = true;
  return snap;
}

async function askManual(m: Metric, opts: CaptureOptions): Promise<number> {
  if (!opts.askManual) throw new ProbeError(`probe ${m.id}: manual probe, no operator to ask (enter it during a run)`, { nodata: true });
  const v = await opts.askManual(m);
  if (v === undefined) throw new ProbeError(`probe ${m.id}: no value entered`, { nodata: true });
  if (!Number.isFinite(v)) throw new ProbeError(`probe ${m.id}: "${v}" is not a number`);
  return v;
}

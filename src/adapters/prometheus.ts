// Prometheus instant queries for metric probes. One number or a clear reason there is none:
// an empty result, NaN or ±Inf is "no data" (never 0), a multi-series answer is a config error.
import { loadUndici } from './http.js';

/** A probe reading that did not produce a number. `nodata` = the source answered but had no value. */
export class ProbeError extends Error {
  readonly nodata: boolean;
  constructor(message: string, opts: { nodata?: boolean } = {}) {
    super(message);
    this.name = 'ProbeError';
    this.nodata = opts.nodata ?? false;
  }
}

/** URL for messages: no userinfo, no query string (either may carry a token). */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(invalid url)';
  }
}

export interface GetOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

/** GET a URL and read the body as text. Throws ProbeError on network failure, timeout or cancel. */
export async function getText(
  url: string,
  probe: string,
  opts: GetOptions,
): Promise<{ status: number; contentType: string; text: string }> {
  const { request } = await loadUndici();
  const timeout = AbortSignal.timeout(opts.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  try {
    const res = await request(url, { method: 'GET', signal, headers: { accept: 'application/json', ...opts.headers } });
    const text = await res.body.text();
    const ct = res.headers['content-type'];
    return { status: res.statusCode, contentType: (Array.isArray(ct) ? ct[0] : ct) ?? '', text };
  } catch (e) {
    if (opts.signal?.aborted) throw new ProbeError(`probe ${probe}: cancelled`);
    if (timeout.aborted) throw new ProbeError(`probe ${probe}: ${safeUrl(url)} did not answer within ${opts.timeoutMs / 1000}s`);
    const cause = e instanceof Error ? ((e as { code?: string }).code ?? e.message) : String(e);
    throw new ProbeError(`probe ${probe}: cannot reach ${safeUrl(url)} (${cause})`);
  }
}

/** Parse JSON or explain what came back instead (HTML from a proxy or login page, usually). */
export function parseJsonBody(probe: string, url: string, r: { status: number; contentType: string; text: string }): unknown {
  try {
    return JSON.parse(r.text);
  } catch {
    const kind = /html/i.test(r.contentType) || /^\s*</.test(r.text) ? 'an HTML page' : `non-JSON (${r.contentType || 'no content-type'})`;
    const excerpt = r.text
      .replace(/<[^>]*>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 80);
    return fail(
      `probe ${probe}: ${safeUrl(url)} returned ${kind}, not JSON (HTTP ${r.status}${excerpt ? `: "${excerpt}"` : ''}); ` +
        'check the url points at the service itself, not a proxy or login page',
    );
  }
}

function fail(message: string, nodata = false): never {
  throw new ProbeError(message, { nodata });
}

/** A sample value string from Prometheus ("123.4", "NaN", "+Inf", "-Inf"): NaN and ±Inf are no data. */
function promNumber(probe: string, raw: unknown): number {
  if (typeof raw === 'string' && /^[+-]?inf$/i.test(raw.trim())) {
    return fail(`probe ${probe}: no data (query returned ${raw.trim().startsWith('-') ? '-Inf' : '+Inf'})`, true);
  }
  const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  if (Number.isNaN(n))
    return fail(`probe ${probe}: no data (query returned ${typeof raw === 'string' && raw.trim() ? raw.trim() : 'no value'})`, true);
  if (!Number.isFinite(n)) return fail(`probe ${probe}: no data (query returned ${n > 0 ? '+Inf' : '-Inf'})`, true);
  return n;
}

export interface PromQuery {
  probe: string;
  url: string;
  query: string;
  /** Evaluation time; explicit so every probe's sample i is taken at the same instant. */
  time: Date;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export function queryUrl(base: string, query: string, time: Date): string {
  const u = new URL('api/v1/query', base.endsWith('/') ? base : base + '/');
  u.searchParams.set('query', query);
  u.searchParams.set('time', (time.getTime() / 1000).toFixed(3));
  return u.toString();
}

/** Run an instant query; resolves to the single number or throws ProbeError. */
export async function queryPrometheus(q: PromQuery): Promise<number> {
  let url: string;
  try {
    url = queryUrl(q.url, q.query, q.time);
  } catch {
    return fail(`probe ${q.probe}: invalid Prometheus url "${q.url}"`);
  }
  const res = await getText(url, q.probe, { timeoutMs: q.timeoutMs ?? 10_000, signal: q.signal });
  const body = parseJsonBody(q.probe, url, res) as {
    status?: string;
    errorType?: string;
    error?: string;
    data?: { resultType?: string; result?: unknown };
  } | null;
  if (!body || typeof body !== 'object' || typeof body.status !== 'string') {
    return fail(`probe ${q.probe}: ${safeUrl(url)} answered JSON that is not a Prometheus API response (HTTP ${res.status})`);
  }
  if (body.status === 'error') {
    return fail(`probe ${q.probe}: Prometheus rejected the query (${body.errorType ?? 'error'}): ${body.error ?? 'no message'}`);
  }
  const data = body.data ?? {};
  switch (data.resultType) {
    case 'scalar':
      return promNumber(q.probe, Array.isArray(data.result) ? data.result[1] : undefined);
    case 'vector': {
      const result = Array.isArray(data.result) ? (data.result as { metric?: Record<string, string>; value?: unknown[] }[]) : [];
      if (result.length === 0) return fail(`probe ${q.probe}: no data (query returned an empty result)`, true);
      if (result.length > 1) {
        const shown = result
          .slice(0, 3)
          .map((r) => labels(r.metric))
          .join(', ');
        return fail(
          `probe ${q.probe}: query returned ${result.length} series (${shown}${result.length > 3 ? ', …' : ''}); ` +
            'a probe needs one number: wrap the query in sum() (or pick one series with a label matcher)',
        );
      }
      return promNumber(q.probe, result[0].value?.[1]);
    }
    case 'matrix':
      return fail(`probe ${q.probe}: query returned a range vector; use an instant query, e.g. rate(metric[5m]) rather than metric[5m]`);
    default:
      return fail(`probe ${q.probe}: query returned a ${data.resultType ?? 'missing'} result; expected a vector or scalar`);
  }
}

function labels(metric: Record<string, string> | undefined): string {
  const entries = Object.entries(metric ?? {});
  return `{${entries.map(([k, v]) => `${k}="${v}"`).join(',')}}`;
}

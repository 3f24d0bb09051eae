// HTTP checks over undici, with retries. Never rejects: refused connections, DNS failures and
// timeouts are results the operator can read.
import type { HttpSpec } from '../core/model.js';
import type { ItemResult } from '../core/events.js';
import { judgeHttp } from '../core/http-expect.js';
import { redact } from '../core/redact.js';
import { errorMessage } from '../core/errors.js';

export interface HttpCheckRequest {
  spec: HttpSpec;
  retries: number;
  retryDelayMs: number;
  timeoutMs: number | null;
  secrets: readonly string[];
  signal?: AbortSignal;
  onAttempt?: (attempt: number, summary: string) => void;
}

const MAX_BODY = 1024 * 1024;

// undici is loaded by the first request, not at start-up: initialising it cost 20-35 ms of every
// TUI start whether the checklist had HTTP checks or not (docs/performance.md).
export const loadUndici = () => import('undici');

async function once(
  spec: HttpSpec,
  timeoutMs: number | null,
  signal?: AbortSignal,
): Promise<{ status?: number; body: string; latencyMs: number; error?: string }> {
  const { request } = await loadUndici();
  const t0 = performance.now();
  try {
    const res = await request(spec.url, {
      method: spec.method,
      headers: spec.headers,
      body: spec.body,
      signal,
      headersTimeout: timeoutMs ?? undefined,
      bodyTimeout: timeoutMs ?? undefined,
      maxRedirections: undefined,
    } as Parameters<typeof request>[1]);
    let body = '';
    const chunks: AsyncIterable<Buffer> = res.body;
    for await (const chunk of chunks) {
      if (body.length < MAX_BODY) body += chunk.toString();
    }
    return { status: res.statusCode, body: body.slice(0, MAX_BODY), latencyMs: Math.round(performance.now() - t0) };
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause;
    const code = (e as { code?: string }).code ?? cause?.code;
    const msg =
      code === 'ECONNREFUSED'
        ? 'connection refused'
        : code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT'
          ? 'timed out'
          : code === 'ENOTFOUND'
            ? 'host not found'
            : errorMessage(e);
    return { body: '', latencyMs: Math.round(performance.now() - t0), error: msg };
  }
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
  });

export async function httpCheck(req: HttpCheckRequest): Promise<ItemResult> {
  const started = performance.now();
  let last = { ok: false, summary: 'not attempted' };
  let lastRes: Awaited<ReturnType<typeof once>> = { body: '', latencyMs: 0 };
  let attempts = 0;
  for (let i = 0; i <= req.retries; i++) {
    if (req.signal?.aborted) break;
    attempts++;
    lastRes = await once(req.spec, req.timeoutMs, req.signal);
    // once() gives a status exactly when a response came back, and an error otherwise.
    last =
      lastRes.status === undefined
        ? { ok: false, summary: `${req.spec.method} failed: ${lastRes.error ?? 'no response'}` }
        : judgeHttp(req.spec, lastRes.status, lastRes.body, lastRes.latencyMs);
    req.onAttempt?.(attempts, last.summary);
    if (last.ok) break;
    if (i < req.retries) await sleep(req.retryDelayMs, req.signal);
  }
  const cancelled = req.signal?.aborted && !last.ok;
  return {
    ok: last.ok,
    summary: redact(
      cancelled ? 'stopped by the operator' : `${last.summary}${attempts > 1 ? ` (attempt ${attempts} of ${req.retries + 1})` : ''}`,
      req.secrets,
    ),
    durationMs: Math.round(performance.now() - started),
    http: { status: lastRes.status, latencyMs: lastRes.latencyMs, bodyExcerpt: redact(lastRes.body.slice(0, 512), req.secrets), attempts },
  };
}

// Shared setup for tests against a real Prometheus + Pushgateway (scripts/prometheus-test-env.mjs).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { prometheusInstalled } from '../../scripts/prometheus-test-env.mjs';

export { pushMetrics, startPrometheusEnv, type PrometheusEnv } from '../../scripts/prometheus-test-env.mjs';

/** Whether real-Prometheus tests can run; says so loudly when they cannot. */
export function prometheusAvailable(suite: string): boolean {
  const ok = prometheusInstalled();
  if (!ok) {
    const bar = '!'.repeat(78);
    console.error(
      `\n${bar}\n!! SKIPPING ${suite}: prometheus / prometheus-pushgateway are not installed.\n` +
        `!! Install them with: node scripts/prometheus-test-env.mjs --install\n${bar}\n`,
    );
  }
  return ok;
}

/** Poll until an instant query at "now" returns `expected` (a string as Prometheus prints it, or 'empty'). */
export async function waitForQuery(promUrl: string, query: string, expected: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(query)}`);
    const body = (await res.json()) as { data?: { result?: { value: [number, string] }[] } };
    const result = body.data?.result ?? [];
    last = result.length ? result.map((r) => r.value[1]).join(',') : 'empty';
    if (last === expected) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Prometheus never returned ${expected} for ${query} (last: ${last})`);
}

/** A 127.0.0.1 HTTP server on a free port. */
export async function startHttp(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ url: string; server: Server; close: () => Promise<void> }> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

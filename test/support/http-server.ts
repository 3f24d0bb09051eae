// A real HTTP server on 127.0.0.1 for checks: routes map a path to [status, body, delayMs].
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Route = (url: URL) => { status: number; body: string; delayMs?: number };

export async function startServer(
  routes: Partial<Record<string, Route>>,
): Promise<{ url: string; hits: Record<string, number>; close: () => Promise<void> }> {
  const hits: Record<string, number> = {};
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    hits[url.pathname] = (hits[url.pathname] ?? 0) + 1;
    const route = routes[url.pathname];
    const r = route ? route(url) : { status: 404, body: 'not found' };
    setTimeout(() => {
      res.writeHead(r.status, { 'content-type': r.body.startsWith('{') ? 'application/json' : 'text/plain' });
      res.end(r.body);
    }, r.delayMs ?? 0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, hits, close: () => new Promise((r) => server.close(() => r())) };
}

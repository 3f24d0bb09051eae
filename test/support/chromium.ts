// Real headless Chromium over the DevTools protocol, for tests that must see a page the way a
// person's browser does: console errors, network requests, layout overflow, a screenshot and a
// printed PDF. The browser runs with a throwaway profile, its DevTools port picked by the OS
// (read from its "DevTools listening on ws://…" line), and is stopped by PID afterwards.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'undici';

export const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) => existsSync(p)) ?? null;

interface Pending {
  resolve: (v: Record<string, unknown>) => void;
  reject: (e: Error) => void;
}

export interface CdpEvent {
  method: string;
  params: Record<string, unknown>;
  sessionId?: string;
}

export class Browser {
  private nextId = 1;
  private pending = new Map<number, Pending>();
  readonly events: CdpEvent[] = [];
  private waiters: { test: (e: CdpEvent) => boolean; resolve: (e: CdpEvent) => void }[] = [];

  private constructor(
    private proc: ChildProcess,
    private ws: WebSocket,
    private profile: string,
  ) {
    ws.addEventListener('message', (m) => {
      const msg = JSON.parse(String(m.data)) as {
        id?: number;
        result?: Record<string, unknown>;
        error?: { message: string };
        method?: string;
        params?: Record<string, unknown>;
        sessionId?: string;
      };
      if (msg.id !== undefined) {
        const p = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        if (msg.error) p?.reject(new Error(msg.error.message));
        else p?.resolve(msg.result ?? {});
        return;
      }
      const e: CdpEvent = { method: msg.method!, params: msg.params ?? {}, sessionId: msg.sessionId };
      this.events.push(e);
      this.waiters = this.waiters.filter((w) => (w.test(e) ? (w.resolve(e), false) : true));
    });
  }

  static async launch(): Promise<Browser> {
    if (!CHROMIUM) throw new Error('no chromium');
    const profile = await mkdtemp(join(tmpdir(), 'rs-chromium-'));
    const proc = spawn(
      CHROMIUM,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--hide-scrollbars',
        `--user-data-dir=${profile}`,
        '--remote-debugging-port=0',
        '--remote-debugging-address=127.0.0.1',
        'about:blank',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    const url = await new Promise<string>((resolve, reject) => {
      let err = '';
      proc.stderr.on('data', (d: Buffer) => {
        err += d.toString();
        const m = /DevTools listening on (ws:\/\/\S+)/.exec(err);
        if (m) resolve(m[1]);
      });
      proc.once('exit', (code) => reject(new Error(`chromium exited (${code}) before listening: ${err.slice(-2000)}`)));
    });
    const ws = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      ws.addEventListener('open', () => resolve());
      ws.addEventListener('error', () => reject(new Error(`cannot connect to ${url}`)));
    });
    return new Browser(proc, ws, profile);
  }

  send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    this.ws.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
    return new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
  }

  /** The first event (already seen or still to come) that passes `test`. */
  waitFor(test: (e: CdpEvent) => boolean): Promise<CdpEvent> {
    const seen = this.events.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }

  async close(): Promise<void> {
    try {
      this.ws.close();
    } catch {
      // already closed
    }
    if (this.proc.exitCode === null && this.proc.signalCode === null) {
      const exited = new Promise((r) => this.proc.once('exit', r));
      this.proc.kill('SIGTERM');
      await exited;
    }
    await rm(this.profile, { recursive: true, force: true });
  }
}

export interface PageReport {
  consoleErrors: string[];
  /** URLs the page asked for besides itself (data: URLs aside): any is a failure for a self-contained page. */
  requests: string[];
  scrollWidth: number;
  innerWidth: number;
  /** Evaluated in the page after load. */
  probe: unknown;
  png: Buffer;
  pdf: Buffer;
}

/** Opens `url` at `width` CSS px, evaluates `probe`, screenshots the full page and prints it. */
export async function inspectPage(b: Browser, url: string, width: number, probe: string): Promise<PageReport> {
  const { targetId } = (await b.send('Target.createTarget', { url: 'about:blank' })) as { targetId: string };
  const { sessionId } = (await b.send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string };
  const s = (m: string, p: Record<string, unknown> = {}) => b.send(m, p, sessionId);
  await s('Page.enable');
  await s('Runtime.enable');
  await s('Log.enable');
  await s('Network.enable');
  await s('Emulation.setDeviceMetricsOverride', { width, height: 900, deviceScaleFactor: 1, mobile: false });
  const loaded = b.waitFor((e) => e.sessionId === sessionId && e.method === 'Page.loadEventFired');
  await s('Page.navigate', { url });
  await loaded;
  const mine = b.events.filter((e) => e.sessionId === sessionId);
  const consoleErrors = [
    ...mine
      .filter((e) => e.method === 'Runtime.consoleAPICalled' && (e.params.type === 'error' || e.params.type === 'assert'))
      .map((e) => JSON.stringify(e.params.args)),
    ...mine.filter((e) => e.method === 'Runtime.exceptionThrown').map((e) => JSON.stringify(e.params.exceptionDetails)),
    ...mine
      .filter((e) => e.method === 'Log.entryAdded' && (e.params.entry as { level: string }).level === 'error')
      .map((e) => (e.params.entry as { text: string }).text),
  ];
  const requests = mine
    .filter((e) => e.method === 'Network.requestWillBeSent')
    .map((e) => (e.params.request as { url: string }).url)
    .filter((u) => u !== url && !u.startsWith('data:'));
  const evalJs = async (expression: string): Promise<unknown> =>
    ((await s('Runtime.evaluate', { expression, returnByValue: true })) as { result: { value: unknown } }).result.value;
  const scrollWidth = Number(await evalJs('document.documentElement.scrollWidth'));
  const innerWidth = Number(await evalJs('window.innerWidth'));
  const result = await evalJs(probe);
  const metrics = (await s('Page.getLayoutMetrics')) as { cssContentSize: { width: number; height: number } };
  const shot = (await s('Page.captureScreenshot', {
    format: 'png',
    captureBeyondViewport: true,
    clip: { x: 0, y: 0, width, height: Math.ceil(metrics.cssContentSize.height), scale: 1 },
  })) as { data: string };
  const pdf = (await s('Page.printToPDF', { printBackground: true, preferCSSPageSize: true })) as { data: string };
  await b.send('Target.closeTarget', { targetId });
  return {
    consoleErrors,
    requests,
    scrollWidth,
    innerWidth,
    probe: result,
    png: Buffer.from(shot.data, 'base64'),
    pdf: Buffer.from(pdf.data, 'base64'),
  };
}

/** Width and height from a PNG's IHDR. */
export function pngSize(png: Buffer): { width: number; height: number } {
  if (png.subarray(0, 8).toString('hex') !== '89504e470d0a1a0a') throw new Error('not a PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** Page count of a PDF Chromium printed (its page objects, uncompressed in the object table). */
export function pdfPages(pdf: Buffer): number {
  const text = pdf.toString('latin1');
  return (text.match(/\/Type\s*\/Page[^s]/g) ?? []).length;
}

// Hearing the database instead of polling it: one connection of its own per open run, LISTENing on
// the channels the schema's triggers notify (pg-schema.ts, version 2). A notification only says
// "something changed"; the run then reads what did (the events after its last one, the sessions),
// so a missed or duplicated notification costs nothing. The connection is made on first use and
// made again (with a growing pause) whenever it breaks; after every (re)connection `onConnect`
// runs, so what happened while nobody listened is caught up on.
import type { Client, Notification } from 'pg';
import type { PgDb } from './pg-db.js';

type Handler = (payload: string) => void;

export class PgListener {
  private client: Client | null = null;
  private connecting: Promise<void> | null = null;
  private readonly handlers = new Map<string, Set<Handler>>();
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private pauseMs: number;
  private closed = false;

  constructor(
    private readonly db: PgDb,
    private readonly onConnect: () => void,
    private readonly opts: { retryMs: number },
  ) {
    this.pauseMs = opts.retryMs;
  }

  /** Calls `fn` with each notification's payload on `channel`; returns the unsubscribe. */
  on(channel: string, fn: Handler): () => void {
    let set = this.handlers.get(channel);
    const fresh = !set;
    if (!set) this.handlers.set(channel, (set = new Set()));
    set.add(fn);
    if (fresh && this.client) void this.client.query(`LISTEN ${channel}`).catch(() => {});
    this.ensure();
    return () => {
      set.delete(fn);
    };
  }

  get listening(): boolean {
    return this.client !== null;
  }

  private ensure(): void {
    if (this.closed || this.client || this.connecting || this.retryTimer) return;
    this.connecting = this.connect().finally(() => (this.connecting = null));
  }

  private async connect(): Promise<void> {
    let c: Client | null = null;
    try {
      c = await this.db.listenClient();
      c.on('notification', (n: Notification) => {
        for (const fn of this.handlers.get(n.channel) ?? []) fn(n.payload ?? '');
      });
      const broken = () => {
        if (this.client !== c) return;
        this.client = null;
        void c?.end().catch(() => {});
        this.later();
      };
      c.on('error', broken);
      c.on('end', broken);
      const heard = new Set<string>();
      // A channel subscribed while this ran is listened to as well (until none is left out).
      for (let left = [...this.handlers.keys()]; left.length; left = [...this.handlers.keys()].filter((x) => !heard.has(x))) {
        for (const channel of left) {
          await c.query(`LISTEN ${channel}`);
          heard.add(channel);
        }
      }
      if (this.closed) {
        await c.end().catch(() => {});
        return;
      }
      this.client = c;
      this.pauseMs = this.opts.retryMs;
      this.onConnect();
    } catch {
      await c?.end().catch(() => {});
      this.later();
    }
  }

  private later(): void {
    if (this.closed || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.ensure();
    }, this.pauseMs);
    this.retryTimer.unref();
    this.pauseMs = Math.min(this.pauseMs * 2, 5_000);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.connecting?.catch(() => {});
    const c = this.client;
    this.client = null;
    await c?.end().catch(() => {});
  }
}

// A team run (several operators' sessions on one run in the database store), as this session
// lives in it: other sessions' events are folded in and redrawn as they are announced (LISTEN/
// NOTIFY, no polling), items whose holder vanished are recorded as interrupted once their lease
// has run out, and the screen is told who is in the run and whether the store can be reached.
import { hostname, userInfo } from 'node:os';
import type { RunEngine } from '../core/engine.js';
import type { RunEvent } from '../core/events.js';
import type { OpenRun, Session as Member } from '../adapters/store-types.js';
import type { TeamFeed, TeamMember } from '../ui/team-types.js';

/** How often a session looks for lapsed claims besides when someone leaves (a lease is 10 s). */
const SWEEP_MS = 5_000;

export interface Team {
  feed: TeamFeed;
  stop(): void;
}

const member = (m: Member): TeamMember => ({ name: m.name, user: m.user, host: m.host, pid: m.pid });

export function joinTeam(store: OpenRun, engine: RunEngine, operator: string, onError: (message: string) => void): Team {
  const listeners = new Set<(events: readonly RunEvent[]) => void>();
  const offEvents = store.subscribe((events) => {
    engine.showAppended(events);
    for (const l of listeners) l(events);
  });
  let sweeping = false;
  // A holder that vanished: its item is recorded interrupted (once, whoever gets there first),
  // and then resolved like any interrupted action; it is never re-run on its own.
  const sweep = () => {
    if (sweeping) return;
    sweeping = true;
    store
      .recordExpiredClaims()
      .then((events) => engine.showAppended(events))
      .catch((e: unknown) => onError(`could not check for vanished sessions: ${e instanceof Error ? e.message : String(e)}`))
      .finally(() => (sweeping = false));
  };
  sweep();
  const timer = setInterval(sweep, SWEEP_MS);
  timer.unref();
  const offSweep = store.onPresence(() => sweep());
  const feed: TeamFeed = {
    self: { name: operator, user: userInfo().username, host: hostname(), pid: process.pid },
    onPresence: (cb) => {
      store
        .presence()
        .then((all) => cb(all.map(member)))
        .catch(() => {});
      return store.onPresence((all) => cb(all.map(member)));
    },
    onOthers: (cb) => {
      listeners.add(cb);
      return () => {
        listeners.delete(cb);
      };
    },
    onStoreStatus: (cb) => {
      cb(store.storeStatus());
      return store.onStoreStatus(cb);
    },
  };
  return {
    feed,
    stop: () => {
      clearInterval(timer);
      offSweep();
      offEvents();
    },
  };
}

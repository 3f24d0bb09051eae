// What a team store tells the screen (presence, reachability), in a file of its own: the screen's
// store, its props and the line that draws them all use these shapes.
import type { RunEvent } from '../core/events.js';

export interface TeamMember {
  name: string;
  user: string;
  host: string;
  pid?: number;
}

export interface TeamStoreStatus {
  reachable: boolean;
  cause?: string;
  spooled: number;
}

/** What a team store tells the screen, as it changes (each returns its unsubscribe). */
export interface TeamFeed {
  /** This session, to tell it apart in the presence line. */
  self: TeamMember;
  onPresence(cb: (sessions: TeamMember[]) => void): () => void;
  onStoreStatus(cb: (status: TeamStoreStatus) => void): () => void;
  /** Other sessions' events, as they arrive (already folded into the run's state). */
  onOthers(cb: (events: readonly RunEvent[]) => void): () => void;
}

export interface TeamView {
  sessions: TeamMember[];
  status: TeamStoreStatus;
}

// Who a session is, as every event it appends records it (`by`): the operator's name, the OS user
// and the host. Read once per open run, not per event: userInfo() reads the passwd database.
import { hostname, userInfo } from 'node:os';
import type { EventBy } from '../core/events.js';

export function eventBy(name: string): EventBy {
  let user: string;
  try {
    user = userInfo().username;
  } catch {
    // A uid with no passwd entry (containers): the number is still who it was.
    user = String(process.getuid?.() ?? 'unknown');
  }
  return { name, user, host: hostname() };
}

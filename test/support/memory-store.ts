// In-memory Persistence for component tests and dry previews. Same chain and fold as the disk
// store, no durability.
import { makeEvent, type EventBody, type RunEvent } from '../../src/core/events.js';
import { applyEvent, initialState, type RunState } from '../../src/core/state.js';
import type { Persistence } from '../../src/core/engine.js';

export class MemoryStore implements Persistence {
  readonly state: RunState = initialState();
  readonly events: RunEvent[] = [];
  readOnly = false;
  constructor(
    private readonly operator = 'tester',
    private readonly host = 'localhost',
    private readonly now: () => Date = () => new Date(),
  ) {}
  append(body: EventBody): Promise<RunEvent> {
    // Nothing to wait for; a throw in here still rejects, as the disk store's would.
    return new Promise((resolve) => {
      const e = makeEvent(this.events[this.events.length - 1], body, {
        ts: this.now().toISOString(),
        operator: this.operator,
        host: this.host,
      });
      this.events.push(e);
      applyEvent(this.state, e);
      resolve(e);
    });
  }
}

// The seam between the run engine and the outside world: the engine asks an Executor to carry
// out an item and gets back a handle. Adapters implement it with execa/undici/Prometheus; tests
// can give a real one on temp dirs or a scripted one.
import type { Item } from './model.js';
import type { EventBody, ItemResult, KeptProcess } from './events.js';
import type { KeptStatus } from './kept.js';

export interface RunHooks {
  onOutput: (text: string, stream: 'stdout' | 'stderr') => void;
  /** Short progress text (retry n of m, samples 2/3, …). */
  onProgress?: (text: string) => void;
  /** Manual metric values: a front end prompts; headless answers from --answers. */
  askNumber?: (prompt: string, unit?: string, metricId?: string) => Promise<number | undefined>;
  /** Record an event mid-item (snapshot taken, a watch comparison), durably. */
  emit?: (body: EventBody) => Promise<unknown>;
  /** The run's recorded snapshots, by label (for compare baselines). */
  snapshotFile?: (label: string) => string | undefined;
}

export interface ItemHandle {
  /** Never rejects. */
  done: Promise<ItemResult>;
  /** Stop now (operator cancel, or disconnect with on_disconnect: stop). */
  stop(): void;
  /** Stop waiting but leave the process running (on_disconnect: keep). */
  abandon(): void;
}

export interface Executor {
  start(item: Item, attempt: number, hooks: RunHooks): ItemHandle;
  /** A command left running earlier (attempt `attempt` of `item`): still running, or how it ended. */
  keptStatus?(item: Item, attempt: number, kept: KeptProcess): KeptStatus;
}

/** A handle for work that is already finished (pure checks such as require_env). */
export function settled(result: ItemResult): ItemHandle {
  return { done: Promise.resolve(result), stop() {}, abandon() {} };
}

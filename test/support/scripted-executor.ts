// An executor whose results the test decides; `pending` items wait until released (or stopped).
import type { Executor, ItemHandle } from '../../src/core/executor.js';
import type { ItemResult } from '../../src/core/events.js';

export function scriptedExecutor(results: Record<string, ItemResult>, pending = new Set<string>()) {
  const release = new Map<string, (r: ItemResult) => void>();
  const stopped: string[] = [];
  const started: string[] = [];
  const exec: Executor = {
    start(item): ItemHandle {
      started.push(item.id);
      const r = results[item.id] ?? { ok: true, summary: 'exit 0', durationMs: 1 };
      if (!pending.has(item.id)) return { done: Promise.resolve(r), stop() {}, abandon() {} };
      const done = new Promise<ItemResult>((res) => release.set(item.id, res));
      return {
        done,
        stop: () => (stopped.push(item.id), release.get(item.id)!({ ok: false, summary: 'stopped', durationMs: 1 })),
        abandon: () => release.get(item.id)!({ ok: false, summary: 'left running', durationMs: 1 }),
      };
    },
  };
  return { exec, release, stopped, started };
}

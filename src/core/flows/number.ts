// A manual metric probe asks for a number mid-run (executor hook askNumber): through the Ask port,
// so the TUI shows a dialog and headless takes it from --answers (metric id → {record: N}).
import type { RunHooks } from '../executor.js';
import type { Ask } from './ask.js';

export function askNumberWith(ask: Ask): NonNullable<RunHooks['askNumber']> {
  return async (prompt, unit, metricId) => {
    const num = (t: string) => Number(t.trim().replace(/,/g, ''));
    const v = await ask.text(
      { q: 'number', ...(metricId ? { metric: metricId } : {}) },
      unit && !prompt.includes(`(${unit})`) ? `${prompt} (${unit})` : prompt,
      { validate: (t) => (t.trim() && Number.isFinite(num(t)) ? null : 'type a number') },
    );
    return v === null ? undefined : num(v);
  };
}

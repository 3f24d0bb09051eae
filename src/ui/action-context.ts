// What a UI flow works with (engine, the asker, the status line): its own file so the flows
// (actions.ts, resolve.ts) share it without importing each other.
import type { RunEngine } from '../core/engine.js';
import type { Asker } from './dialogs.js';

export type Tone = 'info' | 'ok' | 'error';

export interface ActionContext {
  engine: RunEngine;
  ask: Asker;
  status: (message: string, tone?: Tone) => void;
  jobs: number;
  operator: string;
  /** Secret values, masked wherever the screen shows a command. */
  secrets: readonly string[];
}

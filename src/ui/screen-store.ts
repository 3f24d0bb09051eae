// The one place the run screen learns of change: a zustand store holding what the screen shows
// (phase, cursors, filter, overlay, status line, open dialog) beside the run's fold and live
// output as the engine last published them. Keys change it synchronously through the controller
// (controller.ts); the engine's events reach it through follow(); components subscribe to the
// slices they draw with selectors, so nothing is passed down to make a component redraw.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { EngineView, LiveOutput, RunEngine, RunFold } from '../core/engine.js';
import type { OpenDialog } from './dialogs.js';
import type { PagerState } from './pager.js';
import type { Status } from './screen-model.js';
import type { TeamView } from './team-types.js';

export interface ScreenState {
  phaseIdx: number;
  /** The cursor of each phase (an item index in its rows as filtered). */
  cursors: Readonly<Record<number, number>>;
  filter: string;
  /** Help, info, reference or output pager, replacing the list and the detail pane. */
  overlay: PagerState | null;
  status: Status;
  dialog: OpenDialog | null;
  /** A new object on every durable event: select it to redraw from the run's state. */
  fold: RunFold;
  /** Live output by item; an entry is replaced (throttled by the engine) as its output grows. */
  live: Readonly<Record<string, LiveOutput>>;
  /** Why the last append failed, or why following the run stopped. */
  error?: string;
  /** A team run (database store): who is in it, and whether the store can be reached. */
  team?: TeamView;
}

export type ScreenStore = StoreApi<ScreenState>;

/** What a dialog view reads: the screen's store, or a start-up question's own. */
export type DialogStore = Pick<StoreApi<{ dialog: OpenDialog | null }>, 'getState' | 'getInitialState' | 'subscribe'>;

type EngineSlice = Pick<ScreenState, 'fold' | 'live' | 'error'>;

const engineSlice = (v: EngineView): EngineSlice => ({ fold: v.fold, live: v.live, error: v.error });

export function createScreenStore(engine: RunEngine, init: Pick<ScreenState, 'phaseIdx' | 'cursors' | 'status'>): ScreenStore {
  return createStore<ScreenState>(() => ({
    ...init,
    filter: '',
    overlay: null,
    dialog: null,
    ...engineSlice(engine.view.getState()),
  }));
}

/**
 * Mirrors the engine's view (fold, live output, save error) into the screen's store, from now
 * until the returned function is called. Catches up first: events appended before the screen
 * subscribed are shown too.
 */
export function follow(store: ScreenStore, engine: RunEngine): () => void {
  const copy = (v: EngineView) => {
    const s = store.getState();
    if (s.fold !== v.fold || s.live !== v.live || s.error !== v.error) store.setState(engineSlice(v));
  };
  copy(engine.view.getState());
  return engine.view.subscribe(copy);
}

// The shapes the screen controller shares with the command switch (commands.ts): its props, the
// status line, the view it draws from, and the part of the controller a command may use. In a
// file of their own so commands.ts depends on this contract, not on the controller that imports it.
import type { Item, Phase, Section } from '../core/model.js';
import type { ItemState } from '../core/state.js';
import type { RunEngine } from '../core/engine.js';
import type { FlowContext, Tone } from '../core/flows/context.js';
import type { Row } from './rows.js';
import type { PagerState } from './pager.js';
import type { Dialogs } from './dialogs.js';
import type { TeamFeed } from './team-types.js';

export interface ControllerProps {
  engine: RunEngine;
  runId: string;
  operator: string;
  jobs: number;
  readOnly: boolean;
  env: string | null;
  /** The run's directory (events.jsonl, logs/), for the `i` overlay. */
  runDir?: string;
  warnings: string[];
  secrets: readonly string[];
  readFullOutput: (itemId: string) => Promise<string>;
  /** A team run: presence and the store's reachability, as they change. */
  team?: TeamFeed;
  onExit: (how: 'done' | 'quit') => void;
}

export interface Status {
  message: string;
  tone: Tone;
  /** Drawn after the message and never cut: where to read the rest when the message is cut. */
  more?: string;
}

/** Everything the screen needs to draw the list and the detail pane. */
export interface View {
  phases: Phase[];
  phaseIdx: number;
  phase: Phase;
  rows: Row[];
  items: Item[];
  cursor: number;
  cursorRow: number;
  item?: Item;
  st?: ItemState;
  section?: Section;
}

/** What a command (commands.ts) may read and change on the screen controller. */
export interface CommandHost {
  readonly p: ControllerProps;
  readonly ctx: FlowContext;
  /** The dialogs' own asker, for the screen's questions that are not the run's (the filter). */
  readonly dialogs: Dialogs;
  readonly phases: Phase[];
  /** The screen's state is changed through the setters below, never assigned. */
  readonly phaseIdx: number;
  readonly filter: string;
  readonly overlayWidth: number;
  view(): View;
  setCursor(v: View, to: number): void;
  setPhase(idx: number): void;
  setFilter(filter: string): void;
  setOverlay(o: PagerState | null): void;
  flow(f: () => Promise<unknown>): void;
}

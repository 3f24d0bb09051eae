// What each key does to the run screen. What the screen shows (phase, cursor, filter, overlay,
// status line, open dialog) lives in its store (screen-store.ts), not in React state: keys that
// arrive several to a read must each see the effect of the one before (see dialogs.ts), so every
// key is applied here synchronously, reading and writing the store, and the components only
// subscribe to what they draw.
import type { Key } from 'ink';
import type { Item, Phase } from '../core/model.js';
import { isDone } from '../core/state.js';
import { itemState } from '../core/policy.js';
import { Command, commandFor, splitKeys } from './keys.js';
import { createDialogs, isTextKey, type Dialogs } from './dialogs.js';
import { pagerKey, type PagerState } from './pager.js';
import { phaseRows, rowOfItem, type Row } from './rows.js';
import { runCommand } from './commands.js';
import { stop } from '../core/flows/finish.js';
import type { FlowContext } from '../core/flows/context.js';
import { errorMessage } from '../core/errors.js';
import { dialogAsk } from './ask.js';
import type { CommandHost, ControllerProps, Status, View } from './screen-model.js';
import { createScreenStore, follow, type ScreenState, type ScreenStore } from './screen-store.js';

export type { ControllerProps, Status, View } from './screen-model.js';

function initialStatus(p: ControllerProps): Status {
  // Every warning, in full when the line has room; when it has not, the line says where all of
  // them are (the `i` overlay, wrapped) instead of ending in a cut.
  const more = `(i: ${p.warnings.length > 1 ? `all ${p.warnings.length} warnings` : 'the warning'} in full)`;
  if (p.readOnly)
    return {
      message: `READ-ONLY: ${p.warnings.join(' · ') || 'this run is open in another process'}`,
      tone: 'error',
      ...(p.warnings.length ? { more } : {}),
    };
  if (p.warnings.length) return { message: `warning: ${p.warnings.join(' · ')}`, tone: 'error', more };
  return { message: 'ready · ? for help', tone: 'info' };
}

export class ScreenController implements CommandHost {
  readonly phases: Phase[];
  readonly store: ScreenStore;
  readonly dialogs: Dialogs;
  readonly ctx: FlowContext;
  /** Size of the overlay area, for paging and wrapping: the screen sets it as it draws (layout, not state). */
  overlayHeight = 10;
  overlayWidth = 79;
  /** A question was just answered: drop keys typed ahead of what comes next (see key()). */
  private settling = false;
  private readonly rowCache = new Map<string, { rows: Row[]; items: Item[] }>();
  private last: { from: ScreenState; view: View } | null = null;

  constructor(readonly p: ControllerProps) {
    const c = p.engine.checklist;
    this.phases = c.rollback ? [...c.phases, c.rollback] : c.phases;
    const from = p.engine.state.track === 'rollback' && c.rollback ? this.phases.length - 1 : 0;
    this.store = createScreenStore(p.engine, { ...this.startWhereWorkIs(from), status: initialStatus(p) });
    this.dialogs = createDialogs({ get: () => this.store.getState().dialog, set: (dialog) => this.store.setState({ dialog }) });
    this.ctx = {
      engine: p.engine,
      ask: dialogAsk(this.dialogs.ask),
      jobs: p.jobs,
      operator: p.operator,
      secrets: p.secrets,
      drafts: new Map(),
      tell: (message, tone = 'info') => this.setStatus({ message, tone }),
    };
  }

  /** On resume: the first phase with work left, cursor on its first item not done. */
  private startWhereWorkIs(from: number): Pick<ScreenState, 'phaseIdx' | 'cursors'> {
    const { state } = this.p.engine;
    const open = (it: Item) => !isDone(itemState(state, it).status);
    // The rollback track only when it is the one being worked.
    const end = state.track === 'rollback' ? this.phases.length : this.p.engine.checklist.phases.length;
    for (let i = from; i < end; i++) {
      const items = this.phases[i].sections.flatMap((s) => s.items);
      const at = items.findIndex(open);
      if (at >= 0) return { phaseIdx: i, cursors: { [i]: at } };
    }
    return { phaseIdx: from, cursors: {} };
  }

  /** Mirrors the engine's events into the store until the returned function is called (the screen mounts it). */
  follow(): () => void {
    return follow(this.store, this.p.engine);
  }

  get phaseIdx(): number {
    return this.store.getState().phaseIdx;
  }
  get filter(): string {
    return this.store.getState().filter;
  }
  get overlay(): PagerState | null {
    return this.store.getState().overlay;
  }

  setStatus(status: Status): void {
    this.store.setState({ status });
  }

  /** What the list and detail pane draw, as of the store's state now. */
  view(): View {
    return this.viewOf(this.store.getState());
  }

  /**
   * The view for a state of the store: the same object until the phase, filter, a cursor or the
   * fold changes, so components may select it (`useStore(store, c.viewOf)`).
   */
  readonly viewOf = (s: ScreenState): View => {
    const l = this.last;
    if (l && l.from.phaseIdx === s.phaseIdx && l.from.filter === s.filter && l.from.cursors === s.cursors && l.from.fold === s.fold)
      return l.view;
    const phase = this.phases[s.phaseIdx];
    const key = `${s.phaseIdx}\0${s.filter}`;
    let r = this.rowCache.get(key);
    if (!r) this.rowCache.set(key, (r = phaseRows(phase, s.filter)));
    const cursor = Math.min(s.cursors[s.phaseIdx] ?? 0, Math.max(0, r.items.length - 1));
    const item = r.items[cursor];
    const view: View = {
      phases: this.phases,
      phaseIdx: s.phaseIdx,
      phase,
      rows: r.rows,
      items: r.items,
      cursor,
      cursorRow: item ? rowOfItem(r.rows, cursor) : 0,
      item,
      st: item ? itemState(s.fold.state, item) : undefined,
      section: item ? phase.sections.find((x) => x.items.includes(item)) : undefined,
    };
    this.last = { from: s, view };
    return view;
  };

  /**
   * Every key goes through here, in the order it was typed. Ink may hand over several keys at
   * once; each is applied to the state the previous one left, so a key that opens a question
   * sends the rest of a typed-ahead line into it, and Enter answers it. Once a question is
   * answered, keys already typed are dropped until the flow has moved on: they were typed before
   * the operator could see what comes next (the next question, or a command not meant yet). A
   * pasted block with line breaks goes into a text field whole, the breaks as spaces; none of it
   * ever runs as commands.
   */
  key(input: string, key: Key): void {
    const keys = splitKeys(input, key);
    for (let i = 0; i < keys.length; i++) {
      let k = keys[i];
      // Ctrl-C stops the running command whatever is open; it never quits.
      if (k.key.ctrl && k.input === 'c') {
        stop(this.ctx, this.view().item?.id);
        continue;
      }
      if (this.settling) return;
      const d = this.dialogs.current();
      if (d?.spec.kind === 'text' && keys.length > 1) {
        // Typed-ahead or pasted text goes into the field as one block, its line breaks as spaces
        // (the field is one line); a break with nothing after it in the same read is Enter.
        let j = i;
        for (;;) {
          while (j < keys.length && isTextKey(keys[j].key)) j++;
          let after = j;
          while (after < keys.length && keys[after].key.return) after++;
          if (after === j || after >= keys.length || !isTextKey(keys[after].key) || j === i) break;
          j = after;
        }
        if (j > i) {
          // One space for each run of breaks (a CRLF, or a blank line, is one break).
          const block = keys.slice(i, j);
          k = { input: block.map((x, n) => (!x.key.return ? x.input : block[n - 1]?.key.return ? '' : ' ')).join(''), key: keys[i].key };
          i = j - 1;
        }
      }
      this.one(k.input, k.key);
      // Answered (closed, or replaced by the next question): not merely changed by the key.
      if (d && this.dialogs.current()?.id !== d.id) this.settle();
    }
  }

  /**
   * Drops keys until the flow has moved on from the question just answered: until it shows
   * something (the next question, a status), which the operator may then answer, or else until
   * the event loop turns.
   */
  private settle(): void {
    if (this.settling) return;
    this.settling = true;
    const done = () => {
      this.settling = false;
      unsubscribe();
      clearImmediate(turn);
    };
    const unsubscribe = this.store.subscribe(done);
    const turn = setImmediate(done);
  }

  private one(input: string, key: Key): void {
    if (this.dialogs.current()) {
      this.dialogs.key(input, key);
      return;
    }
    const { overlay } = this;
    if (overlay) {
      const next = pagerKey(overlay, this.overlayHeight, input, key);
      this.setOverlay(next === 'close' ? null : next);
      return;
    }
    const cmd = commandFor(input, key);
    if (cmd) this.command(cmd);
  }

  /** Puts the cursor of the current phase on item `to` (clamped). */
  setCursor(v: View, to: number): void {
    this.store.setState((s) => ({ cursors: { ...s.cursors, [s.phaseIdx]: Math.max(0, Math.min(v.items.length - 1, to)) } }));
  }

  setPhase(idx: number): void {
    this.store.setState({ phaseIdx: Math.max(0, Math.min(this.phases.length - 1, idx)) });
  }

  setFilter(filter: string): void {
    this.store.setState((s) => ({ filter, cursors: { ...s.cursors, [s.phaseIdx]: 0 } }));
  }

  setOverlay(overlay: PagerState | null): void {
    this.store.setState({ overlay });
  }

  /** Starts a flow in the background: keys keep working while it waits on questions or commands. */
  flow(f: () => Promise<unknown>): void {
    // Refusals (UserError) and failed writes end up in the status line; nothing here throws into React.
    f().catch((err: unknown) => this.ctx.tell(errorMessage(err), 'error'));
  }

  command(cmd: Command): void {
    runCommand(this, cmd);
  }
}

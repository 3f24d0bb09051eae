// What the run screen is showing (phase, cursor, filter, overlay, status line) and what each key
// does to it. A plain object rather than React state: keys that arrive several to a read must
// each see the effect of the one before (see dialogs.ts), so every key is applied here
// synchronously and the screen only draws the result.
import type { Key } from 'ink';
import type { RunEngine } from '../core/engine.js';
import type { Item, Phase, Section } from '../core/model.js';
import { isDone, type ItemState } from '../core/state.js';
import { itemState } from '../core/policy.js';
import { redact } from '../core/redact.js';
import { Command, commandFor, splitKeys } from './keys.js';
import { createDialogs, dialogKey, type Dialogs } from './dialogs.js';
import { pagerKey, type PagerState } from './pager.js';
import { phaseRows, rowOfItem, type Row } from './rows.js';
import { quitFlow, stopFlow } from './quit.js';
import { helpLines } from './help-lines.js';
import { sanitize } from './text.js';
import { comparisonLines } from './detail-lines.js';
import type { ComparisonRow } from '../core/metrics/compare.js';
import * as A from './actions.js';

export interface ControllerProps {
  engine: RunEngine;
  runId: string;
  operator: string;
  jobs: number;
  readOnly: boolean;
  warnings: string[];
  secrets: readonly string[];
  readFullOutput: (itemId: string) => Promise<string>;
  onExit: (how: 'done' | 'quit') => void;
}

export interface Status {
  message: string;
  tone: A.Tone;
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

const MUTATING = new Set([Command.Act, Command.Toggle, Command.Skip, Command.Note, Command.Rerun, Command.RunChecks, Command.Accept, Command.Signoff, Command.Rollback]);
const NEEDS_ITEM = new Set([Command.Act, Command.Toggle, Command.Skip, Command.Note, Command.Rerun, Command.Accept, Command.Pager, Command.RunChecks]);

function initialStatus(p: ControllerProps): Status {
  if (p.readOnly) return { message: `READ-ONLY: ${p.warnings[0] ?? 'this run is open in another process'}`, tone: 'error' };
  if (p.warnings.length) return { message: `warning: ${p.warnings[0]}${p.warnings.length > 1 ? ` (+${p.warnings.length - 1} more: ?)` : ''}`, tone: 'error' };
  return { message: 'ready · ? for help', tone: 'info' };
}

export class ScreenController {
  readonly phases: Phase[];
  phaseIdx: number;
  filter = '';
  overlay: PagerState | null = null;
  status: Status;
  readonly dialogs: Dialogs;
  readonly ctx: A.ActionContext;
  /** Height of the overlay area, for paging; the screen sets it as it draws. */
  overlayHeight = 10;
  overlayWidth = 79;
  private readonly cursors = new Map<number, number>();
  /** A question was just answered: drop keys typed ahead of what comes next (see key()). */
  private settling = false;
  private readonly rowCache = new Map<string, { rows: Row[]; items: Item[] }>();

  constructor(
    readonly p: ControllerProps,
    private readonly changed: () => void,
  ) {
    const c = p.engine.checklist;
    this.phases = c.rollback ? [...c.phases, c.rollback] : c.phases;
    this.phaseIdx = p.engine.state.track === 'rollback' && c.rollback ? this.phases.length - 1 : 0;
    this.startWhereWorkIs();
    this.status = initialStatus(p);
    this.dialogs = createDialogs(changed);
    this.ctx = { engine: p.engine, ask: this.dialogs.ask, jobs: p.jobs, operator: p.operator, launching: new Set(), stopRequests: new Set(), status: (message, tone = 'info') => this.setStatus({ message, tone }) };
  }

  /** On resume: the first phase with work left, cursor on its first item not done. */
  private startWhereWorkIs(): void {
    const { state } = this.p.engine;
    const open = (it: Item) => !isDone(itemState(state, it.id).status);
    // The rollback track only when it is the one being worked.
    const end = state.track === 'rollback' ? this.phases.length : this.p.engine.checklist.phases.length;
    for (let i = this.phaseIdx; i < end; i++) {
      const items = this.phases[i].sections.flatMap((s) => s.items);
      const at = items.findIndex(open);
      if (at < 0) continue;
      this.phaseIdx = i;
      this.cursors.set(i, at);
      return;
    }
  }

  setStatus(s: Status): void {
    this.status = s;
    this.changed();
  }

  view(): View {
    const phase = this.phases[this.phaseIdx];
    const key = `${this.phaseIdx}\0${this.filter}`;
    let r = this.rowCache.get(key);
    if (!r) this.rowCache.set(key, (r = phaseRows(phase, this.filter)));
    const cursor = Math.min(this.cursors.get(this.phaseIdx) ?? 0, Math.max(0, r.items.length - 1));
    const item = r.items[cursor];
    return {
      phases: this.phases,
      phaseIdx: this.phaseIdx,
      phase,
      rows: r.rows,
      items: r.items,
      cursor,
      cursorRow: item ? rowOfItem(r.rows, cursor) : 0,
      item,
      st: item ? itemState(this.p.engine.state, item.id) : undefined,
      section: item ? phase.sections.find((s) => s.items.includes(item)) : undefined,
    };
  }

  /**
   * Every key goes through here, in the order it was typed. Ink may hand over several keys at
   * once; each is applied to the state the previous one left, so a key that opens a question
   * sends the rest of a typed-ahead line into it, and Enter answers it. Once a question is
   * answered, keys already typed are dropped until the flow has moved on: they were typed before
   * the operator could see what comes next (the next question, or a command not meant yet). A
   * pasted block with line breaks so answers with its first line and drops the rest, rather
   * than letting the rest run as commands.
   */
  key(input: string, key: Key): void {
    const keys = splitKeys(input, key);
    for (let i = 0; i < keys.length; i++) {
      let k = keys[i];
      // Ctrl-C stops the running command whatever is open; it never quits.
      if (k.key.ctrl && k.input === 'c') {
        stopFlow(this.ctx, this.view().item?.id);
        continue;
      }
      if (this.settling) return;
      const d = this.dialogs.current();
      if (d?.spec.kind === 'text' && keys.length > 1) {
        // Typed-ahead or pasted text goes into the field as one block.
        let j = i;
        while (j < keys.length && !keys[j].key.return && !keys[j].key.ctrl && !keys[j].key.tab && !keys[j].key.backspace && !keys[j].key.delete) j++;
        if (j > i) {
          k = { input: keys.slice(i, j).map((x) => x.input).join(''), key: keys[i].key };
          i = j - 1;
        }
      }
      this.one(k.input, k.key);
      if (d && this.dialogs.current() !== d) {
        this.settling = true;
        setImmediate(() => (this.settling = false));
      }
    }
  }

  private one(input: string, key: Key): void {
    const d = this.dialogs.current();
    if (d) {
      if (dialogKey(d, input, key)) this.changed();
      return;
    }
    if (this.overlay) {
      if (pagerKey(this.overlay, this.overlayHeight, input, key) === 'close') this.overlay = null;
      return this.changed();
    }
    const cmd = commandFor(input, key);
    if (cmd) this.command(cmd);
  }

  private moveCursor(v: View, to: number): void {
    this.cursors.set(this.phaseIdx, Math.max(0, Math.min(v.items.length - 1, to)));
    this.changed();
  }

  private run(flow: () => Promise<void>): void {
    void A.guarded(this.ctx, flow);
  }

  command(cmd: Command): void {
    const { engine } = this.p;
    const v = this.view();
    const ctx = this.ctx;
    if (this.p.readOnly && MUTATING.has(cmd)) return ctx.status('read-only view: this run is open in another process', 'error');
    if (!v.item && NEEDS_ITEM.has(cmd)) return ctx.status(this.filter ? 'no item matches the filter (/ then Enter on empty clears it)' : 'this phase has no items');
    const item = v.item!;
    switch (cmd) {
      case Command.Up:
        return this.moveCursor(v, v.cursor - 1);
      case Command.Down:
        return this.moveCursor(v, v.cursor + 1);
      case Command.PrevPhase:
        this.phaseIdx = Math.max(0, this.phaseIdx - 1);
        return this.changed();
      case Command.NextPhase: {
        const to = Math.min(this.phases.length - 1, this.phaseIdx + 1);
        if (to === this.phaseIdx) return;
        return this.run(async () => {
          if (!(await A.movePhaseFlow(ctx, this.phases[to]))) return;
          this.phaseIdx = to;
          this.changed();
        });
      }
      case Command.Act:
        return this.run(() => A.act(ctx, item));
      case Command.Rerun:
        return this.run(() => (item.action.kind === 'manual' || item.action.kind === 'record' ? A.act(ctx, item) : A.runFlow(ctx, item)));
      case Command.Toggle:
        return this.run(() => A.tickFlow(ctx, item, true));
      case Command.Skip:
        return this.run(() => A.skipFlow(ctx, item));
      case Command.Note:
        return this.run(() => A.noteFlow(ctx, item));
      case Command.Accept:
        return this.run(() => A.acceptFlow(ctx, item));
      case Command.RunChecks:
        return this.run(() => A.runChecksFlow(ctx, v.section?.items ?? []));
      case Command.Signoff:
        return this.run(() => A.signoffFlow(ctx, v.phase));
      case Command.Rollback:
        return this.run(async () => {
          if (!(await A.rollbackFlow(ctx))) return;
          this.phaseIdx = this.phases.length - 1;
          this.changed();
        });
      case Command.Filter:
        return this.run(async () => {
          const f = await ctx.ask.text('Filter items by text (empty clears):', { initial: this.filter });
          if (f === null) return;
          this.filter = f.trim();
          this.cursors.set(this.phaseIdx, 0);
          ctx.status(this.filter ? `filter: "${this.filter}"` : 'filter cleared');
        });
      case Command.Pager:
        return this.run(async () => {
          const live = engine.live.get(item.id);
          const running = v.st?.status === 'running' && live;
          const text = running ? live.tail.text() : await this.p.readFullOutput(item.id);
          // Logs and the live tail are redacted as they are written; mask again, in depth.
          const lines = sanitize(redact(text, this.p.secrets).replace(/\r\n/g, '\n')).split('\n');
          if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
          // A comparison's output is its table: the whole of it, which the detail pane cuts short.
          const cmp = running ? undefined : [...engine.state.comparisons].reverse().find((x) => x.item === item.id);
          const table = cmp ? [...comparisonLines(cmp.rows as ComparisonRow[], cmp.status), { text: '' }] : [];
          this.overlay = { title: `output of ${item.title}${running ? ' (so far)' : ''}`, lines: [...table, ...lines.map((t) => ({ text: t }))], top: cmp ? 0 : Infinity };
          this.changed();
        });
      case Command.Help:
        this.overlay = { title: 'runsheet help', lines: helpLines({ runId: this.p.runId, warnings: this.p.warnings, readOnly: this.p.readOnly, width: this.overlayWidth }), top: 0, closeKeys: ['?'] };
        return this.changed();
      case Command.Stop:
        return stopFlow(ctx, v.item?.id);
      case Command.Quit:
        return this.run(async () => {
          const how = await quitFlow(ctx);
          if (!how) return;
          // The last frame stays on the terminal: make it say how to come back.
          ctx.status(how === 'done' ? `run finished · report: runsheet report ${this.p.runId}` : `saved · resume with: runsheet resume ${this.p.runId}`, 'ok');
          // Let that frame reach the terminal before Ink unmounts.
          await new Promise((r) => setTimeout(r, 50));
          this.p.onExit(how);
        });
    }
  }
}

// The run screen: header, phase tabs, item list, detail pane (or the open dialog), status line
// and footer; help and pager overlays replace the list and detail. Keys map to commands through
// keys.ts; each command starts a flow from actions.ts.
import { useEffect, useMemo, useState } from 'react';
import { Box, useInput } from 'ink';
import { useStore } from 'zustand';
import type { RunEngine } from '../core/engine.js';
import { isCheck } from '../core/model.js';
import { itemState, missingSignoffs } from '../core/policy.js';
import { Command, commandFor } from './keys.js';
import { useDialogs } from './dialogs.js';
import { DialogView } from './prompts.js';
import { Header, PhaseTabs } from './header.js';
import { ItemList } from './list.js';
import { Detail } from './detail.js';
import { Footer, StatusLine } from './footer.js';
import { Help } from './help.js';
import { Pager, type PagerLine } from './pager.js';
import { Line } from './theme.js';
import { layout, useTerminalSize, useTicker, type Size } from './hooks.js';
import { phaseRows, rowOfItem } from './rows.js';
import { quitFlow, stopFlow } from './quit.js';
import * as A from './actions.js';
import { sanitize } from './text.js';

export interface ScreenProps {
  engine: RunEngine;
  runId: string;
  operator: string;
  env: string | null;
  jobs: number;
  readOnly: boolean;
  warnings: string[];
  secrets: readonly string[];
  readFullOutput: (itemId: string) => Promise<string>;
  onExit: (how: 'done' | 'quit') => void;
  /** Tests pin the size and stop the clocks so frames change only on input. */
  size?: Size;
  tickMs?: number;
}

type Overlay = { kind: 'help' } | { kind: 'pager'; title: string; lines: PagerLine[] } | null;

export function Screen(p: ScreenProps) {
  const { engine } = p;
  const c = engine.checklist;
  const phases = useMemo(() => (c.rollback ? [...c.phases, c.rollback] : c.phases), [c]);
  const version = useStore(engine.view, (v) => v.version);
  const viewError = useStore(engine.view, (v) => v.error);
  const size = useTerminalSize(p.size);
  const tickMs = p.tickMs ?? 1000;
  const [phaseIdx, setPhaseIdx] = useState(() => (engine.state.track === 'rollback' && c.rollback ? phases.length - 1 : 0));
  const [cursors, setCursors] = useState<Record<number, number>>({});
  const [filter, setFilter] = useState('');
  const [overlay, setOverlay] = useState<Overlay>(null);
  const [status, setStatus] = useState<{ message: string; tone: A.Tone }>(() => ({ message: p.readOnly ? `READ-ONLY: ${p.warnings[0] ?? 'run is open elsewhere'}` : (p.warnings[0] ? `warning: ${p.warnings[0]}${p.warnings.length > 1 ? ` (+${p.warnings.length - 1} more: ?)` : ''}` : 'ready · ? for help'), tone: p.warnings.length ? 'error' : 'info' }));
  const { dialog, ask } = useDialogs();
  // Manual metric probes ask the operator for a number mid-run.
  useEffect(() => {
    engine.askNumber = async (prompt, unit) => {
      const num = (t: string) => Number(t.trim().replace(/,/g, ''));
      const v = await ask.text(`${prompt}${unit ? ` (${unit})` : ''}`, { validate: (t) => (t.trim() && Number.isFinite(num(t)) ? null : 'type a number') });
      return v === null ? undefined : num(v);
    };
    return () => {
      engine.askNumber = undefined;
    };
  }, [engine, ask]);
  // From state, not engine.running(): item.started is recorded before the handle exists.
  const anyRunning = Object.values(engine.state.items).some((s) => s.status === 'running');
  const frame = useTicker(anyRunning, tickMs ? 120 : 0);

  const phase = phases[phaseIdx];
  const { rows, items } = useMemo(() => phaseRows(phase, filter), [phase, filter]);
  const cursor = Math.min(cursors[phaseIdx] ?? 0, Math.max(0, items.length - 1));
  const item = items[cursor];
  const st = item ? itemState(engine.state, item.id) : undefined;
  const section = item ? phase.sections.find((s) => s.items.includes(item)) : undefined;

  const ctx: A.ActionContext = { engine, ask, jobs: p.jobs, operator: p.operator, status: (message, tone = 'info') => setStatus({ message, tone }) };
  const run = (flow: () => Promise<void>) => void A.guarded(ctx, flow);
  const setCursor = (n: number) => setCursors((cs) => ({ ...cs, [phaseIdx]: Math.max(0, Math.min(items.length - 1, n)) }));

  const mutating = new Set([Command.Act, Command.Toggle, Command.Skip, Command.Note, Command.Rerun, Command.RunChecks, Command.Accept, Command.Signoff, Command.Rollback]);

  const onCommand = (cmd: Command) => {
    if (p.readOnly && mutating.has(cmd)) return ctx.status('read-only view: this run is open in another process', 'error');
    const needItem = [Command.Act, Command.Toggle, Command.Skip, Command.Note, Command.Rerun, Command.Accept, Command.Pager, Command.RunChecks];
    if (!item && needItem.includes(cmd)) return ctx.status(filter ? 'no item matches the filter (/ then Enter on empty clears it)' : 'this phase has no items');
    switch (cmd) {
      case Command.Up:
        return setCursor(cursor - 1);
      case Command.Down:
        return setCursor(cursor + 1);
      case Command.PrevPhase:
        return setPhaseIdx((i) => Math.max(0, i - 1));
      case Command.NextPhase:
        return setPhaseIdx((i) => Math.min(phases.length - 1, i + 1));
      case Command.Act:
        return run(() => A.act(ctx, item!));
      case Command.Rerun:
        return run(() => (item!.action.kind === 'manual' || item!.action.kind === 'record' ? A.act(ctx, item!) : A.runFlow(ctx, item!)));
      case Command.Toggle:
        return run(() => A.tickFlow(ctx, item!, true));
      case Command.Skip:
        return run(() => A.skipFlow(ctx, item!));
      case Command.Note:
        return run(() => A.noteFlow(ctx, item));
      case Command.Accept:
        return run(() => A.acceptFlow(ctx, item!));
      case Command.RunChecks:
        return run(() => A.runChecksFlow(ctx, section?.items ?? []));
      case Command.Signoff:
        return run(() => A.signoffFlow(ctx, phase));
      case Command.Rollback:
        return run(async () => {
          if (await A.rollbackFlow(ctx)) setPhaseIdx(phases.length - 1);
        });
      case Command.Filter:
        return run(async () => {
          const f = await ask.text('Filter items (empty clears):', { initial: filter });
          if (f === null) return;
          setFilter(f.trim());
          setCursors((cs) => ({ ...cs, [phaseIdx]: 0 }));
        });
      case Command.Pager:
        return run(async () => {
          const live = engine.live.get(item!.id);
          const text = st?.status === 'running' && live ? live.tail.text() : await p.readFullOutput(item!.id);
          const lines = sanitize(text.replace(/\r\n/g, '\n')).split('\n');
          setOverlay({ kind: 'pager', title: `output of ${item!.title}`, lines: lines.map((t) => ({ text: t })) });
        });
      case Command.Help:
        return setOverlay({ kind: 'help' });
      case Command.Stop:
        return stopFlow(ctx, item?.id);
      case Command.Quit:
        return run(async () => {
          const how = await quitFlow(ctx);
          if (how) p.onExit(how);
        });
    }
  };

  useInput(
    (input, key) => {
      const cmd = commandFor(input, key);
      if (cmd) onCommand(cmd);
    },
    { isActive: !dialog && !overlay },
  );
  // Ctrl-C stops the running command even while a dialog or overlay is open; it never quits.
  useInput((input, key) => (dialog || overlay) && key.ctrl && input === 'c' && stopFlow(ctx, item?.id), { isActive: Boolean(dialog || overlay) });

  const w = size.columns;
  const { list, detail } = layout(size.rows);
  const bodyHeight = list + 1 + detail;
  const canSignoff = phase.signoff.length > 0 && missingSignoffs(phase, engine.state).length > 0;
  const position = items.length ? `${cursor + 1}/${items.length}` : '0/0';
  const sep = `── ${position} ${section?.title ? `· ${section.title} ` : ''}`;

  return (
    <Box flexDirection="column" width={w}>
      <Header checklist={c} state={engine.state} env={p.env} operator={p.operator} runId={p.runId} readOnly={p.readOnly} width={w} tickMs={tickMs} />
      <PhaseTabs phases={phases} current={phaseIdx} state={engine.state} filter={filter} width={w} />
      {overlay?.kind === 'help' ? (
        <Help warnings={p.warnings} width={w} height={bodyHeight} active onClose={() => setOverlay(null)} />
      ) : overlay?.kind === 'pager' ? (
        <Pager title={overlay.title} lines={overlay.lines} width={w} height={bodyHeight} active startAtEnd onClose={() => setOverlay(null)} />
      ) : (
        <>
          <ItemList rows={rows} cursorRow={item ? rowOfItem(rows, cursor) : 0} height={list} width={w} state={engine.state} version={version} frame={frame} emptyText={filter ? `no items match "${filter}"` : 'no items'} />
          {dialog ? null : <Line style={{ dim: true }}>{sep + '─'.repeat(Math.max(0, w - [...sep].length))}</Line>}
          {dialog ? (
            <Box height={detail + 1} flexDirection="column" overflow="hidden">
              <DialogView key={dialog.id} dialog={dialog} width={w} height={detail + 1} />
            </Box>
          ) : <Detail engine={engine} item={item} width={w} height={detail} secrets={p.secrets} />}
        </>
      )}
      <StatusLine message={viewError ? `save failed: ${viewError}` : status.message} tone={viewError ? 'error' : status.tone} />
      <Footer width={w} ctx={{ kind: item?.action.kind, status: st?.status, hasChecks: Boolean(section?.items.some(isCheck)), hasOutput: Boolean(st?.result || st?.status === 'running'), canSignoff, hasRollback: Boolean(c.rollback), running: anyRunning, readOnly: p.readOnly }} />
    </Box>
  );
}

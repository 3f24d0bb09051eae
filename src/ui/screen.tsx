// The run screen: header, phase tabs, item list, detail pane (or the open dialog), status line
// and footer; the help and output pagers replace the list and detail. What keys do lives in
// ScreenController, what is shown in its store (screen-store.ts); each component subscribes to
// the slice it draws.
import { askNumberWith } from '../core/flows/number.js';
import { TeamLine, othersLine } from './team-line.js';
import type { TeamView } from './team-types.js';
import { useCallback, useEffect, useRef } from 'react';
import { Box, useInput } from 'ink';
import { useStore } from 'zustand';
import { isCheck } from '../core/kinds.js';
import { missingSignoffs } from '../core/policy.js';
import { DialogView } from './prompts.js';
import { Header, PhaseTabs } from './header.js';
import { ItemList } from './list.js';
import { Detail } from './detail.js';
import { Footer, StatusLine } from './footer.js';
import { Pager } from './pager.js';
import { Line } from './theme.js';
import { safeLine } from '../core/safe-text.js';
import { fitMiddle, width as cols } from './fit.js';
import { layout, useTerminalSize, useTicker, type Size } from './hooks.js';
import { ScreenController, type ControllerProps } from './controller.js';
import type { ScreenStore } from './screen-store.js';

export interface ScreenProps extends ControllerProps {
  /** Tests pin the size and stop the clocks so frames change only on input. */
  size?: Size;
  tickMs?: number;
}

export function Screen(p: ScreenProps) {
  const { engine } = p;
  const ctl = useRef<ScreenController | null>(null);
  ctl.current ??= new ScreenController(p);
  const c = ctl.current;
  const { store } = c;
  // The engine's events reach the store from mount to unmount.
  useEffect(() => c.follow(), [c]);
  const v = useStore(store, c.viewOf);
  const { state } = useStore(store, (s) => s.fold);
  const overlay = useStore(store, (s) => s.overlay);
  const dialogId = useStore(store, (s) => s.dialog?.id);
  const filter = useStore(store, (s) => s.filter);
  const size = useTerminalSize(p.size);
  const tickMs = p.tickMs ?? 1000;
  // A team run: presence and store reachability, straight into the screen's store.
  useEffect(() => {
    const team = p.team;
    if (!team) return;
    const set = (part: Partial<TeamView>) =>
      store.setState((s) => ({ team: { sessions: [], status: { reachable: true, spooled: 0 }, ...s.team, ...part } }));
    const offPresence = team.onPresence((sessions) => set({ sessions }));
    const offStatus = team.onStoreStatus((status) => set({ status }));
    // Another operator's action: on the status line, with who did it, where.
    const offOthers = team.onOthers((events) => {
      const said = events.map((e) => othersLine(e, (id) => titleOf(engine, id))).filter((l): l is string => l !== null);
      if (said.length) ctl.current?.setStatus({ message: said.join(' · '), tone: 'info' });
    });
    return () => {
      offPresence();
      offStatus();
      offOthers();
    };
  }, [p.team, store, engine]);
  // Manual metric probes ask the operator for a number mid-run.
  useEffect(() => {
    engine.askNumber = askNumberWith(c.ctx.ask);
    return () => {
      engine.askNumber = undefined;
    };
  }, [engine, c]);
  useInput(
    useCallback((input, key) => c.key(input, key), [c]),
    // Ink reads stdin only while some handler is active; ours always is.
    { isActive: true },
  );
  // From state, not engine.running(): item.started is recorded before the handle exists.
  const anyRunning = Object.values(state.items).some((s) => s.status === 'running');
  const frame = useTicker(anyRunning, tickMs ? 120 : 0);

  // Never draw into the last column: a line that fills the row leaves the terminal in its
  // pending-wrap state, where the erase-to-end-of-line Ink sends after it eats the last character.
  const w = Math.max(20, size.columns - 1);
  // A team run gives one row to who is in it (or to the store being unreachable).
  const { list, detail } = layout(size.rows - (p.team ? 1 : 0));
  const overlayHeight = list + 1 + detail;
  c.overlayHeight = overlayHeight;
  c.overlayWidth = w;
  const { item, st, section, phase } = v;
  const canSignoff = phase.signoff.length > 0 && missingSignoffs(phase, state).length > 0;
  const position = v.items.length ? `${v.cursor + 1}/${v.items.length}` : '0/0';
  const secTitle = section?.title ? `· ${fitMiddle(safeLine(section.title), w - position.length - 8)} ` : '';
  const sep = `── ${position} ${secTitle}`;

  return (
    <Box flexDirection="column" width={w}>
      <Header
        store={store}
        checklist={engine.checklist}
        env={p.env}
        operator={p.operator}
        runId={p.runId}
        readOnly={p.readOnly}
        width={w}
        tickMs={tickMs}
      />
      {p.team && <TeamLine store={store} self={p.team.self} width={w} />}
      <PhaseTabs store={store} phases={v.phases} current={v.phaseIdx} filter={filter} width={w} />
      {overlay ? (
        <Pager pager={overlay} width={w} height={overlayHeight} />
      ) : (
        <>
          <ItemList
            rows={v.rows}
            cursorRow={v.cursorRow}
            height={list}
            width={w}
            store={store}
            frame={frame}
            emptyText={filter ? `no items match "${safeLine(filter)}" (/ then Enter on empty clears it)` : 'no items'}
          />
          {dialogId !== undefined ? (
            <DialogView key={dialogId} store={store} width={w} height={detail + 1} />
          ) : (
            <>
              <Line style={{ dim: true }}>{sep + '─'.repeat(Math.max(0, w - cols(sep)))}</Line>
              <Detail store={store} item={item} width={w} height={detail} secrets={p.secrets} />
            </>
          )}
        </>
      )}
      <ScreenStatus store={store} readOnly={p.readOnly} width={w} />
      <Footer
        width={w}
        ctx={{
          overlay: overlay ? 'pager' : dialogId !== undefined ? 'dialog' : undefined,
          kind: item?.action.kind,
          status: st?.status,
          hasChecks: Boolean(section?.items.some(isCheck)),
          hasOutput: Boolean(st?.result || st?.status === 'running'),
          canSignoff,
          hasRollback: Boolean(engine.checklist.rollback) && state.track !== 'rollback',
          running: anyRunning,
          readOnly: p.readOnly,
        }}
      />
    </Box>
  );
}

/** The status line: the last action's outcome, or a failed save (which wins until the next one succeeds). */
function ScreenStatus({ store, readOnly, width }: { store: ScreenStore; readOnly: boolean; width: number }) {
  const status = useStore(store, (s) => s.status);
  const error = useStore(store, (s) => s.error);
  if (error) return <StatusLine message={readOnly ? error : `save failed: ${error}`} tone="error" width={width} />;
  return <StatusLine message={status.message} tone={status.tone} more={status.more} width={width} />;
}

/** An item's title, or its id when the checklist no longer has it (another session's newer copy). */
function titleOf(engine: ScreenProps['engine'], id: string): string {
  try {
    return engine.item(id).title;
  } catch {
    return id;
  }
}

// The run screen: header, phase tabs, item list, detail pane (or the open dialog), status line
// and footer; the help and output pagers replace the list and detail. What is shown and what
// keys do lives in ScreenController; this component only draws it.
import { askNumberWith } from '../core/flows/number.js';
import { useCallback, useEffect, useReducer, useRef } from 'react';
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

export interface ScreenProps extends ControllerProps {
  /** Tests pin the size and stop the clocks so frames change only on input. */
  size?: Size;
  tickMs?: number;
}

export function Screen(p: ScreenProps) {
  const { engine } = p;
  const [, redraw] = useReducer((n: number) => n + 1, 0);
  const ctl = useRef<ScreenController | null>(null);
  ctl.current ??= new ScreenController(p, redraw);
  const c = ctl.current;
  const version = useStore(engine.view, (v) => v.version);
  const viewError = useStore(engine.view, (v) => v.error);
  const size = useTerminalSize(p.size);
  const tickMs = p.tickMs ?? 1000;
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
  const anyRunning = Object.values(engine.state.items).some((s) => s.status === 'running');
  const frame = useTicker(anyRunning, tickMs ? 120 : 0);

  // Never draw into the last column: a line that fills the row leaves the terminal in its
  // pending-wrap state, where the erase-to-end-of-line Ink sends after it eats the last character.
  const w = Math.max(20, size.columns - 1);
  const { list, detail } = layout(size.rows);
  const overlayHeight = list + 1 + detail;
  c.overlayHeight = overlayHeight;
  c.overlayWidth = w;
  const v = c.view();
  const { item, st, section, phase } = v;
  const dialog = c.dialogs.current();
  const canSignoff = phase.signoff.length > 0 && missingSignoffs(phase, engine.state).length > 0;
  const position = v.items.length ? `${v.cursor + 1}/${v.items.length}` : '0/0';
  const secTitle = section?.title ? `· ${fitMiddle(safeLine(section.title), w - position.length - 8)} ` : '';
  const sep = `── ${position} ${secTitle}`;

  return (
    <Box flexDirection="column" width={w}>
      <Header
        checklist={engine.checklist}
        state={engine.state}
        env={p.env}
        operator={p.operator}
        runId={p.runId}
        readOnly={p.readOnly}
        width={w}
        tickMs={tickMs}
      />
      <PhaseTabs phases={v.phases} current={v.phaseIdx} state={engine.state} filter={c.filter} width={w} />
      {c.overlay ? (
        <Pager pager={c.overlay} width={w} height={overlayHeight} />
      ) : (
        <>
          <ItemList
            rows={v.rows}
            cursorRow={v.cursorRow}
            height={list}
            width={w}
            state={engine.state}
            version={version}
            frame={frame}
            emptyText={c.filter ? `no items match "${safeLine(c.filter)}" (/ then Enter on empty clears it)` : 'no items'}
          />
          {dialog ? (
            <DialogView key={dialog.id} dialog={dialog} width={w} height={detail + 1} />
          ) : (
            <>
              <Line style={{ dim: true }}>{sep + '─'.repeat(Math.max(0, w - cols(sep)))}</Line>
              <Detail engine={engine} item={item} width={w} height={detail} secrets={p.secrets} />
            </>
          )}
        </>
      )}
      <StatusLine
        message={viewError ? (p.readOnly ? viewError : `save failed: ${viewError}`) : c.status.message}
        tone={viewError ? 'error' : c.status.tone}
        more={viewError ? undefined : c.status.more}
        width={w}
      />
      <Footer
        width={w}
        ctx={{
          overlay: c.overlay ? 'pager' : dialog ? 'dialog' : undefined,
          kind: item?.action.kind,
          status: st?.status,
          hasChecks: Boolean(section?.items.some(isCheck)),
          hasOutput: Boolean(st?.result || st?.status === 'running'),
          canSignoff,
          hasRollback: Boolean(engine.checklist.rollback) && engine.state.track !== 'rollback',
          running: anyRunning,
          readOnly: p.readOnly,
        }}
      />
    </Box>
  );
}

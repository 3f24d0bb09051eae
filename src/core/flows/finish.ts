// Ending a run: Ctrl-C stops a command (never the app), `q` decides what becomes of commands
// still running, and a run whose track is complete is finished — by the TUI on quit and by
// headless at its end, with the same rule (runOutcome).
import type { Checklist } from '../model.js';
import type { RunState } from '../state.js';
import { itemState, phaseComplete } from '../policy.js';
import type { FlowContext } from './context.js';
import type { RunEngine } from '../engine.js';

const STOP_WAIT_MS = 15_000;

/**
 * How the run ends if it ends now: null while the track being worked (the main phases, or the
 * rollback phase once switched to it) has items not done or sign-offs missing.
 */
export function runOutcome(c: Checklist, s: RunState): 'passed' | 'failed' | null {
  const phases = s.track === 'rollback' && c.rollback ? [c.rollback] : c.phases;
  const items = phases.flatMap((p) => p.sections.flatMap((sec) => sec.items));
  // A checklist with nothing to do (only reference sections) is complete as soon as it starts.
  if (!phases.every((p) => phaseComplete(p, s))) return null;
  return items.some((it) => itemState(s, it.id).status === 'failed') ? 'failed' : 'passed';
}

/** Records run.finished when the run is complete and nothing runs; true when it did. */
export async function finishIfComplete(engine: RunEngine): Promise<boolean> {
  if (engine.readOnly || engine.state.status !== 'active' || engine.running().length) return false;
  const outcome = runOutcome(engine.checklist, engine.state);
  if (!outcome) return false;
  await engine.finish(outcome);
  return true;
}

/** Ctrl-C: stop the selected item if it runs, otherwise everything running. */
export function stop(ctx: FlowContext, selected: string | undefined): void {
  // Not only running: Ctrl-C right after Enter, before the start is even recorded, must stop it.
  const running = [...ctx.engine.running(), ...ctx.engine.pending()];
  if (!running.length) return ctx.tell('nothing is running (q quits)');
  const targets = selected && running.includes(selected) ? [selected] : running;
  for (const id of targets) ctx.engine.stop(id);
  ctx.tell(`stopping ${targets.map((id) => `"${ctx.engine.item(id).title}"`).join(', ')} (SIGTERM, then SIGKILL after 5 s)…`);
}

/** `q`: 'done' (the run finished), 'quit' (saved, resumable), or null when the operator stays. */
export async function quit(ctx: FlowContext): Promise<'done' | 'quit' | null> {
  const { engine } = ctx;
  const running = engine.running();
  if (running.length) {
    const names = running.map((id) => `"${engine.item(id).title}"`).join(', ');
    const how = await ctx.ask.choice(
      { q: 'quit-running', items: running },
      `${names} ${running.length > 1 ? 'are' : 'is'} still running. Quit and…`,
      [
        { label: 'leave it running (its outcome is asked on resume)', value: 'keep' as const, hotkey: 'k' },
        { label: 'kill it, then quit', value: 'kill' as const, hotkey: 'x' },
        { label: 'cancel: stay in runsheet', value: 'cancel' as const, hotkey: 'c' },
      ],
    );
    if (how === null || how === 'cancel') {
      ctx.tell('still here');
      return null;
    }
    if (how === 'keep') {
      // Recorded as interrupted with the process left running: on resume the operator says
      // whether it finished, failed or should run again; it is never re-run on its own.
      ctx.tell('leaving it running…');
      await engine.interrupt(`operator quit, leaving ${names} running`, 0, true);
      return 'quit';
    }
    for (const id of running) engine.stop(id);
    ctx.tell('stopping running commands…');
    if (!(await engine.whenIdle(STOP_WAIT_MS))) {
      ctx.tell('a command did not stop in time; quit again to leave it running', 'error');
      return null;
    }
  }
  return (await finishIfComplete(engine)) ? 'done' : 'quit';
}

// Quitting and stopping. State is saved as it happens, so quitting only has to decide what to do
// with commands still running; Ctrl-C stops a command and never the app.
import { runProgress, phaseComplete } from '../core/policy.js';
import type { ActionContext } from './actions.js';

const STOP_WAIT_MS = 15_000;

/** Ctrl-C: stop the selected item if it runs, otherwise everything running. */
export function stopFlow(ctx: ActionContext, selected: string | undefined): void {
  // Not only running: Ctrl-C right after Enter, before the start is even recorded, must stop it.
  const running = [...ctx.engine.running(), ...ctx.engine.pending()];
  if (!running.length) return ctx.status('nothing is running (q quits)');
  const targets = selected && running.includes(selected) ? [selected] : running;
  for (const id of targets) ctx.engine.stop(id);
  ctx.status(`stopping ${targets.map((id) => `"${ctx.engine.item(id).title}"`).join(', ')} (SIGTERM, then SIGKILL after 5 s)…`);
}

async function waitIdle(ctx: ActionContext): Promise<boolean> {
  const deadline = Date.now() + STOP_WAIT_MS;
  while (ctx.engine.running().length) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

/** Whether every main phase is complete (items done and signed off). */
export function runComplete(ctx: ActionContext): boolean {
  const { checklist, state } = ctx.engine;
  const pr = runProgress(checklist, state);
  return pr.total > 0 && checklist.phases.every((p) => phaseComplete(p, state));
}

/** `q`: null when the operator cancels. */
export async function quitFlow(ctx: ActionContext): Promise<'done' | 'quit' | null> {
  const { engine } = ctx;
  const running = engine.running();
  if (running.length) {
    const names = running.map((id) => `"${engine.item(id).title}"`).join(', ');
    const how = await ctx.ask.choice(`${names} ${running.length > 1 ? 'are' : 'is'} still running. Quit and…`, [
      { label: 'leave it running (its outcome is asked on resume)', value: 'keep' as const, hotkey: 'k' },
      { label: 'kill it, then quit', value: 'kill' as const, hotkey: 'x' },
      { label: 'cancel: stay in runsheet', value: 'cancel' as const, hotkey: 'c' },
    ]);
    if (how === null || how === 'cancel') {
      ctx.status('still here');
      return null;
    }
    if (how === 'keep') {
      // Recorded as interrupted with the process left running: on resume the operator says
      // whether it finished, failed or should run again; it is never re-run on its own.
      ctx.status('leaving it running…');
      await engine.interrupt(`operator quit, leaving ${names} running`, 0, true);
      return 'quit';
    }
    if (how === 'kill') {
      for (const id of running) engine.stop(id);
      ctx.status('stopping running commands…');
      if (!(await waitIdle(ctx))) {
        ctx.status('a command did not stop in time; quit again to leave it running', 'error');
        return null;
      }
    }
  }
  if (!engine.readOnly && engine.state.status === 'active' && !engine.running().length && runComplete(ctx)) {
    const failed = Object.values(engine.state.items).some((s) => s.status === 'failed');
    await engine.finish(failed ? 'failed' : 'passed');
    return 'done';
  }
  return 'quit';
}

// The question about an interrupted action ("did it finish, fail, or should it run again?"). When
// its command was left running (on_disconnect: keep), the question says what became of it — still
// running (PID, age, live log), or how it ended — and the answers follow: while it runs, running
// it again is not offered (a second copy beside the first); once it has ended, the answer its exit
// status gives comes first.
import type { Item } from '../model.js';
import { describeKept, endedHow, keptVerdict } from '../kept.js';
import { requireText, type Choice } from './ask.js';
import { askText, type FlowContext } from './context.js';

export type Resolution = 'passed' | 'failed' | 'rerun';

/** The operator's outcome for the interrupted `item`; null when unanswered (or "ask again later"). */
export async function askResolution(ctx: FlowContext, item: Item, message: string): Promise<Resolution | null> {
  const topic = { q: 'resolve', item: item.id } as const;
  const kept = ctx.engine.keptProcess(item.id);
  const finished: Choice<Resolution> = { label: 'It finished successfully', value: 'passed', hotkey: 'f' };
  const failed: Choice<Resolution> = { label: 'It failed', value: 'failed', hotkey: 'x' };
  const again: Choice<Resolution> = { label: 'Run it again', value: 'rerun', hotkey: 'r' };
  if (!kept) return ctx.ask.choice(topic, message, [finished, failed, again]);
  const about = `${message} It was left running when runsheet stopped: ${describeKept(kept, new Date())}.`;
  if (kept.status.state === 'running') {
    const answer = await ctx.ask.choice<Resolution | 'wait'>(topic, `${about} It cannot run again while it runs.`, [
      { label: 'Leave it running; ask again later', value: 'wait', hotkey: 'w' },
      { ...failed, label: 'It failed (it stays running: stop it yourself)' },
    ]);
    return answer === 'wait' ? null : answer;
  }
  const verdict = keptVerdict(kept.status, item.action.kind === 'run' ? item.action.expect.exit : 0);
  const how = endedHow(kept.status);
  const choices =
    verdict === 'passed'
      ? [{ ...finished, label: `${finished.label} (${how})` }, failed, again]
      : verdict === 'failed'
        ? [{ ...failed, label: `${failed.label} (${how})` }, finished, again]
        : [finished, failed, again];
  return ctx.ask.choice(topic, about, choices);
}

/**
 * Asks the outcome and how the operator knows, and records it. Returns the outcome recorded, or
 * null when unanswered (nothing recorded).
 */
export async function resolveInterrupted(ctx: FlowContext, item: Item, message: string, typed: string[]): Promise<Resolution | null> {
  const outcome = await askResolution(ctx, item, message);
  if (outcome === null) {
    ctx.tell(
      ctx.engine.keptProcess(item.id)?.status.state === 'running' ? `"${item.title}" is still running: asked again next time` : 'cancelled',
    );
    return null;
  }
  const why = await askText(
    ctx,
    { q: 'resolve-why', item: item.id },
    'How do you know? (recorded with the answer)',
    { validate: requireText('the reason') },
    typed,
  );
  if (why === null) {
    ctx.tell('cancelled');
    return null;
  }
  await ctx.engine.resolve(item.id, outcome, why);
  if (outcome !== 'rerun') ctx.tell(`"${item.title}" recorded as ${outcome}`, 'ok');
  return outcome;
}

// The question about an interrupted action ("did it finish, fail, or should it run again?"). When
// its command was left running (on_disconnect: keep), the question says what became of it — still
// running (PID, age, live log), or how it ended — and the answers follow: while it runs, running
// it again is not offered (a second copy beside the first); once it has ended, the answer its exit
// status gives comes first.
import type { Item } from '../core/model.js';
import { describeKept, endedHow, keptVerdict } from '../core/kept.js';
import type { Choice } from './dialogs.js';
import type { ActionContext } from './action-context.js';

type Outcome = 'passed' | 'failed' | 'rerun';

export async function askResolution(ctx: ActionContext, item: Item, message: string): Promise<Outcome | null> {
  const kept = ctx.engine.keptProcess(item.id);
  const finished: Choice<Outcome> = { label: 'It finished successfully', value: 'passed', hotkey: 'f' };
  const failed: Choice<Outcome> = { label: 'It failed', value: 'failed', hotkey: 'x' };
  const again: Choice<Outcome> = { label: 'Run it again', value: 'rerun', hotkey: 'r' };
  if (!kept) return ctx.ask.choice(message, [finished, failed, again]);
  const about = `${message} It was left running when runsheet stopped: ${describeKept(kept, new Date())}.`;
  if (kept.status.state === 'running') {
    const answer = await ctx.ask.choice<Outcome | 'wait'>(`${about} It cannot run again while it runs.`, [
      { label: 'Leave it running; ask again later', value: 'wait', hotkey: 'w' },
      { ...failed, label: 'It failed (it stays running: stop it yourself)' },
    ]);
    return answer === 'wait' ? null : answer;
  }
  const verdict = keptVerdict(kept.status, expectedExit(item));
  const how = endedHow(kept.status);
  const choices =
    verdict === 'passed'
      ? [{ ...finished, label: `${finished.label} (${how})` }, failed, again]
      : verdict === 'failed'
        ? [{ ...failed, label: `${failed.label} (${how})` }, finished, again]
        : [finished, failed, again];
  return ctx.ask.choice(about, choices);
}

function expectedExit(item: Item): number {
  return item.action.kind === 'run' ? item.action.expect.exit : 0;
}

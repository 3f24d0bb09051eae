// `a`: every check of a section, in parallel. Actions are never run in bulk, nor are checks that
// need something first — a yes (confirm: true), a var's value, their choice answered: Enter runs
// each of those on its own, asking.
import type { Item } from '../model.js';
import { isCheck } from '../kinds.js';
import { appliesNow } from '../state.js';
import { askReasons } from './gates.js';
import { cancelled, settle, type FlowContext, type FlowEnd } from './context.js';

export async function runChecks(ctx: FlowContext, sectionItems: readonly Item[]): Promise<FlowEnd> {
  const { engine } = ctx;
  const running = new Set(engine.running());
  const checks = sectionItems.filter(
    (it) => isCheck(it) && !running.has(it.id) && appliesNow(it, engine.state) && !engine.missingVars(it.id).length,
  );
  const ids = checks.filter((it) => !it.confirm).map((it) => it.id);
  const leftOut = checks.length - ids.length;
  if (!ids.length)
    return cancelled(
      ctx,
      leftOut
        ? 'the checks here ask for confirmation: run each with Enter'
        : 'no checks to run in this section (actions are never run in bulk)',
    );
  // Checks have no confirm gates here; only the out-of-order reason can apply, once for the section.
  const typed: string[] = [];
  const answers = await askReasons(ctx, engine.gates(ids[0]), { item: ids[0] }, typed);
  if (!answers) return cancelled(ctx, 'cancelled: nothing ran');
  settle(ctx, typed);
  ctx.tell(`running ${ids.length} check(s), ${ctx.jobs} at a time…`);
  const results = await engine.runChecks(ids, ctx.jobs, { reason: answers.reason });
  const failed = [...results.values()].filter((r) => !r.ok).length;
  const note = leftOut ? ` · ${leftOut} left out: they ask for confirmation, run each with Enter` : '';
  ctx.tell(`${results.size} check(s): ${results.size - failed} passed, ${failed} failed${note}`, failed ? 'error' : 'ok');
  return failed ? 'failed' : 'done';
}

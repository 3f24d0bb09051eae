// Phase-level flows: signing off a phase, moving on to a later one, switching to the rollback
// track. Like actions.ts, they ask the engine's gates through dialogs and record the answers.
import type { Item, Phase } from '../core/model.js';
import { failedCritical, missingSignoffs } from '../core/policy.js';
import { requireText } from './dialogs.js';
import { answerGates, type ActionContext } from './actions.js';

export async function signoffFlow(ctx: ActionContext, phase: Phase): Promise<void> {
  if (!phase.signoff.length) return ctx.status(`"${phase.title}" has no sign-off roles`);
  const roles = missingSignoffs(phase, ctx.engine.state);
  if (!roles.length) return ctx.status(`"${phase.title}" is already signed off by every role`);
  const name = await ctx.ask.text(`Sign off "${phase.title}": your name?`, { initial: ctx.operator, validate: requireText('the name') });
  if (name === null) return ctx.status('cancelled: not signed off');
  const role = await ctx.ask.choice(
    `Sign off "${phase.title}" as which role?`,
    roles.map((r) => ({ label: r, value: r })),
  );
  if (role === null) return ctx.status('cancelled: not signed off');
  const answers = await answerGates(ctx.ask, ctx.engine.signoffGates(phase.id));
  if (!answers) return ctx.status('cancelled: not signed off');
  await ctx.engine.signoff(phase.id, name, role, answers);
  ctx.status(`"${phase.title}" signed off by ${name.trim()} (${role})`, 'ok');
}

/** Returns true when the screen should switch to the rollback track. */
export async function rollbackFlow(ctx: ActionContext): Promise<boolean> {
  const { engine } = ctx;
  if (!engine.checklist.rollback) {
    ctx.status('this checklist has no rollback track', 'error');
    return false;
  }
  if (engine.state.track === 'rollback') return true;
  const reason = await ctx.ask.text('Switch to the ROLLBACK track: why?', {
    validate: requireText('the reason'),
    placeholder: 'reason (recorded)',
  });
  if (reason === null) {
    ctx.status('cancelled: still on the main track');
    return false;
  }
  await engine.startRollback(reason);
  ctx.status('rollback track started', 'ok');
  return true;
}

/**
 * The failed critical items that make moving on to `target` ask why; empty when the move is free.
 * Synchronous, so a free move is applied at once: the next typed-ahead `l` must see it.
 */
export function moveBlockers(ctx: ActionContext, target: Phase): Item[] {
  const { engine } = ctx;
  const phases = engine.checklist.phases;
  const idx = phases.findIndex((p) => p.id === target.id);
  if (idx < 0 || engine.readOnly) return [];
  if (engine.state.overrides.some((o) => o.kind === 'out-of-order' && o.phase === target.id)) return [];
  return phases.slice(0, idx).flatMap((p) => failedCritical(p, engine.state));
}

/**
 * Moving on to a later phase while an earlier one has failed critical items asks why; the answer
 * is recorded as the target phase's out-of-order override (so acting there does not ask again).
 * Moving back, or to the rollback track, is free. false when the operator cancels.
 */
export async function movePhaseFlow(ctx: ActionContext, target: Phase): Promise<boolean> {
  const { engine } = ctx;
  const failed = moveBlockers(ctx, target);
  if (!failed.length) return true;
  const names = failed.map((i) => `"${i.title}"`).join(', ');
  const reason = await ctx.ask.text(`${failed.length} critical item(s) failed before "${target.title}": ${names}. Why move on?`, {
    validate: requireText('the reason'),
    placeholder: 'reason (recorded as an override)',
  });
  if (reason === null) {
    ctx.status('cancelled: stayed on this phase');
    return false;
  }
  // Recorded through the engine's one write path, like every other override.
  await engine.emit({ type: 'override', kind: 'out-of-order', phase: target.id, reason: reason.trim() });
  ctx.status(`moved on to "${target.title}" (override recorded)`, 'ok');
  return true;
}

// Phase-level flows: moving on to a later phase, signing a phase off, switching to the rollback
// track. Like item.ts, they ask the engine's gates through the Ask port and record the answers.
import type { Item, Phase } from '../model.js';
import { failedCritical, missingSignoffs } from '../policy.js';
import { requireText } from './ask.js';
import { askText, cancelled, settle, type FlowContext, type FlowEnd } from './context.js';
import { askReasons } from './gates.js';

/**
 * The failed critical items that make moving on to `target` ask why; empty when the move is free.
 * Synchronous, so a free move is applied at once: the next typed-ahead `l` must see it.
 */
export function moveBlockers(ctx: FlowContext, target: Phase): Item[] {
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
 * Moving back, or to the rollback track, is free. 'done' when the move may happen.
 */
export async function movePhase(ctx: FlowContext, target: Phase): Promise<FlowEnd> {
  const failed = moveBlockers(ctx, target);
  if (!failed.length) return 'done';
  const names = failed.map((i) => `"${i.title}"`).join(', ');
  const typed: string[] = [];
  const reason = await askText(
    ctx,
    { q: 'reason', override: 'out-of-order', phase: target.id },
    `${failed.length} critical item(s) failed before "${target.title}": ${names}. Why move on?`,
    { validate: requireText('the reason'), placeholder: 'reason (recorded as an override)' },
    typed,
  );
  if (reason === null) return cancelled(ctx, 'cancelled: stayed on this phase');
  await ctx.engine.override('out-of-order', reason, { phase: target.id });
  settle(ctx, typed);
  ctx.tell(`moved on to "${target.title}" (override recorded)`, 'ok');
  return 'done';
}

/**
 * `g`: sign a phase off. The reason first (signing with failures or items left), then who signs
 * — this session's operator, offered — then as which of the roles still unsigned.
 */
export async function signoff(ctx: FlowContext, phase: Phase): Promise<FlowEnd> {
  if (!phase.signoff.length) return cancelled(ctx, `"${phase.title}" has no sign-off roles`);
  const roles = missingSignoffs(phase, ctx.engine.state);
  if (!roles.length) {
    ctx.tell(`"${phase.title}" is already signed off by every role`);
    return 'done';
  }
  const typed: string[] = [];
  const stop = () => cancelled(ctx, 'cancelled: not signed off');
  const answers = await askReasons(ctx, ctx.engine.signoffGates(phase.id), { phase: phase.id }, typed);
  if (!answers) return stop();
  // In a team run the signer is this session's operator: nobody signs for someone else.
  const name =
    ctx.engine.signsAs ??
    (await askText(
      ctx,
      { q: 'signer', phase: phase.id },
      `Sign off "${phase.title}": your name?`,
      { initial: ctx.operator, validate: requireText('the name') },
      typed,
    ));
  if (name === null) return stop();
  const role = await ctx.ask.choice(
    { q: 'role', phase: phase.id },
    `Sign off "${phase.title}" as which role?`,
    roles.map((r) => ({ label: r, value: r })),
  );
  if (role === null) return stop();
  await ctx.engine.signoff(phase.id, name, role, answers);
  settle(ctx, typed);
  ctx.tell(`"${phase.title}" signed off by ${name.trim()} (${role})`, 'ok');
  return 'done';
}

/** `R`: switch to the rollback track, saying why. 'done' when the run is on it. */
export async function rollback(ctx: FlowContext): Promise<FlowEnd> {
  const { engine } = ctx;
  if (!engine.checklist.rollback) return cancelled(ctx, 'this checklist has no rollback track', 'error');
  if (engine.state.track === 'rollback') return 'done';
  const typed: string[] = [];
  const reason = await askText(
    ctx,
    { q: 'rollback' },
    'Switch to the ROLLBACK track: why?',
    { validate: requireText('the reason'), placeholder: 'reason (recorded)' },
    typed,
  );
  if (reason === null) return cancelled(ctx, 'cancelled: still on the main track');
  await engine.startRollback(reason);
  settle(ctx, typed);
  ctx.tell('rollback track started', 'ok');
  return 'done';
}

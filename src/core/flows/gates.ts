// The engine's gates (core/policy.ts), asked through the Ask port. Reasons come before values and
// confirmations everywhere: first why (recorded as an override), then what, then "run this?".
import type { Gate } from '../policy.js';
import { requireText } from './ask.js';
import { askText, type FlowContext } from './context.js';

export interface GateAnswers {
  confirmed: boolean;
  reason?: string;
}

/** The reason gates, in order; null when one goes unanswered. */
export async function askReasons(
  ctx: FlowContext,
  gates: readonly Gate[],
  where: { item?: string; phase?: string },
  typed: string[],
): Promise<GateAnswers | null> {
  const answers: GateAnswers = { confirmed: false };
  for (const g of gates) {
    if (g.kind !== 'reason') continue;
    const r = await askText(
      ctx,
      { q: 'reason', override: g.override, ...where },
      g.message,
      { validate: requireText('the reason'), placeholder: 'reason (recorded as an override)' },
      typed,
    );
    if (r === null) return null;
    answers.reason = answers.reason ? `${answers.reason}; ${r.trim()}` : r.trim();
  }
  return answers;
}

/** The confirm gates of an item; `detail` is exactly what a yes runs. false when declined. */
export async function askConfirms(ctx: FlowContext, gates: readonly Gate[], item: string, detail?: string): Promise<boolean> {
  for (const g of gates) {
    if (g.kind !== 'confirm') continue;
    if (!(await ctx.ask.confirm({ q: 'confirm', item, again: g.again === true }, g.message, detail))) return false;
  }
  return true;
}

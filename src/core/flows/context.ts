// What a flow works with: the engine, the Ask port, a way to tell the operator how it went, and
// the drafts of answers typed before a cancel (Esc on a later question keeps them for next time).
import type { RunEngine } from '../engine.js';
import { topicKey, type Ask, type TextOptions, type Topic } from './ask.js';

export type Tone = 'info' | 'ok' | 'error';

export interface FlowContext {
  engine: RunEngine;
  ask: Ask;
  /** The status line (TUI) or the log (headless). */
  tell: (message: string, tone?: Tone) => void;
  /** Checks run at most this many at a time. */
  jobs: number;
  /** This session's operator name. */
  operator: string;
  /** Secret values, masked wherever a question shows a command. */
  secrets: readonly string[];
  /** Text typed into questions of a flow that was then cancelled, by topic. */
  drafts: Map<string, string>;
}

/**
 * How a flow ended. `cancelled`: a question went unanswered (declined, Esc, or no answer in
 * --answers); `failed`/`warned`: what it ran or recorded failed or warned. Refusals (an n/a item,
 * a role already signed) are thrown as UserError.
 */
export type FlowEnd = 'done' | 'cancelled' | 'failed' | 'warned';

/**
 * Asks for text, starting from what was typed last time the same question was cancelled. The
 * draft is kept until the flow that asked it completes (`settle`), so Esc on a later question (the
 * reason after a value) loses nothing typed.
 */
export async function askText(ctx: FlowContext, topic: Topic, message: string, opts: TextOptions, typed: string[]): Promise<string | null> {
  const key = topicKey(topic);
  const draft = ctx.drafts.get(key);
  const answer = await ctx.ask.text(topic, message, draft !== undefined && !opts.mask ? { ...opts, initial: draft } : opts);
  if (answer === null) return null;
  if (!opts.mask) {
    ctx.drafts.set(key, answer);
    typed.push(key);
  }
  return answer;
}

/** The flow completed: what it typed is used, not a draft any more. */
export function settle(ctx: FlowContext, typed: string[]): void {
  for (const k of typed) ctx.drafts.delete(k);
}

/** The flow stops here, having said why (the operator declined, or it cannot go on). */
export function cancelled(ctx: FlowContext, message: string, tone?: Tone): FlowEnd {
  ctx.tell(message, tone);
  return 'cancelled';
}

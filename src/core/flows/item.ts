// What a person does to one item: Enter (act: run, tick or record, by its kind), Space (tick or
// untick), skip, note, accept. Each flow asks its questions through the Ask port in one order —
// the reason first (recorded as an override), then the value, then "run this?" — and then calls
// the engine, which records the answer durably before the flow says it is done.
import type { Item } from '../model.js';
import { asksOf, enterOf, isAutomated } from '../kinds.js';
import type { ItemResult } from '../events.js';
import { itemState } from '../policy.js';
import { validateRecord } from '../record.js';
import { describeAction } from '../describe.js';
import { redact } from '../redact.js';
import { seconds } from '../duration.js';
import { safeLine } from '../safe-text.js';
import { requireText, type Topic } from './ask.js';
import { askText, cancelled, settle, type FlowContext, type FlowEnd } from './context.js';
import { askConfirms, askReasons } from './gates.js';
import { resolveInterrupted } from './resolve.js';

export function resultLine(item: Item, r: ItemResult): string {
  const exit = r.exitCode !== undefined && r.exitCode !== null && !r.summary.includes(`exit ${r.exitCode}`) ? ` · exit ${r.exitCode}` : '';
  const verdict = r.ok ? 'passed' : r.verdict === 'warn' ? 'warning' : 'failed';
  return `${item.title}: ${verdict} — ${r.summary}${exit} · ${seconds(r.durationMs)}`;
}

/** Enter: whatever the item's kind calls for. */
export async function act(ctx: FlowContext, item: Item): Promise<FlowEnd> {
  switch (enterOf(item)) {
    case 'tick':
      return tick(ctx, item, false);
    case 'record':
      return record(ctx, item);
    case 'run':
      return launch(ctx, item);
  }
}

/** Runs an automated item, asking first what it needs; resolves when it has ended. */
export async function launch(ctx: FlowContext, item: Item): Promise<FlowEnd> {
  const { engine } = ctx;
  if (!isAutomated(item)) return act(ctx, item);
  // Started in another operator's session (a team run): theirs to finish or to stop.
  const st = itemState(engine.state, item.id);
  if (st.status === 'running' && !engine.running().includes(item.id) && !engine.pending().includes(item.id)) {
    const who = st.startedBy ? `${safeLine(st.startedBy.name)}'s session on ${safeLine(st.startedBy.host)}` : 'another session';
    return cancelled(ctx, `"${item.title}" is running in ${who}: it cannot be started here`, 'error');
  }
  // Reserved while its questions are asked: Enter again is refused, Ctrl-C means it never starts.
  if (!engine.reserve(item.id)) return cancelled(ctx, `"${item.title}" is already running (Ctrl-C stops it)`);
  try {
    return await askAndRun(ctx, item);
  } finally {
    engine.release(item.id);
  }
}

async function askAndRun(ctx: FlowContext, item: Item): Promise<FlowEnd> {
  const { engine } = ctx;
  const typed: string[] = [];
  let gates = engine.gates(item.id);
  const resolve = gates.find((g) => g.kind === 'resolve');
  if (resolve) {
    const outcome = await resolveInterrupted(ctx, item, resolve.message, typed);
    if (outcome === null) return 'cancelled';
    if (outcome !== 'rerun') {
      settle(ctx, typed);
      return outcome === 'failed' ? 'failed' : 'done';
    }
    gates = engine.gates(item.id);
  }
  const answers = await askReasons(ctx, gates, { item: item.id }, typed);
  if (!answers || !(await askVars(ctx, item, typed))) return cancelled(ctx, 'cancelled: nothing ran');
  // A yes runs exactly this: the command or request after substitution (values just given
  // included), secrets masked, as `plan` says it.
  if (!(await askConfirms(ctx, gates, item.id, redact(describeAction(engine.filled(item.id)), ctx.secrets))))
    return cancelled(ctx, 'cancelled: nothing ran');
  settle(ctx, typed);
  if (engine.stopRequested(item.id)) return cancelled(ctx, `"${item.title}" was stopped before it started: nothing ran`);
  ctx.tell(`running "${item.title}"… (Ctrl-C stops it)`);
  const r = await engine.runItem(item.id, { ...answers, confirmed: true });
  if (itemState(engine.state, item.id).status === 'interrupted') {
    ctx.tell(`"${item.title}" was interrupted: its outcome is asked on resume`, 'error');
    return 'failed';
  }
  ctx.tell(resultLine(item, r), r.ok ? 'ok' : 'error');
  return r.ok ? 'done' : r.verdict === 'warn' ? 'warned' : 'failed';
}

/**
 * Vars declared without a value that the item uses: asked one by one, each recorded durably
 * (secrets only kept in memory) before anything runs. false: unanswered.
 */
async function askVars(ctx: FlowContext, item: Item, typed: string[]): Promise<boolean> {
  for (const name of ctx.engine.missingVars(item.id)) {
    const secret = ctx.engine.isSecretVar(name);
    const value = await askText(
      ctx,
      { q: 'var', item: item.id, name, secret },
      `\${${name}} for "${item.title}": this run has no value for it yet${secret ? ' (a secret: not saved, asked again after a resume)' : ' (recorded in the run, used by later items too)'}`,
      { validate: requireText(name), placeholder: `value of ${name}`, mask: secret },
      typed,
    );
    if (value === null) return false;
    await ctx.engine.setVar(name, value.trim());
  }
  return true;
}

/** Enter (or Space, `toggle`) on a manual item. */
export async function tick(ctx: FlowContext, item: Item, toggle: boolean): Promise<FlowEnd> {
  const { engine } = ctx;
  if (enterOf(item) !== 'tick')
    return cancelled(
      ctx,
      `"${item.title}" is not a manual item: ${enterOf(item) === 'record' ? 'Enter records a value' : 'Enter runs it'}`,
    );
  if (itemState(engine.state, item.id).status === 'ticked') {
    if (!toggle) {
      ctx.tell(`"${item.title}" is already ticked (Space unticks)`);
      return 'done';
    }
    await engine.untick(item.id);
    ctx.tell(`unticked "${item.title}"`);
    return 'done';
  }
  const typed: string[] = [];
  const answers = await askReasons(ctx, engine.gates(item.id), { item: item.id }, typed);
  if (!answers) return cancelled(ctx, 'cancelled: not ticked');
  await engine.tick(item.id, answers);
  settle(ctx, typed);
  ctx.tell(`ticked "${item.title}"`, 'ok');
  return 'done';
}

/** A record item: the reason first (if working out of order), then the value. */
export async function record(ctx: FlowContext, item: Item): Promise<FlowEnd> {
  const a = item.action;
  if (a.kind !== 'record') return cancelled(ctx, `"${item.title}" does not take a recorded value`);
  // gates() refuses an n/a item, or one waiting on its choice, before anything is asked.
  const typed: string[] = [];
  const answers = await askReasons(ctx, ctx.engine.gates(item.id), { item: item.id }, typed);
  if (!answers) return cancelled(ctx, 'cancelled: nothing recorded');
  const topic = { q: 'record', item: item.id } as const;
  const asks = asksOf(item);
  let raw: string | null;
  if (asks.kind === 'choice')
    raw = await ctx.ask.choice(
      topic,
      `${item.title}:`,
      asks.options.map((o) => ({ label: o, value: o })),
    );
  else {
    const hint = asks.kind === 'value' ? asks.hint : 'text';
    raw = await askText(
      ctx,
      topic,
      `${item.title} (${hint}):`,
      {
        placeholder: hint,
        validate: (t) => {
          const v = validateRecord(a, t);
          return 'error' in v ? v.error : null;
        },
      },
      typed,
    );
  }
  if (raw === null) return cancelled(ctx, 'cancelled: nothing recorded');
  await ctx.engine.record(item.id, raw, answers);
  settle(ctx, typed);
  const st = itemState(ctx.engine.state, item.id);
  ctx.tell(`recorded ${String(st.value)}${st.unit ? ` ${st.unit}` : ''} for "${item.title}"`, 'ok');
  return 'done';
}

export async function skip(ctx: FlowContext, item: Item): Promise<FlowEnd> {
  const typed: string[] = [];
  const reason = await askText(
    ctx,
    { q: 'skip', item: item.id },
    `Skip "${item.title}": why?`,
    { validate: requireText('the reason'), placeholder: 'reason' },
    typed,
  );
  if (reason === null) return cancelled(ctx, 'cancelled: not skipped');
  await ctx.engine.skip(item.id, reason);
  settle(ctx, typed);
  ctx.tell(`skipped "${item.title}"`, 'ok');
  return 'done';
}

export async function note(ctx: FlowContext, item: Item | undefined): Promise<FlowEnd> {
  const typed: string[] = [];
  const text = await askText(
    ctx,
    { q: 'note', ...(item ? { item: item.id } : {}) },
    item ? `Note on "${item.title}":` : 'Note on the run:',
    { validate: requireText('the note') },
    typed,
  );
  if (text === null) return cancelled(ctx, 'cancelled: no note added');
  await ctx.engine.note(text, item?.id);
  settle(ctx, typed);
  ctx.tell('note added', 'ok');
  return 'done';
}

/** Accepting a failure, or acknowledging a warning, with a reason (an override). */
export async function accept(ctx: FlowContext, item: Item): Promise<FlowEnd> {
  const st = itemState(ctx.engine.state, item.id).status;
  if (st !== 'failed' && st !== 'warn') return cancelled(ctx, `"${item.title}" is ${st}: only a failed or warning item can be accepted`);
  const typed: string[] = [];
  const reason = await askText(
    ctx,
    { q: 'accept', item: item.id },
    `Accept ${st === 'warn' ? 'the warning of' : 'the failure of'} "${item.title}": why? (recorded as an override)`,
    { validate: requireText('the reason') },
    typed,
  );
  if (reason === null) return cancelled(ctx, 'cancelled: not accepted');
  await ctx.engine.accept(item.id, reason);
  settle(ctx, typed);
  ctx.tell(`accepted "${item.title}" (override recorded)`, 'ok');
  return 'done';
}

/**
 * The questions Enter on `item` would ask now, in the order act() asks them, without asking
 * anything: what headless lists for items after the first one that waits for a person. After
 * an interrupted action's question nothing more is listed (what follows depends on the answer).
 * Refuses (UserError) as act() would: an n/a item, one waiting on its choice.
 */
export function questionsFor(engine: FlowContext['engine'], item: Item): { topic: Topic; message: string }[] {
  const gates = engine.gates(item.id);
  const out: { topic: Topic; message: string }[] = [];
  const resolve = gates.find((g) => g.kind === 'resolve');
  if (resolve) return [{ topic: { q: 'resolve', item: item.id }, message: resolve.message }];
  for (const g of gates)
    if (g.kind === 'reason') out.push({ topic: { q: 'reason', override: g.override, item: item.id }, message: g.message });
  if (enterOf(item) === 'record') out.push({ topic: { q: 'record', item: item.id }, message: item.title });
  if (!isAutomated(item)) return out;
  for (const name of engine.missingVars(item.id))
    out.push({ topic: { q: 'var', item: item.id, name, secret: engine.isSecretVar(name) }, message: name });
  for (const g of gates)
    if (g.kind === 'confirm') out.push({ topic: { q: 'confirm', item: item.id, again: g.again === true }, message: g.message });
  return out;
}

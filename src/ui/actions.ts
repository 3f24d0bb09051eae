// What each key does to the run, as async flows: ask the engine's gates in order through the
// dialogs, then call the engine. Refusals (UserError) and cancellations end up in the status
// line; nothing here throws into React. Commands run in the background so keys keep working.
import type { Item } from '../core/model.js';
import { isCheck } from '../core/model.js';
import type { Gate } from '../core/policy.js';
import { itemState } from '../core/policy.js';
import { appliesNow } from '../core/state.js';
import type { ItemResult } from '../core/events.js';
import { validateRecord } from '../core/record.js';
import { requireText, type Asker } from './dialogs.js';
import { seconds } from './text.js';
import { describeAction } from '../core/describe.js';
import { redact } from '../core/redact.js';
import { askResolution } from './resolve.js';
import type { ActionContext } from './action-context.js';

export type { ActionContext, Tone } from './action-context.js';

type Answers = { confirmed: boolean; reason?: string };

/** Asks confirm and reason gates in order; null when the operator declines or cancels. */
export async function answerGates(ask: Asker, gates: Gate[], what?: string): Promise<Answers | null> {
  const answers: Answers = { confirmed: false };
  for (const g of gates) {
    if (g.kind === 'confirm') {
      if (!(await ask.confirm(g.message, what))) return null;
      answers.confirmed = true;
    } else if (g.kind === 'reason') {
      const r = await ask.text(g.message, { validate: requireText('the reason'), placeholder: 'reason (recorded as an override)' });
      if (r === null) return null;
      answers.reason = answers.reason ? `${answers.reason}; ${r.trim()}` : r.trim();
    }
  }
  return answers;
}

/** Runs a flow, turning refusals into a status line. */
export async function guarded(ctx: ActionContext, flow: () => Promise<void>): Promise<void> {
  try {
    await flow();
  } catch (err) {
    ctx.status((err as Error).message, 'error');
  }
}

export function resultLine(item: Item, r: ItemResult): string {
  const exit = r.exitCode !== undefined && r.exitCode !== null && !r.summary.includes(`exit ${r.exitCode}`) ? ` · exit ${r.exitCode}` : '';
  const verdict = r.ok ? 'passed' : r.verdict === 'warn' ? 'warning' : 'failed';
  return `${item.title}: ${verdict} — ${r.summary}${exit} · ${seconds(r.durationMs)}`;
}

/** Enter: whatever the item's kind calls for. */
export async function act(ctx: ActionContext, item: Item): Promise<void> {
  const k = item.action.kind;
  if (k === 'manual') return tickFlow(ctx, item, false);
  if (k === 'record') return recordFlow(ctx, item);
  return runFlow(ctx, item);
}

export async function runFlow(ctx: ActionContext, item: Item): Promise<void> {
  const { engine } = ctx;
  if (item.action.kind === 'manual' || item.action.kind === 'record') return act(ctx, item);
  // Reserved while its questions are asked: Enter again is refused, Ctrl-C means it never starts.
  if (!engine.reserve(item.id)) return ctx.status(`"${item.title}" is already running (Ctrl-C stops it)`);
  try {
    await launch(ctx, item);
  } finally {
    engine.release(item.id);
  }
}

async function launch(ctx: ActionContext, item: Item): Promise<void> {
  const { engine, ask } = ctx;
  let gates = engine.gates(item.id);
  if (gates.some((g) => g.kind === 'resolve')) {
    const resolve = gates.find((g) => g.kind === 'resolve')!;
    const outcome = await askResolution(ctx, item, resolve.message);
    if (outcome === null)
      return ctx.status(
        engine.keptProcess(item.id)?.status.state === 'running' ? `"${item.title}" is still running: asked again next time` : 'cancelled',
      );
    const reason = await ask.text('How do you know? (recorded with the answer)', { validate: requireText('the reason') });
    if (reason === null) return ctx.status('cancelled');
    await engine.resolve(item.id, outcome, reason);
    if (outcome !== 'rerun') return ctx.status(`"${item.title}" recorded as ${outcome}`, 'ok');
    gates = engine.gates(item.id);
  }
  if (!(await askVars(ctx, item))) return ctx.status('cancelled: nothing ran');
  // A yes runs exactly this: the command or request after substitution (values just given
  // included), secrets masked, as `plan` says it.
  const answers = await answerGates(ask, gates, redact(describeAction(engine.filled(item.id)), ctx.secrets));
  if (!answers) return ctx.status('cancelled: nothing ran');
  if (engine.stopRequested(item.id)) return ctx.status(`"${item.title}" was stopped before it started: nothing ran`);
  ctx.status(`running "${item.title}"… (Ctrl-C stops it)`);
  // Not awaited by the key handler: the UI stays live while the item runs.
  void engine
    .runItem(item.id, { ...answers, confirmed: true })
    .then((r) =>
      itemState(engine.state, item.id).status === 'interrupted'
        ? ctx.status(`"${item.title}" was interrupted: its outcome is asked on resume`, 'error')
        : ctx.status(resultLine(item, r), r.ok ? 'ok' : 'error'),
    )
    .catch((err: Error) => ctx.status(err.message, 'error'));
}

/**
 * Vars declared without a value that the item uses: asked one by one, each recorded durably
 * (secrets only kept in memory) before anything runs. false: the operator cancelled.
 */
async function askVars(ctx: ActionContext, item: Item): Promise<boolean> {
  for (const name of ctx.engine.missingVars(item.id)) {
    const secret = ctx.engine.isSecretVar(name);
    const value = await ctx.ask.text(
      `\${${name}} for "${item.title}": this run has no value for it yet${secret ? ' (a secret: not saved, asked again after a resume)' : ' (recorded in the run, used by later items too)'}`,
      {
        validate: requireText(name),
        placeholder: `value of ${name}`,
        mask: secret,
      },
    );
    if (value === null) return false;
    await ctx.engine.setVar(name, value.trim());
  }
  return true;
}

export async function tickFlow(ctx: ActionContext, item: Item, toggle: boolean): Promise<void> {
  const { engine } = ctx;
  if (item.action.kind !== 'manual')
    return ctx.status(`"${item.title}" is not a manual item: ${item.action.kind === 'record' ? 'Enter records a value' : 'Enter runs it'}`);
  if (itemState(engine.state, item.id).status === 'ticked') {
    if (!toggle) return ctx.status(`"${item.title}" is already ticked (Space unticks)`);
    await engine.untick(item.id);
    return ctx.status(`unticked "${item.title}"`);
  }
  const answers = await answerGates(ctx.ask, engine.gates(item.id));
  if (!answers) return ctx.status('cancelled: not ticked');
  await engine.tick(item.id, answers);
  ctx.status(`ticked "${item.title}"`, 'ok');
}

export async function recordFlow(ctx: ActionContext, item: Item): Promise<void> {
  const a = item.action;
  if (a.kind !== 'record') return ctx.status(`"${item.title}" does not take a recorded value`);
  // Before asking for the value: an n/a item, or one waiting on its choice, takes none.
  ctx.engine.assertApplies(item);
  let raw: string | null;
  if (a.record === 'choice' && a.options?.length) {
    raw = await ctx.ask.choice(
      `${item.title}:`,
      a.options.map((o) => ({ label: o, value: o })),
    );
  } else {
    const hint =
      a.record === 'time'
        ? 'Enter for now, HH:MM or an ISO time'
        : a.record === 'number'
          ? `a number${a.unit ? ` in ${a.unit}` : ''}`
          : 'text';
    raw = await ctx.ask.text(`${item.title} (${hint}):`, {
      placeholder: hint,
      validate: (t) => {
        const v = validateRecord(a, t);
        return 'error' in v ? v.error : null;
      },
    });
  }
  if (raw === null) return ctx.status('cancelled: nothing recorded');
  const answers = await answerGates(ctx.ask, ctx.engine.gates(item.id));
  if (!answers) return ctx.status('cancelled: nothing recorded');
  await ctx.engine.record(item.id, raw, answers);
  const st = itemState(ctx.engine.state, item.id);
  ctx.status(`recorded ${st.value}${st.unit ? ` ${st.unit}` : ''} for "${item.title}"`, 'ok');
}

export async function skipFlow(ctx: ActionContext, item: Item): Promise<void> {
  const reason = await ctx.ask.text(`Skip "${item.title}": why?`, { validate: requireText('the reason'), placeholder: 'reason' });
  if (reason === null) return ctx.status('cancelled: not skipped');
  await ctx.engine.skip(item.id, reason);
  ctx.status(`skipped "${item.title}"`, 'ok');
}

export async function noteFlow(ctx: ActionContext, item: Item | undefined): Promise<void> {
  const text = await ctx.ask.text(item ? `Note on "${item.title}":` : 'Note on the run:', { validate: requireText('the note') });
  if (text === null) return ctx.status('cancelled: no note added');
  await ctx.engine.note(text, item?.id);
  ctx.status('note added', 'ok');
}

export async function acceptFlow(ctx: ActionContext, item: Item): Promise<void> {
  const st = itemState(ctx.engine.state, item.id).status;
  if (st !== 'failed' && st !== 'warn') return ctx.status(`"${item.title}" is ${st}: only a failed or warning item can be accepted`);
  const reason = await ctx.ask.text(
    `Accept ${st === 'warn' ? 'the warning of' : 'the failure of'} "${item.title}": why? (recorded as an override)`,
    { validate: requireText('the reason') },
  );
  if (reason === null) return ctx.status('cancelled: not accepted');
  await ctx.engine.accept(item.id, reason);
  ctx.status(`accepted "${item.title}" (override recorded)`, 'ok');
}

/** `a`: every check of a section, in parallel; actions are never run in bulk. */
export async function runChecksFlow(ctx: ActionContext, sectionItems: Item[]): Promise<void> {
  const { engine } = ctx;
  const running = new Set(engine.running());
  // n/a checks and those waiting on a choice are left out of a bulk run, never an error.
  // Checks needing a var's value are left out too (the engine would): Enter runs each, asking.
  const checks = sectionItems.filter(
    (it) => isCheck(it) && !running.has(it.id) && appliesNow(it, engine.state) && !engine.missingVars(it.id).length,
  );
  // A check whose author asked for a yes (confirm: true) is never run in bulk: Enter runs it, asking.
  const ids = checks.filter((it) => !it.confirm).map((it) => it.id);
  const leftOut = checks.length - ids.length;
  if (!ids.length)
    return ctx.status(
      leftOut
        ? 'the checks here ask for confirmation: run each with Enter'
        : 'no checks to run in this section (actions are never run in bulk)',
    );
  // Checks have no confirm gates; only the out-of-order reason can apply, once for the section.
  const gates = engine.gates(ids[0]).filter((g) => g.kind === 'reason');
  const answers = await answerGates(ctx.ask, gates);
  if (!answers) return ctx.status('cancelled: nothing ran');
  ctx.status(`running ${ids.length} check(s), ${ctx.jobs} at a time…`);
  void engine
    .runChecks(ids, ctx.jobs, { reason: answers.reason })
    .then((results) => {
      const failed = [...results.values()].filter((r) => !r.ok).length;
      const note = leftOut ? ` · ${leftOut} left out: they ask for confirmation, run each with Enter` : '';
      ctx.status(`${results.size} check(s): ${results.size - failed} passed, ${failed} failed${note}`, failed ? 'error' : 'ok');
    })
    .catch((err: Error) => ctx.status(err.message, 'error'));
}

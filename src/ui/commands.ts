// What each command does to the screen and the run: the switch behind every key of keys.ts.
// Flows that ask questions or wait on the engine run in the background (actions.ts).
import { Command } from './keys.js';
import { quit, stop } from '../core/flows/finish.js';
import { helpLines } from './help-lines.js';
import { infoLines } from './info-lines.js';
import { sanitize } from './text.js';
import { comparisonLines, noteLines, snapshotLines } from './detail-lines.js';
import { redact } from '../core/redact.js';
import type { ComparisonRow } from '../core/metrics/compare.js';
import type { CommandHost, View } from './screen-model.js';
import type { PagerLine, PagerState } from './pager.js';
import type { ReferenceSection } from '../core/model.js';
import * as F from '../core/flows/item.js';
import { moveBlockers, movePhase, rollback, signoff } from '../core/flows/phase.js';
import { runChecks } from '../core/flows/checks.js';

const MUTATING = new Set([
  Command.Act,
  Command.Toggle,
  Command.Skip,
  Command.Note,
  Command.Rerun,
  Command.RunChecks,
  Command.Accept,
  Command.Signoff,
  Command.Rollback,
]);
const NEEDS_ITEM = new Set([
  Command.Act,
  Command.Toggle,
  Command.Skip,
  Command.Note,
  Command.Rerun,
  Command.Accept,
  Command.Pager,
  Command.RunChecks,
]);

export function runCommand(c: CommandHost, cmd: Command): void {
  const v = c.view();
  const ctx = c.ctx;
  if (c.p.readOnly && MUTATING.has(cmd)) return ctx.tell('read-only view: this run is open in another process', 'error');
  if (!v.item && NEEDS_ITEM.has(cmd))
    return ctx.tell(c.filter ? 'no item matches the filter (/ then Enter on empty clears it)' : 'this phase has no items');
  const item = v.item!;
  switch (cmd) {
    case Command.Up:
      return c.setCursor(v, v.cursor - 1);
    case Command.Down:
      return c.setCursor(v, v.cursor + 1);
    case Command.PrevPhase:
      return c.setPhase(c.phaseIdx - 1);
    case Command.NextPhase: {
      const to = c.phaseIdx + 1;
      if (to >= c.phases.length) return;
      // A free move happens now, not after an await: the next key typed ahead (`l l l`) reads
      // c.phaseIdx and must see this move, or it would compute the same target again.
      if (!moveBlockers(ctx, c.phases[to]).length) return c.setPhase(to);
      return c.flow(async () => {
        if ((await movePhase(ctx, c.phases[to])) === 'done') c.setPhase(to);
      });
    }
    case Command.Act:
      return c.flow(() => F.act(ctx, item));
    case Command.Rerun:
      return c.flow(() => F.act(ctx, item));
    case Command.Toggle:
      return c.flow(() => F.tick(ctx, item, true));
    case Command.Skip:
      return c.flow(() => F.skip(ctx, item));
    case Command.Note:
      return c.flow(() => F.note(ctx, item));
    case Command.Accept:
      return c.flow(() => F.accept(ctx, item));
    case Command.RunChecks:
      return c.flow(() => runChecks(ctx, v.section?.items ?? []));
    case Command.Signoff:
      return c.flow(() => signoff(ctx, v.phase));
    case Command.Rollback:
      return c.flow(async () => {
        if ((await rollback(ctx)) === 'done') c.setPhase(c.phases.length - 1);
      });
    case Command.Filter:
      return c.flow(async () => {
        const f = await c.dialogs.ask.text('Filter items by text (empty clears):', { initial: c.filter });
        if (f === null) return;
        c.setFilter(f.trim());
        ctx.tell(c.filter ? `filter: "${c.filter}"` : 'filter cleared');
      });
    case Command.Pager:
      return c.flow(async () => c.setOverlay(await outputPager(c, v)));
    case Command.Help:
      return c.setOverlay({
        title: 'runsheet help',
        lines: helpLines({
          runId: c.p.runId,
          warnings: c.p.warnings,
          readOnly: c.p.readOnly,
          width: c.overlayWidth,
          reference: c.p.engine.checklist.reference.map((r) => sanitize(r.title)),
        }),
        top: 0,
        closeKeys: ['?'],
      });
    case Command.Reference: {
      const ref = c.p.engine.checklist.reference;
      if (!ref.length) return ctx.tell('this checklist has no reference sections');
      return c.setOverlay({
        title: 'reference (reading only, never run)',
        lines: referenceLines(ref, c.overlayWidth, c.p.secrets),
        top: 0,
        closeKeys: ['d'],
      });
    }
    case Command.Info:
      return c.setOverlay({
        title: 'run info',
        lines: infoLines({
          runId: c.p.runId,
          state: c.p.engine.state,
          env: c.p.env,
          operator: c.p.operator,
          runDir: c.p.runDir,
          warnings: c.p.warnings,
          readOnly: c.p.readOnly,
          width: c.overlayWidth,
        }),
        top: 0,
        closeKeys: ['i'],
      });
    case Command.Stop:
      return stop(ctx, v.item?.id);
    case Command.Quit:
      return c.flow(async () => {
        const how = await quit(ctx);
        if (!how) return;
        // The last frame stays on the terminal: make it say how to come back.
        ctx.tell(
          how === 'done' ? `run finished · report: runsheet report ${c.p.runId}` : `saved · resume with: runsheet resume ${c.p.runId}`,
          'ok',
        );
        // Let that frame reach the terminal before Ink unmounts (Ink throttles redraws).
        await new Promise((r) => setTimeout(r, 50));
        c.p.onExit(how);
      });
  }
}

/** `d`: every reference section in full, tables drawn to the width. */
function referenceLines(ref: readonly ReferenceSection[], width: number, secrets: readonly string[]): PagerLine[] {
  const out: PagerLine[] = [];
  ref.forEach((r, n) => {
    if (n) out.push({ text: '' });
    out.push({ text: `${n + 1}. ${sanitize(redact(r.title, secrets))}`, style: { bold: true } });
    for (const l of noteLines(sanitize(redact(r.notes, secrets)), Math.max(10, width), {})) out.push(l);
  });
  return out;
}

/** `o`: the item's notes in full, then its whole output (the live tail while it runs); a comparison's full table. */
async function outputPager(c: CommandHost, v: View): Promise<PagerState> {
  const item = v.item!;
  const { engine } = c.p;
  const live = engine.live.get(item.id);
  const running = v.st?.status === 'running' && live;
  const text = running ? live.tail.text() : await c.p.readFullOutput(item.id);
  // Logs and the live tail are redacted as they are written; mask again, in depth.
  const lines = sanitize(redact(text, c.p.secrets).replace(/\r\n/g, '\n')).split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  // A comparison's output is its table: the whole of it, which the detail pane cuts short.
  const cmp = running ? undefined : [...engine.state.comparisons].reverse().find((x) => x.item === item.id);
  // A snapshot's output is its values (metric, value with unit, source), not just a count.
  const snap = running || item.action.kind !== 'snapshot' ? undefined : snapshotLines(v.st?.result?.detail);
  const tableLines = cmp ? comparisonLines(cmp.rows as ComparisonRow[], cmp.status) : snap;
  const table = tableLines ? [...tableLines, { text: '' }] : [];
  // The item's notes in full (the detail pane shows what fits), tables drawn to the width.
  const notes = item.notes
    ? [
        { text: 'notes', style: { bold: true } },
        ...noteLines(sanitize(redact(item.notes, c.p.secrets)), Math.max(10, c.overlayWidth), {}),
        { text: '' },
      ]
    : [];
  const ranYet = running || !!v.st?.result;
  return {
    title: `output of ${item.title}${running ? ' (so far)' : ''}`,
    lines: [...notes, ...table, ...lines.map((t) => ({ text: t }))],
    top: tableLines || !ranYet ? 0 : Infinity,
  };
}

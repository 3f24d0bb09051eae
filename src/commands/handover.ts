// `runsheet handover RUN_ID --to NAME`: the run goes on in another operator's session. Recorded
// as an event (who handed it to whom, from which host, why), so the report shows the hand-over
// and the next session — `runsheet resume RUN_ID --operator NAME`, or NAME's own `join` — picks
// the run up as its operator.
import { UserError } from '../core/errors.js';
import { checkRunId } from '../core/run-id.js';
import { safeLine } from '../core/safe-text.js';
import { openBackend } from '../adapters/store.js';
import { operatorName } from './session.js';
import type { CliIo } from './io.js';

export interface HandoverOptions {
  to?: string;
  note?: string;
  operator?: string;
  store?: string;
}

export async function handoverCommand(runId: string, opts: HandoverOptions, io: CliIo): Promise<number> {
  checkRunId(runId);
  const to = opts.to?.trim();
  if (!to) throw new UserError('name who takes the run over: runsheet handover RUN_ID --to NAME');
  const from = operatorName(io, opts.operator);
  const backend = await openBackend(io, opts.store);
  try {
    const run = await backend.open(runId, { operator: from });
    try {
      if (run.readOnly)
        throw new UserError(
          `${runId}: ${run.warnings.join(' · ') || 'the run is open in another session'}: hand over from that session, or quit it first`,
        );
      if (run.state.status === 'finished' || run.state.status === 'abandoned')
        throw new UserError(`run ${runId} is ${run.state.status}: there is nothing left to hand over`);
      if (to === run.state.operator) throw new UserError(`${to} is already this run's operator`);
      await run.append({
        type: 'handover',
        from: run.state.operator || from,
        to,
        ...(opts.note?.trim() ? { note: opts.note.trim() } : {}),
      });
      io.stdout(`${runId}: handed over to ${safeLine(to)}; they continue with: runsheet resume ${runId} --operator ${safeLine(to)}\n`);
      return 0;
    } finally {
      await run.close();
    }
  } finally {
    await backend.close();
  }
}

// A run directory with a long history, written the way runsheet writes one: each line of
// events.jsonl is the RFC 8785 canonical JSON of an event whose `prev` is the sha256 of the
// previous line (src/core/events.ts makeEvent/hashEvent), so runsheet resumes it as its own.
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import canonicalizeModule from 'canonicalize';

const canonicalize = typeof canonicalizeModule === 'function' ? canonicalizeModule : canonicalizeModule.default;
const sha256 = (s) => createHash('sha256').update(s).digest('hex');

/**
 * Writes $home/runs/<runId>/ for `checklistPath` (whose text is `text`, title `title`) holding
 * exactly `total` events about items `doneIds` (checks get started+passed, manual items ticked,
 * the rest of the history is notes and untick/tick pairs). Returns the run id.
 */
export async function writeBigRun({ home, checklistPath, text, title, doneIds, checkIds, total, operator = 'bench' }) {
  const runId = `20260101-000000-bench-${Math.random().toString(16).slice(2, 6)}`;
  const dir = join(home, 'runs', runId);
  await mkdir(join(dir, 'logs'), { recursive: true, mode: 0o700 });
  await writeFile(join(dir, 'checklist.yaml'), text, { mode: 0o600 });
  const host = hostname();
  let t = Date.now() - total * 100 - 60_000;
  let prevHash = '0'.repeat(64);
  let seq = 0;
  const lines = [];
  const push = (body) => {
    const e = { seq: ++seq, ts: new Date((t += 100)).toISOString(), operator, host, prev: prevHash, ...body };
    const line = canonicalize(e);
    prevHash = sha256(line);
    lines.push(line);
  };
  push({ type: 'run.started', runId, checklist: { path: checklistPath, sha256: sha256(text), title }, env: null, vars: {} });
  const checks = new Set(checkIds);
  const manual = [];
  for (const id of doneIds) {
    if (seq >= total) break;
    if (checks.has(id)) {
      push({ type: 'item.started', item: id, attempt: 1, command: 'true' });
      push({
        type: 'item.passed',
        item: id,
        result: { ok: true, summary: 'exit 0', durationMs: 7, exitCode: 0, signal: null, timedOut: false },
      });
    } else {
      push({ type: 'item.ticked', item: id });
      manual.push(id);
    }
  }
  // The rest of a long window's history: notes, and items unticked and ticked again.
  for (let k = 0; seq < total; k++) {
    const id = manual[k % manual.length];
    if (k % 3 === 0 || seq + 2 > total) push({ type: 'note', item: id, text: `note ${k}: looked at the dashboards, all quiet` });
    else {
      push({ type: 'item.unticked', item: id });
      push({ type: 'item.ticked', item: id });
    }
  }
  await writeFile(join(dir, 'events.jsonl'), lines.join('\n') + '\n', { mode: 0o600 });
  return { runId, dir, eventsPath: join(dir, 'events.jsonl') };
}

// One-line descriptions of items, shared by `plan`, the TUI detail pane, headless output and
// reports so every front end says the same thing about the same item.
import type { Item } from './model.js';
import { isCheck } from './model.js';
import { formatDuration } from './duration.js';

/** Short kind label: action, check, manual, record, snapshot, compare. */
export function kindLabel(item: Item): string {
  const k = item.action.kind;
  if (k === 'run' || k === 'http') return isCheck(item) ? 'check' : 'action';
  if (k === 'require_env') return 'check';
  return k;
}

/** The exact thing runsheet will do, after variable substitution (callers redact secrets). */
export function describeAction(item: Item): string {
  const a = item.action;
  switch (a.kind) {
    case 'manual':
      return 'manual: tick when done';
    case 'run': {
      const exp = [
        a.expect.exit !== 0 ? `exit ${a.expect.exit}` : '',
        a.expect.stdout_contains ? `stdout contains ${JSON.stringify(a.expect.stdout_contains)}` : '',
        a.expect.stdout_matches ? `stdout ~ /${a.expect.stdout_matches}/` : '',
        a.expect.stderr_matches ? `stderr ~ /${a.expect.stderr_matches}/` : '',
      ].filter(Boolean);
      return `$ ${a.command}${exp.length ? `  [expect ${exp.join(', ')}]` : ''}${item.cwd ? `  (in ${item.cwd})` : ''}`;
    }
    case 'http': {
      const h = a.http;
      const exp = [
        h.status ? `status ${h.status}` : 'status 2xx',
        ...Object.entries(h.json ?? {}).map(([k, v]) => `${k}=${JSON.stringify(v)}`),
        h.body_contains ? `body contains ${JSON.stringify(h.body_contains)}` : '',
        h.max_ms ? `≤ ${h.max_ms}ms` : '',
      ].filter(Boolean);
      return `${h.method} ${h.url}  [expect ${exp.join(', ')}]${item.retries ? `  (retries ${item.retries}, every ${formatDuration(item.retryDelayMs)})` : ''}`;
    }
    case 'require_env':
      return `require env: ${a.names.join(', ')} (set, non-empty, not a placeholder)`;
    case 'record':
      return `record ${a.record}${a.unit ? ` (${a.unit})` : ''}${a.options ? `: ${a.options.join(' / ')}` : ''}`;
    case 'snapshot':
      return `snapshot metrics as "${a.label}"${a.metrics ? `: ${a.metrics.join(', ')}` : ' (all metrics)'}`;
    case 'compare':
      return `compare "${a.label}" against "${a.baseline}"${a.metrics ? `: ${a.metrics.join(', ')}` : ''}${a.watch ? ` every ${formatDuration(a.watch.everyMs)} for ${formatDuration(a.watch.forMs)}` : ''}`;
  }
}

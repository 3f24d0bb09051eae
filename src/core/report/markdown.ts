// The human report: the paper sign-off page from the old runbooks, filled in. Built only from
// the (already redacted) statement, so it can never say more than the signed JSON does.
import type { DeploymentReportPredicate, ReportItem, Statement } from './predicate.js';

export interface MarkdownSigner {
  keyid: string;
  name?: string;
}

export interface MarkdownOptions {
  /** hex sha256 of the signed payload. */
  reportSha256: string;
  signers: MarkdownSigner[];
  /** Where the signed JSON envelope lives, for the verify hint; omitted when unsigned. */
  envelopePath?: string;
}

/** Table cell text: one line, pipes escaped. */
function cell(v: unknown): string {
  if (v === null || v === undefined || v === '') return '–';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

export function formatDuration(ms: number | null): string {
  if (ms === null) return '–';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  return `${Math.floor(m / 60)}h ${m % 60}m`;
}

const MARK: Record<string, string> = { passed: 'x', ticked: 'x', recorded: 'x', skipped: '-', 'n/a': '-', overridden: '!', failed: ' ', pending: ' ', running: ' ', interrupted: ' ' };

function runDuration(p: DeploymentReportPredicate): number | null {
  return p.finished_at ? Date.parse(p.finished_at) - Date.parse(p.started_at) : null;
}

function table(head: string[], rows: unknown[][]): string[] {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)];
}

function itemLine(i: ReportItem): string {
  const bits = [i.status.toUpperCase()];
  if (i.result) bits.push(i.result);
  if (i.value !== null) bits.push(`${i.value}${i.unit ? ' ' + i.unit : ''}`);
  if (i.attempts > 1) bits.push(`${i.attempts} attempts`);
  if (i.reason) bits.push(`reason: ${i.reason}`);
  return `- [${MARK[i.status] ?? ' '}] ${cell(i.title)} (\`${i.id}\`) — ${cell(bits.join(' · '))}`;
}

const FIRST_COLUMNS = ['metric', 'id', 'title', 'name', 'unit', 'baseline', 'current', 'change', 'delta', 'status', 'verdict'];

function comparisonRows(rows: unknown[]): string[] {
  const objs = rows.filter((r): r is Record<string, unknown> => !!r && typeof r === 'object' && !Array.isArray(r));
  if (!objs.length) return rows.length ? rows.map((r) => `- ${cell(r)}`) : ['No metrics.'];
  // The signed JSON has sorted keys; put the columns a reader looks for first back in front.
  const all = [...new Set(objs.flatMap((o) => Object.keys(o)))];
  const cols = [...FIRST_COLUMNS.filter((c) => all.includes(c)), ...all.filter((c) => !FIRST_COLUMNS.includes(c))];
  return table(cols, objs.map((o) => cols.map((c) => o[c])));
}

export function renderMarkdown(st: Statement, opts: MarkdownOptions): string {
  const p = st.predicate;
  const s = p.summary;
  const out: string[] = [];
  const outcome = p.status === 'abandoned' ? 'ABANDONED' : (p.outcome ?? p.status).toUpperCase();
  out.push(`# Deployment report — ${p.checklist.title}`, '');
  out.push(
    ...table(['', ''], [
      ['Run', p.run_id],
      ['Checklist', `${p.checklist.file} (sha256 ${p.checklist.sha256.slice(0, 12)}, version ${p.checklist.version})`],
      ['Environment', p.environment],
      ['Operator', `${p.operator}@${p.host}${p.operators.length > 1 ? ` (also: ${p.operators.filter((o) => o !== p.operator).join(', ')})` : ''}`],
      ['Started', p.started_at],
      ['Finished', p.finished_at],
      ['Duration', formatDuration(runDuration(p))],
      ['Outcome', outcome],
      ...st.subject.slice(1).map((x) => ['Subject', `${x.name} sha256:${x.digest.sha256}`]),
    ]),
    '',
  );
  const na = p.items.filter((i) => i.status === 'n/a').length;
  out.push('## Summary', '', `${s.done} of ${s.total} items done: ${s.passed} passed, ${s.ticked} ticked, ${s.recorded} recorded, ${s.skipped} skipped, ${s.overridden} overridden${na ? `, ${na} not applicable` : ''}; ${s.failed} failed, ${s.interrupted} interrupted, ${s.pending + s.running} not done.`, '');

  out.push('## Failures and overrides', '');
  const failed = p.items.filter((i) => i.status === 'failed' || i.status === 'interrupted' || i.status === 'overridden');
  for (const i of failed) out.push(itemLine(i));
  for (const o of p.overrides) out.push(`- Override **${o.kind}**${o.item ? ` on \`${o.item}\`` : ''}${o.phase ? ` in phase \`${o.phase}\`` : ''} by ${cell(o.operator)} at ${o.ts}: ${cell(o.reason)}`);
  if (!failed.length && !p.overrides.length) out.push('None.');
  out.push('');

  out.push('## Phases', '', ...table(['Phase', 'Items', 'Done', 'Failed', 'Started', 'Finished', 'Duration', 'Sign-off'],
    p.phases.map((ph) => [`${ph.title}${ph.rollback && !/rollback/i.test(ph.title) ? ' (rollback)' : ''}`, ph.items, ph.done, ph.failed, ph.started_at, ph.finished_at, formatDuration(ph.duration_ms),
      p.signoffs.filter((x) => x.phase === ph.id).map((x) => `${x.role}: ${x.name}`).join(', ')])), '');

  out.push('## Items', '');
  for (const ph of p.phases) {
    out.push(`### ${cell(ph.title)}`, '', ...p.items.filter((i) => i.phase === ph.id).map(itemLine), '');
  }
  const orphans = p.items.filter((i) => i.phase === null);
  if (orphans.length) out.push('### No longer in the checklist', '', ...orphans.map(itemLine), '');

  out.push('## Metric comparisons', '');
  if (!p.comparisons.length) out.push('None.', '');
  for (const c of p.comparisons) out.push(`### ${cell(c.label)} vs ${cell(c.baseline)} — ${c.status.toUpperCase()}`, '', ...comparisonRows(c.rows), '');
  if (p.snapshots.length) out.push('### Snapshots', '', ...table(['Label', 'File', 'sha256', 'No data'], p.snapshots.map((x) => [x.label, x.file, x.sha256, x.nodata.join(', ')])), '');

  if (p.rollback) out.push('## Rollback', '', `Started ${p.rollback.started_at}: ${cell(p.rollback.reason)}`, '');
  if (p.notes.length) out.push('## Notes', '', ...p.notes.map((n) => `- ${n.ts} ${cell(n.operator)}: ${cell(n.text)}`), '');

  out.push('## Sign-offs', '');
  for (const ph of p.phases) {
    const got = p.signoffs.filter((x) => x.phase === ph.id);
    const missing = ph.signoff_required.filter((r) => !got.some((g) => g.role === r));
    if (!got.length && !missing.length) continue;
    out.push(`### ${cell(ph.title)} Sign-Off`, '');
    for (const g of got) out.push(`- [x] ${cell(g.role)}: ${cell(g.name)} Date: ${g.ts}`);
    for (const r of missing) out.push(`- [ ] ${cell(r)}: _____________________ Date: _____`);
    out.push('');
  }

  out.push('---', '', `Report sha256: \`${opts.reportSha256}\``, '');
  if (opts.signers.length) {
    out.push(`Signed by: ${opts.signers.map((x) => `${x.name ? x.name + ' ' : ''}\`${x.keyid}\``).join(', ')}`, '');
    if (opts.envelopePath) out.push(`Verify: \`runsheet verify ${opts.envelopePath} --key PUBLIC-KEY.pem\``, '');
  } else {
    out.push('UNSIGNED: this report carries no signature and proves nothing by itself.', '');
  }
  out.push(`Generated by ${p.tool.name} ${p.tool.version}.`, '');
  return out.join('\n');
}

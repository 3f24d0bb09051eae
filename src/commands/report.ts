// `runsheet report RUN_ID`: the signed, tamper-evident record of a run — a DSSE envelope around
// an in-toto Statement (json, default) and, beside it, the human report for a change board
// (md, or html: one self-contained page with a timeline and charts that prints to PDF).
import { ensureDir } from '../adapters/ensure-dir.js';
import { openNoFollow, PRIVATE_DIR } from '../adapters/safe-open.js';
import { dirname, join, relative, resolve } from 'node:path';
import { UserError } from '../core/errors.js';
import { sha256Hex } from '../core/events.js';
import { redact, checklistSecrets } from '../core/redact.js';
import type { DsseEnvelope } from '../core/report/dsse.js';
import { encodeBase64, IN_TOTO_PAYLOAD_TYPE, pae, serializeEnvelope } from '../core/report/dsse.js';
import type { Subject } from '../core/report/predicate.js';
import { buildStatement, statementBytes } from '../core/report/statement.js';
import { renderMarkdown } from '../core/report/markdown.js';
import { renderHtml } from '../core/report/html.js';
import type { MetricRules, ReportRenderOptions } from '../core/report/view.js';
import { rulesOf } from '../core/metrics/snapshot.js';
import { loadRunChecklist, type RunData } from '../adapters/run-reader.js';
import { openBackend } from '../adapters/store.js';
import { VERSION } from '../core/version.js';
import type { CliIo } from './io.js';
import { NO_KEY_HINT, resolveSigners, type SigningOptions } from './sign.js';

export interface ReportOptions extends SigningOptions {
  /** Output file; "-" for stdout. Default reports/<run-id>.report.{json,md} under cwd. */
  output?: string;
  format?: string;
  /** NAME=sha256:HEX, repeatable (e.g. the release image digest). */
  subject?: string[];
  unsigned?: boolean;
  /** postgres://… reads the run from that database (default: RUNSHEET_STORE, else local files). */
  store?: string;
}

export function parseSubject(s: string): Subject {
  const m = /^(.+)=sha256:([0-9a-fA-F]{64})$/.exec(s);
  if (!m) throw new UserError(`--subject "${s}": expected NAME=sha256:HEX (64 hex digits), e.g. registry/app@sha256=sha256:…`);
  return { name: m[1], digest: { sha256: m[2].toLowerCase() } };
}

async function writeOut(path: string, text: string, io: CliIo): Promise<void> {
  if (path === '-') {
    io.stdout(text);
    return;
  }
  try {
    // reports/ and the report are the operator's only (0700/0600); a link at the path is refused.
    await ensureDir(dirname(path), PRIVATE_DIR);
    const fh = await openNoFollow(path, 'w');
    try {
      await fh.writeFile(text);
    } finally {
      await fh.close();
    }
  } catch (e) {
    const shown = relative(io.cwd, path);
    throw new UserError(
      `${shown && !shown.startsWith('..') ? shown : path}: cannot write the report (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): choose another -o path`,
    );
  }
}

export async function reportCommand(runId: string, opts: ReportOptions, io: CliIo): Promise<number> {
  const format = opts.format ?? 'json';
  if (format !== 'json' && format !== 'md' && format !== 'html') throw new UserError(`--format "${format}": use json, md or html`);
  const subjects = (opts.subject ?? []).map(parseSubject);
  if (opts.unsigned && (opts.key || opts.sshKey)) throw new UserError('--unsigned cannot be combined with --key or --ssh-key');
  const signers = opts.unsigned ? [] : await resolveSigners(opts, io, true);
  if (!opts.unsigned && signers.length === 0)
    throw new UserError(`no signing key: ${NO_KEY_HINT} (or add --unsigned for an unsigned report)`);

  const run = await readStoredRun(runId, opts.store, io);
  const checklist = loadRunChecklist(run, io.env);
  const secrets = checklistSecrets(checklist, io.env);
  const statement = buildStatement({
    checklist,
    checklistFile: { name: run.checklistName, sha256: run.checklistSha256 },
    state: run.state,
    events: run.events,
    subjects,
    tool: { name: 'runsheet', version: VERSION },
    secrets,
  });
  const payload = statementBytes(statement);
  // Last line of defence: a secret in an object key (not redacted) must stop the report.
  const text = new TextDecoder().decode(payload);
  if (secrets.some((s) => text.includes(s)))
    throw new UserError(
      `refusing to write the report: a secret value is still present after redaction (run ${runId}); report this as a runsheet bug`,
      { exitCode: 1 },
    );

  const bytes = pae(IN_TOTO_PAYLOAD_TYPE, payload);
  const envelope: DsseEnvelope = { payloadType: IN_TOTO_PAYLOAD_TYPE, payload: encodeBase64(payload), signatures: [] };
  for (const s of signers) envelope.signatures.push(await s.sign(bytes));
  const digest = sha256Hex(payload);

  const reports = join(io.cwd, 'reports');
  const jsonPath =
    format === 'json' && opts.output ? (opts.output === '-' ? '-' : resolve(io.cwd, opts.output)) : join(reports, `${runId}.report.json`);
  const envelopeText = serializeEnvelope(envelope);
  await writeOut(jsonPath, envelopeText, io);
  const written = [jsonPath];
  if (format === 'md' || format === 'html') {
    const humanPath = opts.output ? (opts.output === '-' ? '-' : resolve(io.cwd, opts.output)) : join(reports, `${runId}.report.${format}`);
    // Chart tolerance bands need the metric rules, which the statement does not carry.
    const rules: Record<string, MetricRules> = {};
    for (const m of checklist.metrics) rules[m.id] = rulesOf(m);
    const renderOpts: ReportRenderOptions = {
      reportSha256: digest,
      signers: envelope.signatures.map((s) => ({ keyid: s.keyid ?? '' })),
      envelopePath: relative(io.cwd, jsonPath) || jsonPath,
      envelopeSha256: sha256Hex(envelopeText),
      rules,
      reference: checklist.reference.map((r) => ({ title: r.title, notes: redact(r.notes, secrets) })),
    };
    await writeOut(humanPath, format === 'md' ? renderMarkdown(statement, renderOpts) : renderHtml(statement, renderOpts), io);
    written.push(humanPath);
  }
  // Messages go to stderr when the report itself went to stdout.
  const say = written.includes('-') ? io.stderr : io.stdout;
  for (const w of run.warnings) io.stderr(`runsheet: warning: ${w}\n`);
  for (const p of written.filter((w) => w !== '-')) say(`Wrote ${relative(io.cwd, p) || p}\n`);
  say(`Report sha256 ${digest}\n`);
  say(
    envelope.signatures.length
      ? `Signed by ${envelope.signatures.map((s) => s.keyid).join(', ')}\n`
      : 'UNSIGNED (--unsigned): sign it later with `runsheet sign FILE --key KEY`\n',
  );
  return 0;
}

async function readStoredRun(runId: string, store: string | undefined, io: CliIo): Promise<RunData> {
  const backend = await openBackend(io, store);
  try {
    return await backend.readRun(runId);
  } finally {
    await backend.close();
  }
}

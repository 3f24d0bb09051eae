// `runsheet verify REPORT`: checks a report the way an auditor would, offline. Prints
// `VERIFIED <sha256 prefix> signed by …` (exit 0) or `INVALID: <first reason>` (exit 1) and never
// states anything from a report that did not verify. Usage problems exit 2.
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { KeyObject } from 'node:crypto';
import { UserError } from '../core/errors.js';
import { parseTrusted } from '../core/report/trusted.js';
import type { Signer, TrustedKey, VerifyOptions } from '../core/report/verify.js';
import { verifyReport } from '../core/report/verify.js';
import { keyIdOf, keysDir, loadPublicKey, verifyBytes } from '../adapters/keys.js';
import { sshVerify } from '../adapters/sshsig.js';
import { safeJson } from '../core/safe-text.js';
import type { CliIo } from './io.js';
import { readReportText } from './report-text.js';
import { safeLine } from '../core/safe-text.js';

export interface VerifyCommandOptions {
  /** Trusted public key PEM files (repeatable). */
  key?: string[];
  /** File of `NAME ROLE KEY` lines. */
  trusted?: string;
  threshold?: string | number;
  json?: boolean;
  /** ssh-keygen allowed_signers file, to accept SSH signatures. */
  allowedSigners?: string;
  /** Never fall back to the local keyring ($RUNSHEET_HOME/keys); --json implies it. */
  requireExplicitTrust?: boolean;
}

/**
 * Larger files are INVALID unread. A real report is a few hundred KiB to a few MiB (its events
 * and their results); 64 MiB leaves room for a very long window and bounds what a file can cost.
 */
export const MAX_REPORT_BYTES = 64 * 1024 * 1024;

function trustedKey(key: KeyObject, name?: string, role?: string): TrustedKey {
  return { keyid: keyIdOf(key), name, role, verify: (b, s) => verifyBytes(key, b, s) };
}

async function homePublicKeys(home: string): Promise<{ file: string; key: KeyObject }[]> {
  const dir = keysDir(home);
  const names = await readdir(dir).catch(() => [] as string[]);
  const keys: { file: string; key: KeyObject }[] = [];
  for (const n of names.filter((n) => n.endsWith('.pub.pem')).sort()) keys.push({ file: n, key: await loadPublicKey(join(dir, n)) });
  return keys;
}

/** The keys to trust, and where each came from — verify always says so. */
async function gatherTrust(
  opts: VerifyCommandOptions,
  io: CliIo,
): Promise<Pick<VerifyOptions, 'keys' | 'sshNames'> & { sources: string[] }> {
  const sources: string[] = [];
  if (opts.key?.length) sources.push(`--key ${opts.key.join(', ')}`);
  if (opts.trusted) sources.push(`--trusted ${opts.trusted}`);
  if (opts.allowedSigners) sources.push(`--allowed-signers ${opts.allowedSigners}`);
  const byId = new Map<string, TrustedKey>();
  const loaded = new Map<string, KeyObject>();
  for (const p of opts.key ?? []) {
    const k = await loadPublicKey(resolve(io.cwd, p));
    const t = trustedKey(k, basename(p).replace(/(\.pub)?\.pem$/, ''));
    byId.set(t.keyid, t);
    loaded.set(t.keyid, k);
  }
  const sshNames: Record<string, { name: string; role?: string }> = {};
  if (opts.trusted) {
    const file = resolve(io.cwd, opts.trusted);
    const text = await readFile(file, 'utf8').catch((e: unknown) => {
      throw new UserError(`--trusted ${opts.trusted}: cannot read it (${(e as NodeJS.ErrnoException).code})`);
    });
    const parsed = parseTrusted(text);
    if (parsed.problems.length) {
      const [first, ...rest] = parsed.problems.map((p) => `${opts.trusted}:${p.line}: ${p.message}`);
      throw new UserError(first, { details: rest });
    }
    let home: { file: string; key: KeyObject }[] | null = null;
    for (const e of parsed.entries) {
      if (e.key.kind === 'ssh') {
        sshNames[e.key.fingerprint] = { name: e.name, role: e.role };
        continue;
      }
      let key: KeyObject | undefined;
      if (e.key.kind === 'path') {
        key = await loadPublicKey(resolve(dirname(file), e.key.path));
      } else {
        const id = e.key.keyid;
        home ??= await homePublicKeys(io.home);
        key = loaded.get(id) ?? home.find((k) => keyIdOf(k.key) === id)?.key;
        if (!key) {
          io.stderr(
            `runsheet: ${opts.trusted}:${e.line}: no public key with keyid ${id.slice(0, 16)}… is available (pass it with --key FILE)\n`,
          );
          continue;
        }
      }
      const t = trustedKey(key, e.name, e.role);
      byId.set(t.keyid, t);
    }
  }
  if (!opts.key?.length && !opts.trusted && !opts.allowedSigners) {
    const explain = 'pass --key PUBLIC-KEY.pem, --trusted FILE or --allowed-signers FILE';
    // A report verifies in its own signer's home: the keyring is a convenience for one's own
    // reports, never what an auditor (or a script, --json) should rely on.
    if (opts.requireExplicitTrust || opts.json)
      throw new UserError(
        `no trusted keys named (${opts.json ? '--json' : '--require-explicit-trust'} does not use the local keyring): ${explain}`,
      );
    const home = await homePublicKeys(io.home);
    for (const { key } of home) {
      const t = trustedKey(key);
      byId.set(t.keyid, t);
    }
    if (byId.size === 0) throw new UserError(`no trusted keys: ${explain}`);
    sources.push(`local keyring ${keysDir(io.home)} (${home.map((h) => h.file).join(', ')})`);
  }
  return { keys: [...byId.values()], sshNames, sources };
}

function parseThreshold(v: string | number | undefined): number {
  if (v === undefined) return 1;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 100) throw new UserError(`--threshold must be a whole number from 1 to 100 (got "${v}")`);
  return n;
}

export function signerLabel(s: Signer): string {
  if (!s.name) return s.keyid;
  const id = s.kind === 'ssh' ? s.keyid : s.keyid.slice(0, 16);
  return `${s.name}${s.role ? ` (${s.role})` : ''} [${id}]`;
}

export async function verifyCommand(report: string, opts: VerifyCommandOptions, io: CliIo): Promise<number> {
  const threshold = parseThreshold(opts.threshold);
  const path = resolve(io.cwd, report);
  let size: number;
  try {
    const st = await stat(path);
    if (st.isDirectory()) throw new UserError(`${report}: is a directory, not a report`);
    size = st.size;
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`${report}: cannot read the report (${(e as NodeJS.ErrnoException).code})`);
  }
  let allowed: string | undefined;
  if (opts.allowedSigners) {
    allowed = resolve(io.cwd, opts.allowedSigners);
    await stat(allowed).catch(() => {
      throw new UserError(`--allowed-signers ${opts.allowedSigners}: no such file`);
    });
  }
  // An oversized file is refused unread (INVALID, after saying whose trust would have applied).
  const tooLarge = size > MAX_REPORT_BYTES;
  // The report first: naming the wrong file is the likelier mistake than a missing key.
  const text = tooLarge ? '' : await readReportText(path, report);
  const trust = await gatherTrust(opts, io);
  const r = tooLarge
    ? {
        ok: false,
        reason: `the report is ${(size / 1048576).toFixed(1)} MiB; runsheet reads reports of at most ${MAX_REPORT_BYTES / 1048576} MiB`,
        signers: [],
        reportSha256: null,
      }
    : await verifyReport(text, { ...trust, threshold, ssh: allowed ? (b, armor) => sshVerify(allowed, b, armor) : undefined });
  const trustLine = `trust: ${trust.sources.join('; ')}`;

  if (opts.json) {
    // The statement is set exactly when the report verified.
    const statement = r.ok ? r.statement : undefined;
    const out = {
      ok: r.ok,
      ...(r.ok ? {} : { reason: r.reason }),
      report_sha256: r.reportSha256,
      threshold,
      trust: trust.sources,
      signers: r.signers.map((s) => ({ kind: s.kind, keyid: s.keyid, name: s.name ?? null, role: s.role ?? null })),
      // Content only once verified.
      ...(statement
        ? {
            report: {
              run_id: statement.predicate.run_id,
              checklist: statement.predicate.checklist,
              environment: statement.predicate.environment,
              status: statement.predicate.status,
              outcome: statement.predicate.outcome,
              started_at: statement.predicate.started_at,
              finished_at: statement.predicate.finished_at,
              summary: statement.predicate.summary,
              events_head: statement.predicate.events_head,
              subject: statement.subject,
            },
          }
        : {}),
    };
    io.stdout(safeJson(out, 2) + '\n');
  } else if (r.ok) {
    io.stdout(`VERIFIED ${(r.reportSha256 ?? '').slice(0, 12)} signed by ${r.signers.map(signerLabel).join(', ')}\n${trustLine}\n`);
  } else {
    // The reason can quote the report (an item id): no control sequence reaches the terminal.
    io.stdout(`${safeLine(`INVALID: ${r.reason}`)}\n${safeLine(trustLine)}\n`);
  }
  return r.ok ? 0 : 1;
}

// Report verification, in the order the spec gives: envelope shape, base64, signatures by
// trusted keys over the exact PAE bytes, payload type, statement type, event chain, summary.
// The first failure wins and nothing from an unverified payload is ever returned as fact.
// Key material is injected (TrustedKey.verify, SshVerifier) so this module stays free of I/O.
import type { RunEvent } from '../events.js';
import { GENESIS, canonicalJson, hashEvent, sha256Hex } from '../events.js';
import { emptyItem, foldEvents } from '../state.js';
import { itemFacts, reportPhase, runFacts } from './statement.js';
import { decodeBase64Strict, IN_TOTO_PAYLOAD_TYPE, pae, parseEnvelope } from './dsse.js';
import type { Statement } from './predicate.js';
import { PREDICATE_TYPE, STATEMENT_TYPE } from './predicate.js';
import { summarize, summaryMismatch } from './summary.js';

export interface TrustedKey {
  /** hex sha256 of the SPKI DER (Ed25519) — the identity counted toward the threshold. */
  keyid: string;
  name?: string;
  role?: string;
  verify(pae: Uint8Array, sig: Uint8Array): boolean;
}

/** Checks one SSHSIG armor over the PAE bytes against allowed signers; null when not valid. */
export type SshVerifier = (pae: Uint8Array, armor: string) => Promise<{ principal: string; fingerprint: string } | null>;

export interface Signer {
  kind: 'ed25519' | 'ssh';
  /** Ed25519: hex sha256 of SPKI DER. SSH: "SHA256:…" fingerprint. */
  keyid: string;
  name?: string;
  role?: string;
}

export interface VerifyOptions {
  keys: TrustedKey[];
  threshold: number;
  ssh?: SshVerifier;
  /** Names and roles for SSH fingerprints (from --trusted). */
  sshNames?: Record<string, { name: string; role?: string }>;
}

export interface VerifyResult {
  ok: boolean;
  /** The first reason verification failed. */
  reason?: string;
  signers: Signer[];
  /** hex sha256 of the payload bytes (the signed statement); null if they could not be decoded. */
  reportSha256: string | null;
  /** Present only when ok. */
  statement?: Statement;
}

export const SSHSIG_ARMOR_START = '-----BEGIN SSH SIGNATURE-----';

/**
 * Bounds on the work one report can ask for: a report carries a signature per signer (a handful);
 * 200,000 of them once kept verify busy for 25 s. More than this is INVALID before any check.
 */
export const MAX_SIGNATURES = 64;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export async function verifyReport(text: string, opts: VerifyOptions): Promise<VerifyResult> {
  const fail = (reason: string, reportSha256: string | null = null): VerifyResult => ({ ok: false, reason, signers: [], reportSha256 });
  const shape = parseEnvelope(text);
  if (!shape.ok) return fail(shape.reason);
  const env = shape.envelope;
  if (env.signatures.length > MAX_SIGNATURES)
    return fail(`the report has ${env.signatures.length} signatures; at most ${MAX_SIGNATURES} are accepted`);

  const payload = decodeBase64Strict(env.payload);
  if (!payload) return fail('payload is not valid base64');
  const sigs: Uint8Array[] = [];
  for (const [i, s] of env.signatures.entries()) {
    const bytes = decodeBase64Strict(s.sig);
    if (!bytes) return fail(`signature ${i + 1} is not valid base64`);
    sigs.push(bytes);
  }
  const digest = sha256Hex(payload);

  const signers = await trustedSigners(
    pae(env.payloadType, payload),
    env.signatures.map((s) => s.keyid),
    sigs,
    opts,
  );
  if (signers.length < opts.threshold) {
    const what =
      env.signatures.length === 0
        ? 'the report has no signatures'
        : `${signers.length} of ${env.signatures.length} signature(s) verify with a trusted key`;
    return fail(`${what}; ${opts.threshold} required`, digest);
  }

  if (env.payloadType !== IN_TOTO_PAYLOAD_TYPE) return fail(`payloadType is not ${IN_TOTO_PAYLOAD_TYPE}`, digest);
  let statement: unknown;
  try {
    statement = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload));
  } catch {
    return fail('payload is not UTF-8 JSON', digest);
  }
  const problem = statementProblem(statement);
  if (problem) return fail(problem, digest);
  return { ok: true, signers, reportSha256: digest, statement: statement as Statement };
}

async function trustedSigners(
  bytes: Uint8Array,
  hints: (string | undefined)[],
  sigs: Uint8Array[],
  opts: VerifyOptions,
): Promise<Signer[]> {
  const found = new Map<string, Signer>();
  for (const [i, sig] of sigs.entries()) {
    const armor = sshArmor(sig);
    if (armor !== null) {
      const ok = opts.ssh ? await opts.ssh(bytes, armor) : null;
      if (ok && !found.has(ok.fingerprint)) {
        const named = opts.sshNames?.[ok.fingerprint];
        found.set(ok.fingerprint, { kind: 'ssh', keyid: ok.fingerprint, name: named?.name ?? ok.principal, role: named?.role });
      }
      continue;
    }
    // keyid is an unauthenticated hint: try the hinted key first, then every other one.
    const ordered = [...opts.keys].sort((a, b) => Number(b.keyid === hints[i]) - Number(a.keyid === hints[i]));
    const key = ordered.find((k) => safeVerify(k, bytes, sig));
    // Unique keys count once, however many times they signed.
    if (key && !found.has(key.keyid)) found.set(key.keyid, { kind: 'ed25519', keyid: key.keyid, name: key.name, role: key.role });
  }
  return [...found.values()];
}

function safeVerify(k: TrustedKey, bytes: Uint8Array, sig: Uint8Array): boolean {
  try {
    return k.verify(bytes, sig);
  } catch {
    return false;
  }
}

function sshArmor(sig: Uint8Array): string | null {
  const text = new TextDecoder().decode(sig);
  return text.startsWith(SSHSIG_ARMOR_START) ? text : null;
}

/** Statement type, predicate type, event chain and summary; the first problem or null. */
export function statementProblem(st: unknown): string | null {
  if (!isObj(st)) return 'payload is not a JSON object';
  if (st._type !== STATEMENT_TYPE) return `statement _type is not ${STATEMENT_TYPE}`;
  if (!Array.isArray(st.subject) || st.subject.length === 0) return 'statement has no subject';
  for (const s of st.subject) {
    if (!isObj(s) || typeof s.name !== 'string' || !isObj(s.digest) || !Object.values(s.digest).every((d) => typeof d === 'string'))
      return 'statement subject is malformed';
  }
  if (st.predicateType !== PREDICATE_TYPE) return `predicateType is not ${PREDICATE_TYPE}`;
  const p = st.predicate;
  if (!isObj(p)) return 'statement has no predicate';
  if (
    !isObj(p.checklist) ||
    !st.subject.some((s) => (s as { digest: Record<string, string> }).digest.sha256 === (p.checklist as Record<string, unknown>).sha256)
  ) {
    return 'the checklist sha256 is not among the subjects';
  }
  return chainProblem(p) ?? factsProblem(p);
}

function chainProblem(p: Record<string, unknown>): string | null {
  const events = p.events;
  if (!Array.isArray(events) || events.length === 0) return 'predicate has no events';
  if (!Array.isArray(p.events_redacted)) return 'predicate has no events_redacted list';
  const redacted = new Map<number, string>();
  for (const r of p.events_redacted) {
    if (!isObj(r) || typeof r.seq !== 'number' || typeof r.sha256 !== 'string') return 'events_redacted is malformed';
    redacted.set(r.seq, r.sha256);
  }
  let prev = GENESIS;
  let lastTs = -Infinity;
  for (const [i, e] of events.entries()) {
    if (!isObj(e) || typeof e.seq !== 'number' || typeof e.prev !== 'string' || typeof e.ts !== 'string' || typeof e.type !== 'string') {
      return `event ${i + 1} is malformed`;
    }
    if (e.seq !== i + 1) return `event ${i + 1}: seq is ${e.seq}, expected ${i + 1}`;
    if (e.prev !== prev) return `event ${e.seq}: prev does not match the hash of event ${e.seq - 1}`;
    const t = Date.parse(e.ts);
    if (Number.isNaN(t)) return `event ${e.seq}: ts is not a valid time`;
    if (t < lastTs) return `event ${e.seq}: timestamp goes backwards`;
    lastTs = t;
    const original = redacted.get(e.seq);
    if (original !== undefined && !JSON.stringify(e).includes('***')) return `event ${e.seq} is listed as redacted but holds no redaction`;
    prev = original ?? hashEvent(e as unknown as RunEvent);
  }
  if (p.events_head !== prev) return 'events_head does not match the hash of the last event';
  return null;
}

/**
 * Everything the report states that its signed events decide — run status, outcome, sign-offs,
 * notes, overrides, records, each item's status and result, phase counts, the summary — is
 * recomputed with the very functions that built it (foldEvents, runFacts, itemFacts,
 * reportPhase, summarize) and must match: a signer cannot make the headline lie about the events.
 */
function factsProblem(p: Record<string, unknown>): string | null {
  if (!Array.isArray(p.items) || !p.items.every((i) => isObj(i) && typeof i.id === 'string' && typeof i.status === 'string'))
    return 'predicate items are malformed';
  const items = p.items as (Record<string, unknown> & { id: string; status: string; applies_when?: { item: string; is: string[] } })[];
  const events = p.events as RunEvent[];
  let folded;
  try {
    folded = foldEvents(events);
  } catch {
    return 'events cannot be replayed';
  }
  const byId = new Map(items.map((i) => [i.id, i]));
  // n/a is derived, not folded: the item's choice (a skip, or a recorded value it does not apply
  // for — or the choice itself n/a) must say so in the events.
  const naProblem = (it: (typeof items)[number], depth = 0): string | null => {
    const g = it.applies_when;
    if (!g || typeof g.item !== 'string' || !Array.isArray(g.is)) return `item ${it.id}: status n/a without the choice it depends on`;
    const choice = folded.items[g.item];
    if (choice?.status === 'skipped') return null;
    if (choice?.status === 'recorded' && choice.value !== undefined && !g.is.includes(String(choice.value))) return null;
    const up = byId.get(g.item);
    if (up?.status === 'n/a' && depth < 100 && !naProblem(up, depth + 1)) return null;
    return `item ${it.id}: status n/a does not match its events (the answer to ${g.item} makes it apply)`;
  };
  const run = plain(runFacts(folded, events)) as Record<string, unknown>;
  for (const [field, value] of Object.entries(run)) {
    const problem = differs(field, p[field], value);
    if (problem) return problem;
  }
  const listed = new Set<string>();
  for (const it of items) {
    if (listed.has(it.id)) return `item ${it.id} is listed twice`;
    listed.add(it.id);
    const facts = plain(itemFacts(folded.items[it.id] ?? emptyItem())) as Record<string, unknown>;
    if (it.status === 'n/a') {
      const bad = naProblem(it);
      if (bad) return bad;
      // Its status and reason come from the choice (checked just above); the rest from its own events.
      delete facts.status;
      delete facts.reason;
    } else if (it.status !== facts.status) return `item ${it.id}: status ${it.status} does not match its events (${String(facts.status)})`;
    for (const [field, value] of Object.entries(facts)) {
      const problem = differs(`item ${it.id}: ${field}`, it[field], value);
      if (problem) return problem;
    }
  }
  for (const id of Object.keys(folded.items)) if (!listed.has(id)) return `item ${id} has events but is missing from the items`;
  if (
    !Array.isArray(p.phases) ||
    !p.phases.every((x) => isObj(x) && typeof x.id === 'string' && typeof x.title === 'string' && Array.isArray(x.signoff_required))
  )
    return 'predicate phases are malformed';
  for (const ph of p.phases as (Record<string, unknown> & { id: string; title: string; signoff_required: string[] })[]) {
    const again = plain(
      reportPhase(
        { id: ph.id, title: ph.title, rollback: ph.rollback === true || undefined, signoff: ph.signoff_required },
        items as never,
      ),
    ) as Record<string, unknown>;
    for (const [field, value] of Object.entries(again)) {
      const problem = differs(`phase ${ph.id}: ${field}`, ph[field], value);
      if (problem) return problem;
    }
  }
  return summaryMismatch(p.summary, summarize(items));
}

/** As it reads once written to JSON (undefined fields gone). */
function plain(v: unknown): unknown {
  return JSON.parse(JSON.stringify(v)) as unknown;
}

/** `FIELD is X but the events give Y` (values shown when short), or null when equal. */
function differs(field: string, claimed: unknown, actual: unknown): string | null {
  let a: string;
  let b: string;
  try {
    a = canonicalJson(claimed === undefined ? null : claimed);
    b = canonicalJson(actual);
  } catch {
    return `${field} is malformed`;
  }
  if (a === b) return null;
  const short = (x: string) => (x.length <= 60 ? x : null);
  if (Array.isArray(actual) && Array.isArray(claimed)) {
    if (claimed.length !== actual.length) return `${field} lists ${claimed.length} but the events give ${actual.length}`;
    const i = actual.findIndex((x, k) => canonicalJson(x) !== canonicalJson(claimed[k] ?? null));
    return `${field}[${i}] does not match the events`;
  }
  return short(a) && short(b) ? `${field} is ${a} but the events give ${b}` : `${field} does not match the events`;
}

// DSSE (Dead Simple Signing Envelope) v1: the envelope shape, the Pre-Authentication Encoding
// that signatures cover, and strict base64. Pure: no keys here (see src/adapters/keys.ts).
// Spec: https://github.com/secure-systems-lab/dsse/blob/master/protocol.md

export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

export interface DsseSignature {
  /** Unauthenticated hint naming the key; verification never trusts it. */
  keyid?: string;
  /** base64 of the signature bytes. */
  sig: string;
}

export interface DsseEnvelope {
  payloadType: string;
  /** base64 of the payload bytes. */
  payload: string;
  signatures: DsseSignature[];
}

const enc = new TextEncoder();

/** PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body; LEN in bytes, decimal. */
export function pae(payloadType: string, payload: Uint8Array): Uint8Array {
  const type = enc.encode(payloadType);
  const head = enc.encode(`DSSEv1 ${type.length} `);
  const mid = enc.encode(` ${payload.length} `);
  const out = new Uint8Array(head.length + type.length + mid.length + payload.length);
  out.set(head, 0);
  out.set(type, head.length);
  out.set(mid, head.length + type.length);
  out.set(payload, head.length + type.length + mid.length);
  return out;
}

export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}

const STD = /^[A-Za-z0-9+/]*={0,2}$/;
const URL_SAFE = /^[A-Za-z0-9_-]*={0,2}$/;

/**
 * Decodes standard or URL-safe base64 (DSSE verifiers must accept both), padded or not.
 * Strict on purpose: Buffer.from(s, 'base64') silently skips bad characters and ignores the
 * unused low bits of the last character, so different strings would decode to the same bytes
 * and a tampered envelope could still verify. Returns null for anything non-canonical.
 */
export function decodeBase64Strict(s: string): Uint8Array | null {
  if (!STD.test(s) && !URL_SAFE.test(s)) return null;
  const body = s.replace(/=+$/, '');
  const pad = s.length - body.length;
  if (body.length % 4 === 1) return null;
  // Padding, when present, must make the length a multiple of 4.
  if (pad > 0 && (body.length + pad) % 4 !== 0) return null;
  const std = body.replace(/-/g, '+').replace(/_/g, '/');
  const bytes = Buffer.from(std, 'base64');
  // Canonical check: re-encoding must give back the same characters (rejects non-zero tail bits).
  if (bytes.toString('base64').replace(/=+$/, '') !== std) return null;
  return new Uint8Array(bytes);
}

export type ShapeResult = { ok: true; envelope: DsseEnvelope } | { ok: false; reason: string };

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks the envelope's JSON shape. Unknown fields are ignored, as the DSSE spec allows. */
export function parseEnvelope(text: string): ShapeResult {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'envelope is not valid JSON' };
  }
  if (!isObj(v)) return { ok: false, reason: 'envelope is not a JSON object' };
  if (typeof v.payloadType !== 'string') return { ok: false, reason: 'envelope has no string payloadType' };
  if (typeof v.payload !== 'string') return { ok: false, reason: 'envelope has no string payload' };
  if (!Array.isArray(v.signatures)) return { ok: false, reason: 'envelope has no signatures array' };
  const signatures: DsseSignature[] = [];
  for (const [i, s] of v.signatures.entries()) {
    if (!isObj(s) || typeof s.sig !== 'string') return { ok: false, reason: `signature ${i + 1} has no string sig` };
    if (s.keyid !== undefined && typeof s.keyid !== 'string') return { ok: false, reason: `signature ${i + 1} keyid is not a string` };
    signatures.push(s.keyid === undefined ? { sig: s.sig } : { keyid: s.keyid, sig: s.sig });
  }
  return { ok: true, envelope: { payloadType: v.payloadType, payload: v.payload, signatures } };
}

/** The envelope as written to disk: stable field order, one signature per line for diffs. */
export function serializeEnvelope(e: DsseEnvelope): string {
  return JSON.stringify({ payloadType: e.payloadType, payload: e.payload, signatures: e.signatures }, null, 2) + '\n';
}

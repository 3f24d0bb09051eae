import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { KeyObject } from 'node:crypto';
import { encodeBase64, IN_TOTO_PAYLOAD_TYPE, pae, serializeEnvelope, type DsseEnvelope } from '../../../src/core/report/dsse.js';
import { statementBytes } from '../../../src/core/report/statement.js';
import type { Statement } from '../../../src/core/report/predicate.js';
import { verifyReport, type TrustedKey } from '../../../src/core/report/verify.js';
import { keyIdOf, privateKeyFromSeed, signBytes, verifyBytes } from '../../../src/adapters/keys.js';
import { fixtureStatement } from './run-fixture.js';
import { chainHead, hashEvent } from '../../../src/core/events.js';

const vectors = JSON.parse(readFileSync('/work/shared/vectors/dsse-ed25519-vectors.json', 'utf8')) as {
  keys: Record<string, { seed: string }>;
};
const A = privateKeyFromSeed(Buffer.from(vectors.keys.A.seed, 'hex'));
const B = privateKeyFromSeed(Buffer.from(vectors.keys.B.seed, 'hex'));
const trust = (k: KeyObject, name: string): TrustedKey => ({ keyid: keyIdOf(k), name, verify: (b, s) => verifyBytes(k, b, s) });
const onlyA = { keys: [trust(A, 'alice')], threshold: 1 };
const both = (threshold: number) => ({ keys: [trust(A, 'alice'), trust(B, 'bob')], threshold });

function envelopeOf(payload: Uint8Array, signers: KeyObject[], payloadType = IN_TOTO_PAYLOAD_TYPE): DsseEnvelope {
  const bytes = pae(payloadType, payload);
  return {
    payloadType,
    payload: encodeBase64(payload),
    signatures: signers.map((k) => ({ keyid: keyIdOf(k), sig: encodeBase64(signBytes(k, bytes)) })),
  };
}
const text = (e: DsseEnvelope) => serializeEnvelope(e);
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
/** A statement changed after the fact, then re-signed by a trusted key: only content checks can catch it. */
const resigned = (edit: (s: Statement) => void, keys = [A]) => {
  const s = clone(fixtureStatement());
  edit(s);
  return text(envelopeOf(statementBytes(s), keys));
};

const statement = fixtureStatement();
const payload = statementBytes(statement);
const good = envelopeOf(payload, [A]);
const goodText = text(good);

describe('verifyReport', () => {
  it('accepts a report signed by a trusted key and names the signer', async () => {
    const r = await verifyReport(goodText, onlyA);
    expect(r).toMatchObject({ ok: true, signers: [{ kind: 'ed25519', keyid: keyIdOf(A), name: 'alice' }] });
    expect(r.reportSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(r.statement?.predicate.run_id).toBe(statement.predicate.run_id);
  });

  it('accepts URL-safe base64 for payload and signature', async () => {
    const url = (s: string) => s.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    const e = { ...good, payload: url(good.payload), signatures: good.signatures.map((s) => ({ ...s, sig: url(s.sig) })) };
    expect((await verifyReport(text(e), onlyA)).ok).toBe(true);
  });

  it('fails for every flipped byte of the payload', async () => {
    expect(payload.length).toBeGreaterThan(3000);
    for (let i = 0; i < payload.length; i++) {
      const p = payload.slice();
      p[i] ^= 0x01;
      const r = await verifyReport(text({ ...good, payload: encodeBase64(p) }), onlyA);
      expect(r.ok, `payload byte ${i}`).toBe(false);
      expect(r.reason).toBe('0 of 1 signature(s) verify with a trusted key; 1 required');
    }
  });

  it('fails for every flipped character of the base64 payload string', async () => {
    for (let i = 0; i < good.payload.length; i++) {
      const chars = Array.from(good.payload);
      chars[i] = String.fromCharCode(chars[i].charCodeAt(0) ^ 0x01);
      expect((await verifyReport(text({ ...good, payload: chars.join('') }), onlyA)).ok, `payload char ${i}`).toBe(false);
    }
  });

  it('fails for flipped bytes across the envelope JSON, except inside the unauthenticated keyid hint', async () => {
    const bytes = Buffer.from(goodText);
    const hint = goodText.indexOf('"keyid"');
    const hintEnd = goodText.indexOf(',', hint);
    const payloadStart = goodText.indexOf(good.payload);
    let checked = 0;
    for (let i = 0; i < bytes.length; i++) {
      // Every structural byte, and every 5th byte of the long payload string.
      if (i > payloadStart && i < payloadStart + good.payload.length && i % 5) continue;
      const b = Buffer.from(bytes);
      b[i] ^= 0x01;
      const r = await verifyReport(b.toString('latin1'), onlyA);
      if (i >= hint && i < hintEnd) {
        // A mangled hint is ignored: the signature still verifies by the same key, or the JSON breaks.
        if (r.ok) expect(r.signers.map((s) => s.keyid)).toEqual([keyIdOf(A)]);
      } else {
        expect(r.ok, `envelope byte ${i} (${JSON.stringify(goodText[i])})`).toBe(false);
      }
      checked++;
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('rejects a tampered report re-signed by an untrusted key', async () => {
    const forged = resigned((s) => (s.predicate.outcome = 'passed'), [B]);
    expect(await verifyReport(forged, onlyA)).toMatchObject({
      ok: false,
      reason: '0 of 1 signature(s) verify with a trusted key; 1 required',
      signers: [],
    });
    // The same forgery carrying the hint of the trusted key changes nothing.
    const e = JSON.parse(forged) as DsseEnvelope;
    e.signatures[0].keyid = keyIdOf(A);
    expect((await verifyReport(text(e), onlyA)).ok).toBe(false);
  });

  it('rejects a swapped payload type, at the signature and, if re-signed, at the type', async () => {
    expect((await verifyReport(text({ ...good, payloadType: 'application/json' }), onlyA)).reason).toMatch(/signature/);
    const r = await verifyReport(text(envelopeOf(payload, [A], 'application/json')), onlyA);
    expect(r).toMatchObject({ ok: false, reason: `payloadType is not ${IN_TOTO_PAYLOAD_TYPE}` });
  });

  it('counts a duplicated signature once toward the threshold', async () => {
    const dup = { ...good, signatures: [good.signatures[0], good.signatures[0]] };
    expect(await verifyReport(text(dup), both(2))).toMatchObject({
      ok: false,
      reason: '1 of 2 signature(s) verify with a trusted key; 2 required',
    });
    const renamed = { ...good, signatures: [good.signatures[0], { keyid: keyIdOf(B), sig: good.signatures[0].sig }] };
    expect((await verifyReport(text(renamed), both(2))).ok).toBe(false);
  });

  it('passes threshold 2 when a second trusted key countersigns', async () => {
    const r = await verifyReport(text(envelopeOf(payload, [A, B])), both(2));
    expect(r.ok).toBe(true);
    expect(r.signers.map((s) => s.name)).toEqual(['alice', 'bob']);
    expect((await verifyReport(text(envelopeOf(payload, [A, B])), { keys: [trust(A, 'alice')], threshold: 2 })).ok).toBe(false);
  });

  it('still verifies with a changed or missing keyid (it is only a hint)', async () => {
    const changed = { ...good, signatures: [{ keyid: 'f'.repeat(64), sig: good.signatures[0].sig }] };
    expect((await verifyReport(text(changed), onlyA)).ok).toBe(true);
    const missing = { ...good, signatures: [{ sig: good.signatures[0].sig }] };
    expect((await verifyReport(text(missing), onlyA)).ok).toBe(true);
  });

  it('rejects deleted, reordered and edited events even when re-signed by a trusted key', async () => {
    expect(
      (
        await verifyReport(
          resigned((s) => s.predicate.events.splice(4, 1)),
          onlyA,
        )
      ).reason,
    ).toBe('event 5: seq is 6, expected 5');
    expect(
      (
        await verifyReport(
          resigned((s) => s.predicate.events.pop()),
          onlyA,
        )
      ).reason,
    ).toBe('events_head does not match the hash of the last event');
    const swap = (s: Statement) => {
      const ev = s.predicate.events;
      [ev[4], ev[5]] = [ev[5], ev[4]];
    };
    expect((await verifyReport(resigned(swap), onlyA)).reason).toBe('event 5: seq is 6, expected 5');
    const swapSeq = (s: Statement) => {
      swap(s);
      [s.predicate.events[4].seq, s.predicate.events[5].seq] = [5, 6];
    };
    expect((await verifyReport(resigned(swapSeq), onlyA)).reason).toBe('event 5: prev does not match the hash of event 4');
    const edit = (s: Statement) => {
      const e = s.predicate.events[9];
      if (e.type === 'item.failed') e.result.summary = 'exit 0';
    };
    expect((await verifyReport(resigned(edit), onlyA)).reason).toBe('event 11: prev does not match the hash of event 10');
    const back = (s: Statement) => (s.predicate.events[0].ts = '2026-03-01T11:00:00.000Z');
    expect((await verifyReport(resigned(back), onlyA)).reason).toBe('event 2: prev does not match the hash of event 1');
  });

  it('rejects timestamps that go backwards in an otherwise intact chain', async () => {
    const rechained = (s: Statement) => {
      const ev = s.predicate.events;
      ev[2].ts = '2026-03-01T09:59:00.000Z';
      for (let i = 1; i < ev.length; i++) ev[i].prev = hashEvent(ev[i - 1]);
      s.predicate.events_head = chainHead(ev);
    };
    expect((await verifyReport(resigned(rechained), onlyA)).reason).toBe('event 3: timestamp goes backwards');
  });

  it('rejects items or summary that do not match the events', async () => {
    expect(
      (
        await verifyReport(
          resigned((s) => (s.predicate.summary.failed = 3)),
          onlyA,
        )
      ).reason,
    ).toBe('summary failed is 3 but the items give 0');
    const lie = (s: Statement) => {
      s.predicate.items.find((i) => i.id === 'smoke')!.status = 'passed';
      s.predicate.summary.passed = 2;
      s.predicate.summary.overridden = 0;
    };
    expect((await verifyReport(resigned(lie), onlyA)).reason).toBe('item smoke: status passed does not match its events (overridden)');
  });

  it('rejects a headline re-signed by a trusted key that the events do not support, naming the field', async () => {
    const reason = async (edit: (s: Statement) => void) => (await verifyReport(resigned(edit), onlyA)).reason;
    expect(await reason((s) => (s.predicate.outcome = 'failed'))).toBe('outcome is "failed" but the events give "passed"');
    expect(await reason((s) => (s.predicate.status = 'active'))).toBe('status is "active" but the events give "finished"');
    expect(await reason((s) => (s.predicate.signoffs[0].name = 'mallory'))).toBe('signoffs[0] does not match the events');
    expect(
      await reason((s) => s.predicate.signoffs.push({ phase: 'release', name: 'carol', role: 'SRE', ts: '2026-03-01T10:30:00.000Z' })),
    ).toBe('signoffs lists 2 but the events give 1');
    expect(await reason((s) => (s.predicate.signoffs = []))).toBe('signoffs lists 0 but the events give 1');
    expect(await reason((s) => (s.predicate.summary.passed += 1))).toBe('summary passed is 2 but the items give 1');
    expect(await reason((s) => (s.predicate.items.find((i) => i.id === 'health')!.status = 'failed'))).toBe(
      'item health: status failed does not match its events (passed)',
    );
    expect(await reason((s) => (s.predicate.items.find((i) => i.id === 'health')!.attempts = 1))).toBe(
      'item health: attempts is 1 but the events give 2',
    );
    expect(await reason((s) => (s.predicate.items.find((i) => i.id === 'health')!.result = 'exit 0 (all good)'))).toBe(
      'item health: result is "exit 0 (all good)" but the events give "exit 0"',
    );
    expect(await reason((s) => (s.predicate.overrides = []))).toBe('overrides lists 0 but the events give 1');
    expect(await reason((s) => (s.predicate.rollback = null))).toBeUndefined(); // no rollback in this run: null is the truth
    expect(await reason((s) => (s.predicate.rollback = { started_at: '2026-03-01T10:05:00.000Z', reason: 'x' }))).toMatch(/^rollback /);
    expect(await reason((s) => (s.predicate.phases[0].done = 0))).toMatch(/^phase pre: done is 0 but the events give \d+$/);
  });

  it('refuses more than 64 signatures before checking any', async () => {
    const many = JSON.parse(goodText) as DsseEnvelope;
    const sig = many.signatures[0];
    many.signatures = Array.from({ length: 200_000 }, () => ({ ...sig }));
    expect(await verifyReport(JSON.stringify(many), onlyA)).toMatchObject({
      ok: false,
      reason: 'the report has 200000 signatures; at most 64 are accepted',
    });
    many.signatures = many.signatures.slice(0, 64);
    expect((await verifyReport(JSON.stringify(many), onlyA)).ok).toBe(true);
  });

  it('rejects wrong statement and predicate types', async () => {
    expect(
      (
        await verifyReport(
          resigned((s) => ((s as { _type: string })._type = 'https://in-toto.io/Statement/v0.1')),
          onlyA,
        )
      ).reason,
    ).toMatch(/_type/);
    expect(
      (
        await verifyReport(
          resigned((s) => ((s as { predicateType: string }).predicateType = 'https://slsa.dev/provenance/v1')),
          onlyA,
        )
      ).reason,
    ).toMatch(/predicateType/);
    expect(
      (
        await verifyReport(
          resigned((s) => (s.subject = [])),
          onlyA,
        )
      ).reason,
    ).toBe('statement has no subject');
  });

  it('rejects an unsigned envelope and malformed signatures', async () => {
    expect((await verifyReport(text({ ...good, signatures: [] }), onlyA)).reason).toBe('the report has no signatures; 1 required');
    expect((await verifyReport(text({ ...good, signatures: [{ sig: 'not base64!' }] }), onlyA)).reason).toBe(
      'signature 1 is not valid base64',
    );
  });
});

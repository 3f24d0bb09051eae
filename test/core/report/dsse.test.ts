import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeBase64Strict, encodeBase64, pae, parseEnvelope } from '../../../src/core/report/dsse.js';
import { keyIdOf, privateKeyFromSeed, publicKeyFromRaw, signBytes, verifyBytes } from '../../../src/adapters/keys.js';

interface Vector {
  id: string;
  payload: string;
  payloadType: string;
  sig: string;
  key: string;
  pae: string;
}
const file = JSON.parse(readFileSync('/work/shared/vectors/dsse-ed25519-vectors.json', 'utf8')) as {
  keys: Record<string, { seed: string; public: string }>;
  vectors: Vector[];
};
const hex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));

describe('DSSE shared vectors', () => {
  it('has vectors to check', () => expect(file.vectors.length).toBeGreaterThanOrEqual(6));

  for (const v of file.vectors) {
    it(`${v.id}: PAE bytes and Ed25519 signature match byte for byte`, () => {
      const payload = decodeBase64Strict(v.payload);
      expect(payload).not.toBeNull();
      const bytes = pae(v.payloadType, payload!);
      expect(Buffer.from(bytes).toString('hex')).toBe(v.pae);

      const key = privateKeyFromSeed(hex(file.keys[v.key].seed));
      const pub = publicKeyFromRaw(hex(file.keys[v.key].public));
      expect(keyIdOf(key)).toBe(keyIdOf(pub));
      const sig = signBytes(key, bytes);
      const expected = decodeBase64Strict(v.sig)!;
      expect(Buffer.from(sig).toString('hex')).toBe(Buffer.from(expected).toString('hex'));
      expect(verifyBytes(pub, bytes, expected)).toBe(true);
      // The other key must not verify it.
      const other = Object.keys(file.keys).find((k) => k !== v.key)!;
      expect(verifyBytes(publicKeyFromRaw(hex(file.keys[other].public)), bytes, expected)).toBe(false);
    });
  }
});

describe('decodeBase64Strict', () => {
  it('accepts standard and URL-safe alphabets, padded or not', () => {
    expect(Buffer.from(decodeBase64Strict('+/+/Pj8=')!).toString('hex')).toBe('fbffbf3e3f');
    expect(Buffer.from(decodeBase64Strict('-_-_Pj8=')!).toString('hex')).toBe('fbffbf3e3f');
    expect(Buffer.from(decodeBase64Strict('-_-_Pj8')!).toString('hex')).toBe('fbffbf3e3f');
    expect(decodeBase64Strict('')).toEqual(new Uint8Array());
  });

  it('rejects mixed alphabets, bad characters, bad padding and non-zero tail bits', () => {
    for (const bad of ['+_-/Pj8=', 'ab!c', 'abc==', 'a', 'ab=c', 'Pj9=', 'Pg==x', ' Pj8=', 'Pj8=\n', 'P===']) {
      expect(decodeBase64Strict(bad), bad).toBeNull();
    }
  });

  it('round-trips any bytes through both alphabets and rejects every other string for them', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const std = encodeBase64(bytes);
        const url = std.replace(/\+/g, '-').replace(/\//g, '_');
        expect(decodeBase64Strict(std)).toEqual(bytes);
        expect(decodeBase64Strict(url)).toEqual(bytes);
        expect(decodeBase64Strict(url.replace(/=+$/, ''))).toEqual(bytes);
      }),
    );
  });
});

describe('parseEnvelope', () => {
  it('requires payloadType, payload and signatures with string sig', () => {
    expect(parseEnvelope('nope')).toEqual({ ok: false, reason: 'envelope is not valid JSON' });
    expect(parseEnvelope('[]').ok).toBe(false);
    expect(parseEnvelope('{"payload":"","signatures":[]}').ok).toBe(false);
    expect(parseEnvelope('{"payloadType":"t","payload":"","signatures":[{"keyid":"k"}]}')).toEqual({
      ok: false,
      reason: 'signature 1 has no string sig',
    });
    expect(parseEnvelope('{"payloadType":"t","payload":"","signatures":[{"keyid":1,"sig":""}]}').ok).toBe(false);
    expect(parseEnvelope('{"payloadType":"t","payload":"","signatures":[{"sig":"AA=="}],"extra":1}')).toEqual({
      ok: true,
      envelope: { payloadType: 't', payload: '', signatures: [{ sig: 'AA==' }] },
    });
  });
});

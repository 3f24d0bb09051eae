import { chmod, mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateKey, keyIdOf, loadPrivateKey, loadPublicKey, signBytes, verifyBytes } from '../../src/adapters/keys.js';
import { sha256Hex } from '../../src/core/events.js';

const home = () => mkdtemp(join(tmpdir(), 'runsheet-keys-'));

describe('Ed25519 keys on disk', () => {
  it('creates keys/ 0700, a 0600 PKCS#8 private key and an SPKI public key; keyid is sha256 of SPKI DER', async () => {
    const h = await home();
    const k = await generateKey(h, 'default');
    expect([k.privatePath, k.publicPath]).toEqual([join(h, 'keys', 'default.pem'), join(h, 'keys', 'default.pub.pem')]);
    expect((await stat(join(h, 'keys'))).mode & 0o777).toBe(0o700);
    expect((await stat(k.privatePath)).mode & 0o777).toBe(0o600);
    expect(await readFile(k.privatePath, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const pubPem = await readFile(k.publicPath, 'utf8');
    expect(pubPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(k.keyid).toBe(sha256Hex(createPublicKey(pubPem).export({ type: 'spki', format: 'der' })));

    const priv = await loadPrivateKey(k.privatePath);
    const pub = await loadPublicKey(k.publicPath);
    const sig = signBytes(priv, new TextEncoder().encode('DSSEv1 0  0 '));
    expect(verifyBytes(pub, new TextEncoder().encode('DSSEv1 0  0 '), sig)).toBe(true);
    expect(verifyBytes(pub, new TextEncoder().encode('DSSEv1 0  1 x'), sig)).toBe(false);
    expect(keyIdOf(priv)).toBe(k.keyid);
  });

  it('never overwrites an existing key and rejects path-like names', async () => {
    const h = await home();
    await generateKey(h, 'ops');
    await expect(generateKey(h, 'ops')).rejects.toThrow(/already exists/);
    await expect(generateKey(h, '../evil')).rejects.toThrow(/not a valid key name/);
  });

  it('refuses a private key readable by group or others, naming the chmod fix', async () => {
    const h = await home();
    const k = await generateKey(h, 'loose');
    await chmod(k.privatePath, 0o644);
    await expect(loadPrivateKey(k.privatePath)).rejects.toThrow(
      `private key ${k.privatePath} is readable by group or others (mode 0644): run \`chmod 600 ${k.privatePath}\``,
    );
    await chmod(k.privatePath, 0o640);
    await expect(loadPrivateKey(k.privatePath)).rejects.toThrow(/chmod 600/);
  });

  it('encrypts with a passphrase and needs it to load', async () => {
    const h = await home();
    const k = await generateKey(h, 'enc', 'correct horse');
    expect(await readFile(k.privatePath, 'utf8')).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
    await expect(loadPrivateKey(k.privatePath)).rejects.toThrow(/passphrase-protected: set RUNSHEET_KEY_PASSPHRASE/);
    await expect(loadPrivateKey(k.privatePath, 'wrong')).rejects.toThrow(/wrong passphrase/);
    expect(keyIdOf(await loadPrivateKey(k.privatePath, 'correct horse'))).toBe(k.keyid);
  });

  it('explains a missing key and a key of the wrong type', async () => {
    const h = await home();
    await expect(loadPrivateKey(join(h, 'nope.pem'))).rejects.toThrow(/runsheet keygen/);
    await expect(loadPublicKey(join(h, 'nope.pub.pem'))).rejects.toThrow(/cannot read public key/);
  });
});

// Ed25519 signing keys on disk: $RUNSHEET_HOME/keys/NAME.pem (PKCS#8, 0600, optionally
// passphrase-encrypted) and NAME.pub.pem (SPKI). A key's id is the hex sha256 of its SPKI DER,
// the same value DSSE envelopes carry as `keyid`.
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256Hex } from '../core/events.js';
import { UserError } from '../core/errors.js';
import { ensureDir } from './ensure-dir.js';
import { openNoFollow } from './safe-open.js';

export const DEFAULT_KEY_NAME = 'default';
/** Environment variable holding the passphrase of an encrypted private key. */
export const PASSPHRASE_ENV = 'RUNSHEET_KEY_PASSPHRASE';

export function keysDir(home: string): string {
  return join(home, 'keys');
}

export function keyPaths(home: string, name: string): { privatePath: string; publicPath: string } {
  return { privatePath: join(keysDir(home), `${name}.pem`), publicPath: join(keysDir(home), `${name}.pub.pem`) };
}

export function keyIdOf(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return sha256Hex(pub.export({ type: 'spki', format: 'der' }));
}

export interface GeneratedKey {
  privatePath: string;
  publicPath: string;
  keyid: string;
}

export async function generateKey(home: string, name: string, passphrase?: string): Promise<GeneratedKey> {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name) || name.includes('..')) {
    throw new UserError(`"${name}" is not a valid key name: use letters, digits, ".", "_" and "-"`);
  }
  const dir = keysDir(home);
  try {
    await ensureDir(dir, 0o700);
    // mkdir leaves an existing directory's mode alone and the umask may widen a new one.
    await chmod(dir, 0o700);
  } catch (e) {
    throw new UserError(
      `cannot create ${dir} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): set RUNSHEET_HOME to a writable directory`,
    );
  }
  const { privatePath, publicPath } = keyPaths(home, name);
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export(
    passphrase ? { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase } : { type: 'pkcs8', format: 'pem' },
  ) as string;
  try {
    // 'wx': never overwrite a key someone may already have handed out.
    await writeFile(privatePath, pem, { mode: 0o600, flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST')
      throw new UserError(`${privatePath} already exists: pick another --name or remove the old key first`);
    throw e;
  }
  await chmod(privatePath, 0o600);
  const pub = await openNoFollow(publicPath, 'w');
  try {
    await pub.writeFile(publicKey.export({ type: 'spki', format: 'pem' }));
  } finally {
    await pub.close();
  }
  return { privatePath, publicPath, keyid: keyIdOf(publicKey) };
}

/** Loads an Ed25519 private key, refusing files that group or others can read. */
export async function loadPrivateKey(path: string, passphrase?: string): Promise<KeyObject> {
  let mode: number;
  try {
    mode = (await stat(path)).mode;
  } catch (e) {
    throw new UserError(
      `cannot read private key ${path} (${(e as NodeJS.ErrnoException).code}): run \`runsheet keygen\` to create one or pass --key FILE`,
    );
  }
  if (mode & 0o077) {
    throw new UserError(
      `private key ${path} is readable by group or others (mode ${(mode & 0o777).toString(8).padStart(4, '0')}): run \`chmod 600 ${path}\``,
    );
  }
  const pem = await readFile(path, 'utf8');
  let key: KeyObject;
  try {
    key = createPrivateKey(passphrase ? { key: pem, format: 'pem', passphrase } : { key: pem, format: 'pem' });
  } catch (e) {
    if (/ENCRYPTED/.test(pem)) {
      throw new UserError(
        passphrase
          ? `cannot decrypt ${path}: wrong passphrase`
          : `${path} is passphrase-protected: set ${PASSPHRASE_ENV} (or the variable named by --passphrase-env)`,
      );
    }
    throw new UserError(`${path} is not a PEM private key`);
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new UserError(`${path} is a ${key.asymmetricKeyType} key; runsheet signs with Ed25519 (run \`runsheet keygen\`)`);
  return key;
}

/** Loads an Ed25519 public key from SPKI PEM (a private key PEM works too: its public half). */
export async function loadPublicKey(path: string): Promise<KeyObject> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new UserError(`cannot read public key ${path} (${(e as NodeJS.ErrnoException).code})`);
  }
  let key: KeyObject;
  try {
    key = createPublicKey({ key: text, format: 'pem' });
  } catch {
    throw new UserError(`${path} is not a PEM public key (expected the .pub.pem file \`runsheet keygen\` wrote)`);
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new UserError(`${path} is a ${key.asymmetricKeyType} key; runsheet reports are signed with Ed25519`);
  return key;
}

export function signBytes(key: KeyObject, data: Uint8Array): Uint8Array {
  return new Uint8Array(sign(null, data, key));
}

export function verifyBytes(key: KeyObject, data: Uint8Array, sig: Uint8Array): boolean {
  return verify(null, data, key, sig);
}

// RFC 8032 test keys come as raw 32-byte seeds and public keys; these DER prefixes wrap them.
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519 = Buffer.from('302a300506032b6570032100', 'hex');

export function privateKeyFromSeed(seed: Uint8Array): KeyObject {
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, seed]), format: 'der', type: 'pkcs8' });
}

export function publicKeyFromRaw(raw: Uint8Array): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_ED25519, raw]), format: 'der', type: 'spki' });
}

import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { sshSign, sshsigFingerprint, sshVerify } from '../../src/adapters/sshsig.js';

async function sshKey(dir: string, name: string): Promise<{ key: string; fingerprint: string; allowed: string }> {
  const key = join(dir, name);
  await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', key]);
  const fp = (await execa('ssh-keygen', ['-l', '-f', `${key}.pub`])).stdout.split(' ')[1];
  const pub = (await readFile(`${key}.pub`, 'utf8')).trim().split(' ');
  return { key, fingerprint: fp, allowed: `${name}@example.com ${pub[0]} ${pub[1]}\n` };
}

describe('ssh-keygen -Y signatures', () => {
  it('signs the PAE bytes and verifies them against allowed signers', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'runsheet-ssh-'));
    const alice = await sshKey(dir, 'alice');
    const mallory = await sshKey(dir, 'mallory');
    const allowed = join(dir, 'allowed_signers');
    await writeFile(allowed, alice.allowed);
    const data = new TextEncoder().encode('DSSEv1 28 application/vnd.in-toto+json 2 {}');

    const armor = await sshSign(alice.key, data);
    expect(armor).toMatch(/^-----BEGIN SSH SIGNATURE-----\n[\s\S]+-----END SSH SIGNATURE-----\n$/);
    expect(sshsigFingerprint(armor)).toBe(alice.fingerprint);
    expect(await sshVerify(allowed, data, armor)).toEqual({ principal: 'alice@example.com', fingerprint: alice.fingerprint });

    // Other bytes, or a key that is not allowed, do not verify.
    expect(await sshVerify(allowed, new TextEncoder().encode('DSSEv1 28 application/vnd.in-toto+json 2 []'), armor)).toBeNull();
    expect(await sshVerify(allowed, data, await sshSign(mallory.key, data))).toBeNull();
  });

  it('explains a key ssh-keygen cannot use', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'runsheet-ssh-'));
    await expect(sshSign(join(dir, 'missing'), new Uint8Array([1]))).rejects.toThrow(/ssh-keygen could not sign/);
  });

  it('returns null for armor that is not an SSH signature', () => {
    expect(sshsigFingerprint('-----BEGIN SSH SIGNATURE-----\nAAAA\n-----END SSH SIGNATURE-----\n')).toBeNull();
    expect(sshsigFingerprint('nope')).toBeNull();
  });
});

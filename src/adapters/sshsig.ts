// SSH signatures (`ssh-keygen -Y`) for operators whose keys live in ssh-agent or on hardware
// tokens. We sign the DSSE PAE bytes in namespace "runsheet-report"; the SSHSIG armor goes,
// base64-encoded like any DSSE signature, into the envelope's `sig`.
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { UserError } from '../core/errors.js';

export const SSH_NAMESPACE = 'runsheet-report';
const SSH_KEYGEN = 'ssh-keygen';

/** Signs data with an SSH key (a private key file, or a public key whose private half is in the agent). */
export async function sshSign(keyPath: string, data: Uint8Array, env?: NodeJS.ProcessEnv): Promise<string> {
  const r = await execa(SSH_KEYGEN, ['-q', '-Y', 'sign', '-f', keyPath, '-n', SSH_NAMESPACE], {
    input: Buffer.from(data),
    reject: false,
    env,
    extendEnv: env === undefined,
    stripFinalNewline: false,
  });
  if (r.failed || !r.stdout.includes('BEGIN SSH SIGNATURE')) {
    const why = (r.stderr || (r.message ?? '')).trim().split('\n').pop();
    throw new UserError(`ssh-keygen could not sign with ${keyPath}: ${why} (is the key readable, or loaded in ssh-agent?)`);
  }
  return r.stdout;
}

/** "SHA256:…" fingerprint of the public key inside an SSHSIG armor, or null if malformed. */
export function sshsigFingerprint(armor: string): string | null {
  const m = /-----BEGIN SSH SIGNATURE-----([\s\S]*?)-----END SSH SIGNATURE-----/.exec(armor);
  if (!m) return null;
  const blob = Buffer.from(m[1].replace(/\s+/g, ''), 'base64');
  if (blob.length < 14 || blob.subarray(0, 6).toString('latin1') !== 'SSHSIG') return null;
  const len = blob.readUInt32BE(10);
  if (14 + len > blob.length) return null;
  const pub = blob.subarray(14, 14 + len);
  return 'SHA256:' + createHash('sha256').update(pub).digest('base64').replace(/=+$/, '');
}

/**
 * Verifies an SSHSIG armor over data against an allowed_signers file (ssh-keygen's format:
 * "PRINCIPAL KEYTYPE BASE64KEY" per line). Returns the principal and key fingerprint, or null.
 */
export async function sshVerify(
  allowedSigners: string,
  data: Uint8Array,
  armor: string,
): Promise<{ principal: string; fingerprint: string } | null> {
  const dir = await mkdtemp(join(tmpdir(), 'runsheet-sshsig-'));
  try {
    const sigFile = join(dir, 'report.sig');
    await writeFile(sigFile, armor, { mode: 0o600 });
    const found = await execa(SSH_KEYGEN, ['-Y', 'find-principals', '-s', sigFile, '-f', allowedSigners], { reject: false });
    if (found.failed) return null;
    for (const principal of found.stdout
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)) {
      const r = await execa(SSH_KEYGEN, ['-Y', 'verify', '-f', allowedSigners, '-I', principal, '-n', SSH_NAMESPACE, '-s', sigFile], {
        input: Buffer.from(data),
        reject: false,
      });
      const good = /Good "[^"]*" signature for .* with \S+ key (SHA256:[A-Za-z0-9+/]+)/.exec(`${r.stdout}${r.stderr}`);
      if (!r.failed && good) return { principal, fingerprint: good[1] };
    }
    return null;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

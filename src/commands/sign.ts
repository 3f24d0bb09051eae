// `runsheet sign REPORT --key FILE`: countersign an existing report (e.g. the Tech Lead
// approving afterwards). Also holds the key resolution `report` shares.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserError } from '../core/errors.js';
import type { DsseSignature } from '../core/report/dsse.js';
import { decodeBase64Strict, encodeBase64, IN_TOTO_PAYLOAD_TYPE, pae, parseEnvelope, serializeEnvelope } from '../core/report/dsse.js';
import { statementProblem } from '../core/report/verify.js';
import { DEFAULT_KEY_NAME, keyIdOf, keyPaths, loadPrivateKey, PASSPHRASE_ENV, signBytes } from '../adapters/keys.js';
import { sshSign, sshsigFingerprint } from '../adapters/sshsig.js';
import { writeFileAtomic } from '../adapters/atomic.js';
import type { CliIo } from './io.js';
import { readReportText } from './report-text.js';

export interface SigningOptions {
  /** Ed25519 PKCS#8 PEM private key file. */
  key?: string;
  /** SSH key for `ssh-keygen -Y sign` (private key file, or public key with the private half in ssh-agent). */
  sshKey?: string;
  /** Name of the environment variable holding the private key's passphrase. */
  passphraseEnv?: string;
}

export interface PaeSigner {
  label: string;
  sign(bytes: Uint8Array): Promise<DsseSignature>;
}

export const NO_KEY_HINT = 'run `runsheet keygen` to create one, or pass --key FILE or --ssh-key PATH';

/** The signers the options name; the default key when none is named and useDefault is set. */
export async function resolveSigners(opts: SigningOptions, io: CliIo, useDefault: boolean): Promise<PaeSigner[]> {
  const signers: PaeSigner[] = [];
  let keyPath = opts.key ? resolve(io.cwd, opts.key) : undefined;
  if (!keyPath && !opts.sshKey && useDefault) {
    const def = keyPaths(io.home, DEFAULT_KEY_NAME).privatePath;
    if (existsSync(def)) keyPath = def;
  }
  if (keyPath) {
    const passVar = opts.passphraseEnv ?? PASSPHRASE_ENV;
    const key = await loadPrivateKey(keyPath, io.env[passVar] || undefined);
    const keyid = keyIdOf(key);
    // Ed25519 signs in-process; the port is async for ssh-keygen's sake.
    signers.push({ label: keyid, sign: (b) => Promise.resolve({ keyid, sig: encodeBase64(signBytes(key, b)) }) });
  }
  if (opts.sshKey) {
    const sshKey = resolve(io.cwd, opts.sshKey);
    signers.push({
      label: sshKey,
      sign: async (b) => {
        const armor = await sshSign(sshKey, b, io.env);
        return { keyid: sshsigFingerprint(armor) ?? '', sig: encodeBase64(new TextEncoder().encode(armor)) };
      },
    });
  }
  return signers;
}

export async function signCommand(report: string, opts: SigningOptions, io: CliIo): Promise<number> {
  if (!opts.key && !opts.sshKey) throw new UserError(`sign needs --key FILE or --ssh-key PATH (${NO_KEY_HINT})`);
  const path = resolve(io.cwd, report);
  const text = await readReportText(path, report);
  const shape = parseEnvelope(text);
  const payload = shape.ok ? decodeBase64Strict(shape.envelope.payload) : null;
  if (!shape.ok || !payload) {
    io.stdout(`INVALID: ${shape.ok ? 'payload is not valid base64' : shape.reason}\n`);
    return 1;
  }
  const env = shape.envelope;
  // Countersigning approves the content, so it must at least be a well-formed, intact report.
  let problem: string | null = env.payloadType === IN_TOTO_PAYLOAD_TYPE ? null : `payloadType is not ${IN_TOTO_PAYLOAD_TYPE}`;
  if (!problem) {
    try {
      problem = statementProblem(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload)));
    } catch {
      problem = 'payload is not UTF-8 JSON';
    }
  }
  if (problem) {
    io.stdout(`INVALID: ${problem}\n`);
    return 1;
  }
  const bytes = pae(env.payloadType, payload);
  const signers = await resolveSigners(opts, io, false);
  const added: string[] = [];
  for (const s of signers) {
    const sig = await s.sign(bytes);
    // Ed25519 signatures are deterministic, so a repeat has the same sig; SSH signatures are
    // randomized, so a repeat is spotted by the key fingerprint.
    if (env.signatures.some((x) => x.sig === sig.sig || (sig.keyid?.startsWith('SHA256:') && x.keyid === sig.keyid))) {
      io.stderr(`runsheet: ${report} is already signed by ${sig.keyid}; not adding it twice\n`);
      continue;
    }
    env.signatures.push(sig);
    added.push(sig.keyid ?? s.label);
  }
  if (added.length) await writeFileAtomic(path, serializeEnvelope(env));
  io.stdout(
    added.length
      ? `Signed ${report} as ${added.join(', ')} (${env.signatures.length} signature(s) now)\n`
      : `No new signature added to ${report}\n`,
  );
  return 0;
}

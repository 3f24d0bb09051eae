// `runsheet keygen`: an Ed25519 key pair for signing reports.
import { UserError } from '../core/errors.js';
import { DEFAULT_KEY_NAME, generateKey } from '../adapters/keys.js';
import type { CliIo } from './io.js';

export interface KeygenOptions {
  /** Key name: files NAME.pem and NAME.pub.pem in $RUNSHEET_HOME/keys. */
  name?: string;
  /** Encrypt the private key with the passphrase held in this environment variable. */
  passphraseEnv?: string;
}

export async function keygenCommand(opts: KeygenOptions, io: CliIo): Promise<number> {
  let passphrase: string | undefined;
  if (opts.passphraseEnv) {
    passphrase = io.env[opts.passphraseEnv];
    if (!passphrase)
      throw new UserError(`--passphrase-env ${opts.passphraseEnv}: that environment variable is empty; export the passphrase in it first`);
  }
  const k = await generateKey(io.home, opts.name ?? DEFAULT_KEY_NAME, passphrase);
  io.stdout(
    `Private key: ${k.privatePath} (mode 0600${passphrase ? ', passphrase-encrypted' : ''}; keep it secret)\n` +
      `Public key:  ${k.publicPath} (give it to auditors: runsheet verify REPORT --key ${k.publicPath})\n` +
      `Fingerprint: ${k.keyid}\n`,
  );
  return 0;
}

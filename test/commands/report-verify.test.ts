import { readFile, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { type CliIo } from '../../src/commands/io.js';
import { captureIo } from '../support/capture-io.js';
import { keygenCommand } from '../../src/commands/keygen.js';
import { reportCommand } from '../../src/commands/report.js';
import { signCommand } from '../../src/commands/sign.js';
import { verifyCommand } from '../../src/commands/verify.js';
import { decodeBase64Strict, pae, type DsseEnvelope } from '../../src/core/report/dsse.js';
import { sha256Hex } from '../../src/core/events.js';
import { isUserError } from '../../src/core/errors.js';
import { writeRunFixture, type RunFixture } from '../core/report/run-fixture.js';

const SECRETS = { DB_PASSWORD: 'pg-hunter2-secret', STRIPE_API_TOKEN: 'tok_live_abcdef123456' };

function io(fx: RunFixture, env: Record<string, string> = {}) {
  return captureIo({ home: fx.home, cwd: fx.cwd, env });
}

async function run<T extends unknown[]>(fn: (...a: [...T, CliIo]) => Promise<number>, cio: ReturnType<typeof captureIo>, ...args: T) {
  const code = await fn(...args, cio.io);
  return { code, out: cio.out(), err: cio.err() };
}

async function expectUserError(p: Promise<unknown>, message: RegExp, exitCode = 2) {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(isUserError(e), String(e)).toBe(true);
  expect((e as Error).message).toMatch(message);
  expect((e as { exitCode: number }).exitCode).toBe(exitCode);
}

async function setup(env: Record<string, string> = {}) {
  const fx = await writeRunFixture({ planted: Object.values(SECRETS) });
  const kg = await run(keygenCommand, io(fx), {});
  expect(kg.code).toBe(0);
  const rep = await run(reportCommand, io(fx, env), fx.runId, {});
  expect(rep.code).toBe(0);
  const report = join(fx.cwd, 'reports', `${fx.runId}.report.json`);
  return { fx, report, pub: join(fx.home, 'keys', 'default.pub.pem'), keyid: kg.out.match(/Fingerprint: ([0-9a-f]{64})/)![1] };
}

describe('keygen / report / verify / sign', () => {
  it('keygen prints both paths and the fingerprint', async () => {
    const fx = await writeRunFixture();
    const r = await run(keygenCommand, io(fx), { name: 'ops' });
    expect(r.out).toContain(`Private key: ${join(fx.home, 'keys', 'ops.pem')}`);
    expect(r.out).toContain(`Public key:  ${join(fx.home, 'keys', 'ops.pub.pem')}`);
    expect(r.out).toMatch(/Fingerprint: [0-9a-f]{64}\n/);
    await expectUserError(keygenCommand({ passphraseEnv: 'NOPE' }, io(fx).io), /NOPE: that environment variable is empty/);
  });

  it('report without a key says how to make one; --unsigned reports never verify', async () => {
    const fx = await writeRunFixture();
    await expectUserError(reportCommand(fx.runId, {}, io(fx).io), /no signing key: run `runsheet keygen`.*--unsigned/);
    const r = await run(reportCommand, io(fx), fx.runId, { unsigned: true, output: 'u.json' });
    expect(r.out).toContain('UNSIGNED');
    await run(keygenCommand, io(fx), {});
    const v = await run(verifyCommand, io(fx), 'u.json', {});
    expect([v.code, v.out]).toEqual([
      1,
      `INVALID: the report has no signatures; 1 required\ntrust: local keyring ${join(fx.home, 'keys')} (default.pub.pem)\n`,
    ]);
  });

  it('writes a DSSE envelope that verifies, printing the payload sha256 prefix and signer', async () => {
    const { fx, report, pub, keyid } = await setup();
    const env = JSON.parse(await readFile(report, 'utf8')) as DsseEnvelope;
    expect(env.payloadType).toBe('application/vnd.in-toto+json');
    expect(env.signatures).toHaveLength(1);
    expect(env.signatures[0].keyid).toBe(keyid);
    const digest = sha256Hex(decodeBase64Strict(env.payload)!);
    const v = await run(verifyCommand, io(fx), report, { key: [pub] });
    expect([v.code, v.out]).toEqual([
      0,
      `VERIFIED ${digest.slice(0, 12)} signed by default [${keyid.slice(0, 16)}]\ntrust: --key ${pub}\n`,
    ]);
    // With no trust options the operator's own public keys are the keyring — and it says so.
    const own = await run(verifyCommand, io(fx), report, {});
    expect([own.code, own.out.split('\n')[1]]).toEqual([0, `trust: local keyring ${join(fx.home, 'keys')} (default.pub.pem)`]);
    // Not when trust must be explicit, and never for a script (--json).
    await expectUserError(
      verifyCommand(report, { requireExplicitTrust: true }, io(fx).io),
      /--require-explicit-trust does not use the local keyring\): pass --key/,
    );
    await expectUserError(verifyCommand(report, { json: true }, io(fx).io), /--json does not use the local keyring/);
    const j = await run(verifyCommand, io(fx), report, { key: [pub], json: true });
    expect(JSON.parse(j.out)).toMatchObject({
      ok: true,
      report_sha256: digest,
      trust: [`--key ${pub}`],
      signers: [{ kind: 'ed25519', keyid }],
      report: { run_id: fx.runId, outcome: 'passed' },
    });
  });

  it('names signers from a --trusted file', async () => {
    const { fx, report, pub, keyid } = await setup();
    await writeFile(join(fx.cwd, 'trusted.txt'), `# auditors' list\nalice Deployment Engineer ${pub}\nbob "Tech Lead" ${'e'.repeat(64)}\n`);
    const v = await run(verifyCommand, io(fx), report, { trusted: 'trusted.txt' });
    expect(v.out).toMatch(
      new RegExp(
        `^VERIFIED [0-9a-f]{12} signed by alice \\(Deployment Engineer\\) \\[${keyid.slice(0, 16)}\\]\\ntrust: --trusted trusted.txt\\n$`,
      ),
    );
    expect(v.err).toContain('trusted.txt:3: no public key with keyid eeeeeeeeeeeeeeee');
    await writeFile(join(fx.cwd, 'bad.txt'), 'alice\n');
    await expectUserError(verifyCommand(report, { trusted: 'bad.txt' }, io(fx).io), /bad\.txt:1: expected NAME ROLE KEY/);
  });

  it('a file over the 64 MiB limit is INVALID unread, and still says whose trust applied', async () => {
    const { fx, pub } = await setup();
    const big = join(fx.cwd, 'big.json');
    await writeFile(big, '{}');
    await truncate(big, 65 * 1024 * 1024);
    const v = await run(verifyCommand, io(fx), big, { key: [pub] });
    expect([v.code, v.out]).toEqual([
      1,
      `INVALID: the report is 65.0 MiB; runsheet reads reports of at most 64 MiB\ntrust: --key ${pub}\n`,
    ]);
  });

  it('countersigning adds one signature, after which threshold 2 passes', async () => {
    const { fx, report, pub } = await setup();
    await run(keygenCommand, io(fx), { name: 'techlead' });
    const lead = join(fx.home, 'keys', 'techlead.pub.pem');
    expect((await run(verifyCommand, io(fx), report, { key: [pub, lead], threshold: '2' })).out).toBe(
      `INVALID: 1 of 1 signature(s) verify with a trusted key; 2 required\ntrust: --key ${pub}, ${lead}\n`,
    );
    const s = await run(signCommand, io(fx), report, { key: join(fx.home, 'keys', 'techlead.pem') });
    expect(s.code).toBe(0);
    const again = await run(signCommand, io(fx), report, { key: join(fx.home, 'keys', 'techlead.pem') });
    expect(again.err).toContain('already signed');
    expect((JSON.parse(await readFile(report, 'utf8')) as DsseEnvelope).signatures).toHaveLength(2);
    const v = await run(verifyCommand, io(fx), report, { key: [pub, lead], threshold: '2' });
    expect(v.code).toBe(0);
    expect(v.out).toMatch(/signed by default \[[0-9a-f]{16}\], techlead \[[0-9a-f]{16}\]/);
  });

  it('still verifies after a changed keyid; fails for flipped bytes across the file', async () => {
    const { fx, report, pub } = await setup();
    const text = await readFile(report, 'utf8');
    const env = JSON.parse(text) as DsseEnvelope;
    env.signatures[0].keyid = '0'.repeat(64);
    await writeFile(join(fx.cwd, 'hint.json'), JSON.stringify(env));
    expect((await run(verifyCommand, io(fx), 'hint.json', { key: [pub] })).code).toBe(0);

    const keyidAt = text.indexOf('"keyid"');
    const bytes = Buffer.from(text);
    for (let i = 0; i < bytes.length; i += Math.ceil(bytes.length / 60)) {
      if (i >= keyidAt && i < text.indexOf(',', keyidAt)) continue;
      const b = Buffer.from(bytes);
      b[i] ^= 0x01;
      await writeFile(join(fx.cwd, 'flip.json'), b);
      // A flip that breaks the JSON makes it no report at all: a usage error (exit 2), never VERIFIED.
      let json = true;
      try {
        JSON.parse(b.toString('utf8'));
      } catch {
        json = false;
      }
      if (!json) {
        await expectUserError(run(verifyCommand, io(fx), 'flip.json', { key: [pub] }), /not a runsheet report \(not JSON text\)/);
        continue;
      }
      const v = await run(verifyCommand, io(fx), 'flip.json', { key: [pub] });
      expect(v.code, `byte ${i}`).toBe(1);
      expect(v.out).toMatch(/^INVALID: [^\n]+\ntrust: --key [^\n]+\n$/);
    }
  });

  it('never lets secret values from the environment into the report (json or md)', async () => {
    const { fx, report, pub } = await setup(SECRETS);
    const md = await run(reportCommand, io(fx, SECRETS), fx.runId, { format: 'md' });
    expect(md.code).toBe(0);
    const text = await readFile(report, 'utf8');
    const payload = Buffer.from(decodeBase64Strict((JSON.parse(text) as DsseEnvelope).payload)!).toString('utf8');
    const mdText = await readFile(join(fx.cwd, 'reports', `${fx.runId}.report.md`), 'utf8');
    for (const v of Object.values(SECRETS)) {
      for (const t of [text, payload, mdText, md.out, md.err]) expect(t).not.toContain(v);
    }
    expect(payload).toContain('curl: (7) Failed to connect *** ***');
    // Redacted events keep the chain checkable, so the report still verifies.
    expect((await run(verifyCommand, io(fx), report, { key: [pub] })).code).toBe(0);
  });

  it('md report: summary, failures and overrides, phases, comparisons, sign-offs, sha and signer', async () => {
    const { fx, keyid } = await setup();
    await run(reportCommand, io(fx), fx.runId, { format: 'md', output: 'out.md', subject: [`registry/app=sha256:${'d'.repeat(64)}`] });
    const md = await readFile(join(fx.cwd, 'out.md'), 'utf8');
    expect(md).toMatch(/^# Deployment report — Payments API release\n/);
    expect(md).toContain('4 of 6 items done');
    expect(md).toContain('| Outcome | PASSED |');
    expect(md).toContain('| 2026-03-01 10:10:00 UTC | Failure accepted | Smoke tests | bob | flaky checkout test; verified by hand |');
    expect(md).toContain('| Smoke tests | ACCEPTED | 5 s | exit 1; accepted by bob: flaky checkout test; verified by hand | – | – |');
    expect(md).toContain('## Phase: Pre-Deployment\n\n2 of 2 done; 2026-03-01 10:01:00 UTC → 2026-03-01 10:05:00 UTC (4 min 00 s).');
    expect(md).toContain('| p95 latency | 120 → 130 (+10, +8.3%) WARN | – |');
    expect(md).toContain('| Pre-Deployment | Tech Lead | alice | 2026-03-01 10:06:00 UTC |');
    expect(md).toContain('| Pre-Deployment | QA Lead | NOT SIGNED | – |');
    expect(md).toContain(`| Subject | registry/app sha256:${'d'.repeat(64)} |`);
    expect(md).toContain('## Rollback track: Rollback\n\nNot used: the run did not roll back (1 item, none run).');
    expect(md).toContain('4 of 6 items done (1 of the 6 are on the rollback track, which was not needed)');
    const env = JSON.parse(await readFile(join(fx.cwd, 'reports', `${fx.runId}.report.json`), 'utf8')) as DsseEnvelope;
    expect(md).toContain(`Report sha256 (the signed statement): \`${sha256Hex(decodeBase64Strict(env.payload)!)}\``);
    expect(md).toContain(
      `sha256 of the signed envelope file: \`${sha256Hex(await readFile(join(fx.cwd, 'reports', `${fx.runId}.report.json`)))}\``,
    );
    expect(md).toContain(`Signed by: \`${keyid}\``);
  });

  it('signs with an SSH key; verify --allowed-signers, and plain ssh-keygen -Y verify over the PAE bytes, accept it', async () => {
    const fx = await writeRunFixture();
    const key = join(fx.root, 'id_ed25519');
    await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'alice', '-f', key]);
    const pubLine = (await readFile(`${key}.pub`, 'utf8')).trim().split(' ');
    const allowed = join(fx.root, 'allowed_signers');
    await writeFile(allowed, `alice@example.com ${pubLine[0]} ${pubLine[1]}\n`);
    expect((await run(reportCommand, io(fx), fx.runId, { sshKey: key, output: 'ssh.json' })).code).toBe(0);
    const v = await run(verifyCommand, io(fx), 'ssh.json', { allowedSigners: allowed });
    expect(v.out).toMatch(
      /^VERIFIED [0-9a-f]{12} signed by alice@example.com \[SHA256:[A-Za-z0-9+/]{43}\]\ntrust: --allowed-signers [^\n]+\n$/,
    );

    // The documented recipe, without runsheet: decode, rebuild PAE, ssh-keygen -Y verify.
    const env = JSON.parse(await readFile(join(fx.cwd, 'ssh.json'), 'utf8')) as DsseEnvelope;
    const body = decodeBase64Strict(env.payload)!;
    await writeFile(join(fx.root, 'pae.bin'), pae(env.payloadType, body));
    await writeFile(join(fx.root, 'sig.armor'), decodeBase64Strict(env.signatures[0].sig)!);
    const r = await execa(
      'ssh-keygen',
      ['-Y', 'verify', '-f', allowed, '-I', 'alice@example.com', '-n', 'runsheet-report', '-s', join(fx.root, 'sig.armor')],
      {
        inputFile: join(fx.root, 'pae.bin'),
        reject: false,
      },
    );
    expect(r.exitCode).toBe(0);
    // An Ed25519-only verifier does not count the SSH signature.
    await run(keygenCommand, io(fx), {});
    expect((await run(verifyCommand, io(fx), 'ssh.json', {})).code).toBe(1);
  });

  it('openssl verifies the Ed25519 signature over the PAE bytes (documented recipe)', async () => {
    const { fx, report, pub } = await setup();
    const env = JSON.parse(await readFile(report, 'utf8')) as DsseEnvelope;
    await writeFile(join(fx.root, 'pae.bin'), pae(env.payloadType, decodeBase64Strict(env.payload)!));
    await writeFile(join(fx.root, 'sig.bin'), decodeBase64Strict(env.signatures[0].sig)!);
    const r = await execa(
      'openssl',
      ['pkeyutl', '-verify', '-pubin', '-inkey', pub, '-rawin', '-in', join(fx.root, 'pae.bin'), '-sigfile', join(fx.root, 'sig.bin')],
      { reject: false },
    );
    expect(r.stdout).toContain('Signature Verified Successfully');
  });

  it('usage errors exit 2', async () => {
    const { fx, report, pub } = await setup();
    await expectUserError(verifyCommand(report, { key: [pub], threshold: '0' }, io(fx).io), /--threshold must be a whole number/);
    await expectUserError(verifyCommand('missing.json', { key: [pub] }, io(fx).io), /missing\.json: cannot read the report/);
    await expectUserError(reportCommand('../etc', {}, io(fx).io), /not a valid run id/);
    await expectUserError(reportCommand('nope', {}, io(fx).io), /no run "nope"/);
    await expectUserError(reportCommand(fx.runId, { format: 'pdf' }, io(fx).io), /--format "pdf": use json, md or html/);
    await expectUserError(reportCommand(fx.runId, { subject: ['app=sha256:xyz'] }, io(fx).io), /expected NAME=sha256:HEX/);
    await expectUserError(signCommand(report, {}, io(fx).io), /sign needs --key FILE/);
  });
});

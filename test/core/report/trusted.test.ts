import { describe, expect, it } from 'vitest';
import { parseTrusted } from '../../../src/core/report/trusted.js';

describe('parseTrusted', () => {
  it('reads NAME ROLE KEY lines with multi-word or quoted roles, keyids and SSH fingerprints', () => {
    const fp = 'SHA256:' + 'A'.repeat(43);
    const r = parseTrusted(
      `# signers\n\nalice Deployment Engineer keys/alice.pub.pem\n"Bob Smith" "Tech Lead" ${'AB'.repeat(32)}\ncarol SRE ${fp}\n`,
    );
    expect(r.problems).toEqual([]);
    expect(r.entries).toEqual([
      { name: 'alice', role: 'Deployment Engineer', key: { kind: 'path', path: 'keys/alice.pub.pem' }, line: 3 },
      { name: 'Bob Smith', role: 'Tech Lead', key: { kind: 'keyid', keyid: 'ab'.repeat(32) }, line: 4 },
      { name: 'carol', role: 'SRE', key: { kind: 'ssh', fingerprint: fp }, line: 5 },
    ]);
  });

  it('reports short lines and unterminated quotes with their line numbers', () => {
    expect(parseTrusted('alice key.pem\n"bob Tech Lead k.pem\n').problems).toEqual([
      { line: 1, message: 'expected NAME ROLE KEY (public key file, keyid or SSH fingerprint)' },
      { line: 2, message: 'unterminated quote' },
    ]);
  });
});

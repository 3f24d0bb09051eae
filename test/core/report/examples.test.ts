// docs/examples is made by scripts/make-examples.mjs from a real run. Its Markdown must be exactly
// what today's renderer makes from the committed signed envelope, so the example never drifts
// from the code (fix: `node scripts/make-examples.mjs`), and the envelope must verify with the
// committed public key.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../../src/core/report/markdown.js';
import { decodeBase64Strict, type DsseEnvelope } from '../../../src/core/report/dsse.js';
import type { Statement } from '../../../src/core/report/predicate.js';
import { sha256Hex } from '../../../src/core/events.js';
import { captureIo } from '../../support/capture-io.js';
import { verifyCommand } from '../../../src/commands/verify.js';

const dir = join(import.meta.dirname, '..', '..', '..', 'docs', 'examples');
const envName = readdirSync(join(dir, 'reports')).find((f) => f.endsWith('.report.json'))!;
const envText = readFileSync(join(dir, 'reports', envName));

describe('docs/examples', () => {
  it('the Markdown example is what the renderer makes from the committed envelope', () => {
    const env = JSON.parse(envText.toString('utf8')) as DsseEnvelope;
    const payload = decodeBase64Strict(env.payload)!;
    const st = JSON.parse(new TextDecoder().decode(payload)) as Statement;
    const md = renderMarkdown(st, {
      reportSha256: sha256Hex(payload),
      signers: env.signatures.map((s) => ({ keyid: s.keyid ?? '' })),
      envelopePath: `reports/${envName}`,
      envelopeSha256: sha256Hex(envText),
    });
    expect(md, 'docs/examples is stale: run `node scripts/make-examples.mjs`').toBe(readFileSync(join(dir, 'demo-report.md'), 'utf8'));
    const html = readFileSync(join(dir, 'demo-report.html'), 'utf8');
    expect(html).toContain(sha256Hex(envText));
    expect(html.match(/data-chart="metric"/g)?.length).toBeGreaterThanOrEqual(6);
  });

  it('the example envelope verifies with the committed public key', async () => {
    const c = captureIo({ cwd: dir, home: join(dir, 'no-home') });
    expect(await verifyCommand(join('reports', envName), { key: ['release-owner.pub.pem'] }, c.io)).toBe(0);
    expect(c.out()).toMatch(/^VERIFIED [0-9a-f]{12} signed by release-owner/);
  });
});

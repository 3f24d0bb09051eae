import { describe, expect, it } from 'vitest';
import { isSafeText, safeJson, safeJsonText, safeLine, safeText } from '../../src/core/safe-text.js';

describe('safeText / safeLine', () => {
  it('escapes OSC 52, CSI, C1 and bidi overrides visibly, keeping tab and newline', () => {
    expect(safeText('a\x1b]52;c;AAA\x07b\n\tc\u009b2J\u202e')).toBe('a\\x1b]52;c;AAA\\x07b\n\tc\\x9b2J\\u202e');
  });
  it('turns line breaks into spaces in a single line and escapes the rest', () => {
    expect(safeLine('a\r\nb\x1b[2Jc\rd')).toBe('a b\\x1b[2Jc\\x0dd');
  });
  it('leaves plain text (and non-control Unicode) alone, the same object', () => {
    const s = 'Déploiement ✓ 日本 — ok';
    expect(safeText(s)).toBe(s);
    expect(safeLine(s)).toBe(s);
    expect(isSafeText(s)).toBe(true);
    expect(isSafeText('x\x1by')).toBe(false);
  });
  it('gives the same answer when called repeatedly (no stateful regex)', () => {
    for (let i = 0; i < 3; i++) expect(safeText('\x1bx')).toBe('\\x1bx');
  });
  it('never lets an ESC or C1 byte through, whatever the input', () => {
    let all = '';
    for (let c = 0; c < 0x3000; c++) all += String.fromCharCode(c);
    for (const out of [safeText(all), safeLine(all)]) {
      // eslint-disable-next-line no-control-regex
      expect(out).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/);
    }

    expect(safeLine(all)).not.toMatch(/[\n\t]/);
  });
});

describe('safeJson / safeJsonText', () => {
  it('escapes what JSON.stringify leaves raw (DEL, C1, bidi, LS/PS) and parses back to the same value', () => {
    const v = { t: 'a\x1b]0;x\x07b\x7fc\u009b2Jd\u202ee\u2028f', n: [1, 'ok'] };
    const json = safeJson(v, 2);
    expect(isSafeText(json)).toBe(true);
    expect(json).toContain('\\u009b2J');
    expect(JSON.parse(json)).toEqual(v);
    expect(safeJsonText(JSON.stringify(v))).toBe(safeJson(v));
  });
  it('leaves clean JSON alone, so the CLI net (safeText) never touches it', () => {
    const json = safeJson({ a: 'é ✓ 日本', b: '\x1b' });
    expect(safeText(json)).toBe(json);
  });
});

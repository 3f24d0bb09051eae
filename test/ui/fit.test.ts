// Width-aware label shortening (src/ui/fit.ts): section titles keep both ends, and every result
// fits its columns even with wide characters.
import { describe, expect, it } from 'vitest';
import stringWidth from 'string-width';
import { fitEnd, fitMiddle, padTo } from '../../src/ui/fit.js';

const A = 'Metrics Monitoring (Every 5 minutes for the first hour) › Performance Metrics';
const B = 'Metrics Monitoring (Every 5 minutes for the first hour) › Error Budget Metrics';

describe('fitMiddle', () => {
  it('keeps both ends of a long title, so siblings stay apart', () => {
    const a = fitMiddle(A, 28);
    const b = fitMiddle(B, 28);
    expect(a).toMatch(/^Metrics Monito.*….*Metrics$/);
    expect(a).toContain('nce Metrics');
    expect(a).not.toBe(b);
    expect(stringWidth(a)).toBeLessThanOrEqual(28);
    expect(stringWidth(b)).toBeLessThanOrEqual(28);
  });

  it('returns short text unchanged and handles tiny widths', () => {
    expect(fitMiddle('Short', 10)).toBe('Short');
    expect(fitMiddle('Short', 5)).toBe('Short');
    expect(fitMiddle('Shorter', 1)).toBe('…');
    expect(fitMiddle('Shorter', 0)).toBe('');
  });

  it('counts columns, not characters: wide characters never overflow', () => {
    const t = '数据库迁移检查 › 第二部分的性能指标';
    for (let w = 1; w < 40; w++) expect(stringWidth(fitMiddle(t, w)), `width ${w}`).toBeLessThanOrEqual(w);
    expect(fitMiddle(t, 12)).toContain('…');
    expect(fitMiddle(t, 12).endsWith('指标')).toBe(true);
  });

  it('never splits an emoji sequence', () => {
    const t = 'Deploy 👩‍👩‍👧 family of services to the 🇩🇪 region now';
    for (let w = 2; w < 50; w++) {
      const s = fitMiddle(t, w);
      expect(stringWidth(s)).toBeLessThanOrEqual(w);
      expect(s.includes('\u200d') ? s.includes('👩‍👩‍👧') : true).toBe(true);
    }
  });
});

describe('fitEnd / padTo', () => {
  it('cut at the end and pad to exact columns', () => {
    expect(fitEnd('abcdef', 4)).toBe('abc…');
    expect(padTo('ab', 4)).toBe('ab  ');
    expect(stringWidth(padTo('数据库迁移', 5))).toBe(5);
  });
});

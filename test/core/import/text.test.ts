// The text-level pieces: title cleaning, blanks → records, shell grouping and ${NAME} rewriting.
import { describe, expect, it } from 'vitest';
import { cleanTitle, recordSpec, roleOf, signoffLineRole } from '../../../src/core/import/text.js';
import { escapeRunVars, httpCheckOf, isAssignmentsOnly, splitShell } from '../../../src/core/import/shell.js';
import { formatSummary } from '../../../src/core/import/index.js';
import { imp } from './helpers.js';

describe('cleanTitle', () => {
  it.each([
    ['1. Code & Version Control âœ“', 'Code & Version Control'],
    ['Phase 0: Pre-Deployment Planning (2-3 days before)', 'Pre-Deployment Planning (2-3 days before)'],
    ['[ ] Team Preparation', 'Team Preparation'],
    ['âš ï¸ Warning signs', 'Warning signs'],
    ['🚀 Launch ✅', 'Launch'],
    ['Step 3 - Verify:', 'Verify'],
    ['32 indexes created', '32 indexes created'],
    ['Café checks', 'Café checks'],
  ])('%s → %s', (raw, want) => expect(cleanTitle(raw)).toBe(want));
});

describe('recordSpec', () => {
  it('reads units after the blank, ignoring blanks inside parentheses', () => {
    expect(recordSpec('Request Rate: ___ req/s (expected baseline: ___)')).toEqual({
      title: 'Request Rate (expected baseline: …)',
      record: 'number',
      unit: 'req/s',
    });
    expect(recordSpec('p95: ___ ms (target: <500ms)')).toEqual({ title: 'p95 (target: <500ms)', record: 'number', unit: 'ms' });
    expect(recordSpec('Cache Hit Rate: __% (target: >70%)')).toMatchObject({ record: 'number', unit: '%' });
    expect(recordSpec('Owner: ___')).toEqual({ title: 'Owner', record: 'text' });
    expect(recordSpec('API latency (p50, p95): ___ms, ___ms')).toMatchObject({ title: 'API latency (p50, p95)', record: 'text' });
    expect(recordSpec('Uses FOO__BAR and __init__')).toBeUndefined();
    expect(recordSpec('No blanks here')).toBeUndefined();
  });
  it('reads ballot-box choices', () => {
    expect(recordSpec('**Decision**: ☐ Keep ☐ Rollback (if No to any above)')).toEqual({
      title: 'Decision (if No to any above)',
      record: 'choice',
      options: ['Keep', 'Rollback'],
    });
  });
});

describe('sign-off lines', () => {
  it('name the role', () => {
    expect(signoffLineRole('Tech Lead: _____________________ Date: _____')).toBe('Tech Lead');
    expect(signoffLineRole('Error rate: ___%')).toBeUndefined();
    expect(roleOf('CTO (for major releases)')).toBe('CTO');
  });
});

describe('splitShell', () => {
  it('keeps multi-line quotes, continuations and heredocs in one group', () => {
    const v = [
      '# Check',
      'python3 -c "',
      'print(1)',
      '',
      '"',
      'cat <<EOF',
      'a',
      '',
      'EOF',
      '# Next',
      'ls \\',
      '  -la',
      '# Expected: files',
      '',
      '# dangling',
    ].join('\n');
    const { groups, loose } = splitShell(v, 10);
    expect(groups.map((g) => [g.comments, g.commands, g.line, g.endLine])).toEqual([
      [['Check'], 2, 10, 18],
      [['Next'], 1, 19, 21],
    ]);
    expect(loose.map((l) => [l.text, l.line, l.after])).toEqual([
      ['Expected: files', 22, 1],
      ['dangling', 24, 1],
    ]);
  });
  it('recognises env-file examples', () => {
    expect(isAssignmentsOnly(splitShell('A=1\nexport B="x y"', 1).groups[0])).toBe(true);
    expect(isAssignmentsOnly(splitShell('A=1 pytest', 1).groups[0])).toBe(false);
  });
  it('finds curl health checks, not writes', () => {
    const g = (s: string) => splitShell(s, 1).groups[0];
    expect(httpCheckOf(g('curl -fsS https://x.test/healthz'))).toEqual({ url: 'https://x.test/healthz', method: 'GET' });
    expect(httpCheckOf(g('curl -s https://x.test/ready | jq .'))).toEqual({ url: 'https://x.test/ready', method: 'GET' });
    expect(httpCheckOf(g('curl -I --fail https://x.test/'))).toEqual({ url: 'https://x.test/', method: 'HEAD' });
    expect(httpCheckOf(g('curl -X POST https://x.test/health'))).toBeUndefined();
    expect(httpCheckOf(g('curl -H "A: b" -f https://x.test/health'))).toBeUndefined();
    expect(httpCheckOf(g('curl -f "$URL/health"'))).toBeUndefined();
  });
});

describe('escapeRunVars', () => {
  it('rewrites only plain ${NAME}, keeping shell meaning', () => {
    expect(escapeRunVars('echo ${A} ${B}x "${C}" \'${D}\' ${1} ${E:-y} $F')).toBe(`echo $A \${B#}x "$C" '$''{D}' \${1} \${E:-y} $F`);
  });
});

describe('formatSummary', () => {
  it('lists counts, notes and skipped lines with line numbers', () => {
    const text = formatSummary(imp('# T\n\n## A\n- [ ] one ___ ms\n\n---\n\n<!-- hidden -->\n\nA note.\n').summary);
    expect(text).toContain('1 phase, 1 section, 1 item (1 record)');
    expect(text).toContain('line 10: prose → notes of one');
    expect(text).toContain('line 6: horizontal rule');
    expect(text).toContain('line 8: HTML comment');
  });
});

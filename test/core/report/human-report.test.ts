// The Markdown and HTML reports a change board reads, from a demo-shaped run with a rollback, an
// accepted warning, a watch, operator notes and hostile text: readable facts first, units on every
// number, no JSON in any cell, and nothing that escapes its table cell or its HTML element.
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../../src/core/report/markdown.js';
import { renderHtml } from '../../../src/core/report/html.js';
import { groupComparisons } from '../../../src/core/report/comparisons.js';
import { mdCell } from '../../../src/core/report/md-escape.js';
import { fmtDuration, withUnit } from '../../../src/core/report/units.js';
import { demoStatement, ROLLBACK_REASON } from './demo-fixture.js';

const OPTS = {
  reportSha256: 'a'.repeat(64),
  signers: [{ keyid: 'f'.repeat(64) }],
  envelopePath: 'reports/demo.report.json',
  envelopeSha256: 'e'.repeat(64),
};
const md = (finished = true) => renderMarkdown(demoStatement({ finished }), OPTS);
const tableLines = (text: string) => text.split('\n').filter((l) => l.startsWith('|'));
/** Cells of a table row, split on unescaped pipes only. */
const cells = (line: string) => line.slice(2, -2).split(/(?<!\\) \| /);

describe('Markdown report', () => {
  it('puts outcome, window, operators, rollback with its reason and the overrides in the first screenful', () => {
    const head = md().split('\n').slice(0, 25).join('\n');
    expect(head).toContain('| Outcome | FAILED, ROLLED BACK |');
    expect(head).toContain('| Window | 2026-12-03 06:37:35 UTC → 2026-12-03 06:45:16 UTC |');
    expect(head).toContain('| Duration | 7 min 41 s |');
    expect(head).toContain('| Operators | ann, lee (last on bastion-1) |');
    expect(head).toContain(`| Rollback | started 2026-12-03 06:42:59 UTC: ${ROLLBACK_REASON.replace('|', '\\|')} |`);
    expect(head).toMatch(/\| Overrides \| 1: Warning accepted \(Metrics compared with the baseline/);
    expect(head).not.toContain('NOT FINISHED');
  });

  it('warns on a run that has not finished, at the top', () => {
    const lines = md(false).split('\n');
    expect(lines[2]).toMatch(/^> \*\*NOT FINISHED — status active; this is not a final report\.\*\*/);
    expect(lines.slice(0, 10).join('\n')).toContain('| Outcome | NOT FINISHED (active) |');
  });

  it('has no JSON text in any table cell, and every table row has its columns (no pipe or newline escapes a cell)', () => {
    const text = md();
    for (const line of tableLines(text)) {
      expect(line, line).not.toMatch(/\{|(?<!\\)\[|"abs"|"rel"/);
      expect(line).not.toMatch(/\d\.\d{7,}/); // float noise like 6.1559999999999775
    }
    // Tables keep their shape: each row has as many cells as its header.
    const blocks = text
      .split('\n\n')
      .map((b) => tableLines(b))
      .filter((b) => b.length > 2);
    for (const b of blocks) for (const row of b.slice(2)) expect(cells(row).length, row).toBe(cells(b[0]).length);
  });

  it('shows every metric value with its unit and the result in words', () => {
    const text = md();
    const units: Record<string, string> = {
      'Latency p95': 'ms',
      'Latency p50': 'ms',
      'Error rate (Prometheus)': '%',
      'Request rate': 'req/s',
      "Error rate (service's own /stats)": 'ratio',
      'Open support tickets (typed in by the operator)': 'tickets',
    };
    const metricRows = tableLines(text.slice(text.indexOf('## Metric comparisons'))).filter((l) =>
      Object.keys(units).some((u) => l.startsWith(`| ${u} `)),
    );
    expect(metricRows.length).toBe(9);
    for (const row of metricRows) {
      const [title, result] = cells(row);
      const unit = units[title.replace(' (critical)', '')];
      expect(result, row).toMatch(
        new RegExp(`^[\\d.]+ ?${unit.replace('/', '\\/')} → [\\d.]+ ?${unit.replace('/', '\\/')} \\(.*\\) (PASS|WARN|FAIL)$`),
      );
    }
    expect(text).toContain(
      '| Latency p95 (critical) | 176.3 ms → 195.1 ms (+18.83 ms, +10.7%, worse) WARN | worse by +10.7% \\> warn 10% |',
    );
    expect(text).toContain('0.423% → 0.304% (−0.119 pp, −28.1%, better) PASS');
    // Health checks and commands say what happened, not just PASSED.
    expect(text).toContain('| Service reports itself healthy (database and redis ok) (critical) | Passed | 15 ms | HTTP 200 in 12 ms |');
    expect(text).toContain('| Ship release 1.5.0 (critical) | Passed | 412 ms | exit 0 in 412 ms: now serving 1.5.0 |');
    expect(text).toContain('| Latency p95 as the dashboard shows it now | Recorded | – | Recorded by ann: 182 ms | – | 182 ms |');
  });

  it('one comparison table per compare item, titled by the item; the watch says how it went over time', () => {
    const text = md();
    const headings = text.split('\n').filter((l) => l.startsWith('### '));
    expect(headings).toContain('### Metrics compared with the baseline: after-release vs baseline — WARN');
    expect(headings).toContain('### Keep watching for half a minute: watch vs baseline, 3 comparisons — WARN');
    expect(new Set(headings).size).toBe(headings.length);
    expect(text).toContain('| 3 comparisons: 186.4 ms to 197.5 ms |');
    expect(text).not.toContain('watch vs baseline — ');
  });

  it('shows operator notes beside their item and the run notes, sanitised and escaped', () => {
    const text = md();
    const disk = tableLines(text).find((l) => l.startsWith('| Enough free disk space'))!;
    expect(cells(disk)).toHaveLength(6);
    expect(cells(disk)[4]).toBe(
      '2026-12-03 06:37:59 UTC ann: disk at 71% \\| not a \\\\x1b\\[2Jproblem second line \\[x\\](javascript:alert(1)) \\<img src=x onerror=alert(1)\\>',
    );
    expect(text).toContain(
      '| Keep watching for half a minute | FAILED | 23 s | WARN over 3 comparisons: 3 metrics (2 pass, 1 warn) | 2026-12-03 06:42:36 UTC ann: p95 climbing on /checkout; calling it. |',
    );
    expect(text).toContain('- 2026-12-03 06:40:21 UTC ann: Bridge call open; Lee joined as on-call.');
    expect(text).not.toContain('\u001b');
    expect(text).not.toMatch(/(?<!\\)<img|(?<!\\)\]\(javascript/);
  });

  it('lists sign-offs with role, name and time, missing ones plainly, headings never doubled', () => {
    const text = md();
    expect(text).toContain('| Before the change | Release Owner | Ann Example | 2026-12-03 06:39:07 UTC |');
    expect(text).toContain('| Verify and sign off | On-call Engineer | NOT SIGNED | – |');
    expect(text).not.toMatch(/Sign-Off Sign-Off|Sign-off Sign-off/i);
    expect(text).toContain('## Verifying this report');
    expect(text).toContain('runsheet verify reports/demo.report.json --key PUBLIC-KEY.pem');
    expect(text).toContain(`sha256 of the signed envelope file: \`${'e'.repeat(64)}\``);
  });

  it('reads odd or hostile comparison rows as no data, never as JSON', () => {
    const [g] = groupComparisons([
      {
        item: null,
        baseline: 'b',
        label: 'a',
        status: 'pass',
        ts: '2026-01-01T00:00:00.000Z',
        rows: [null, 'x', [1, 2], { id: 'q|x\n', after: 'NaN', samples: { baseline: ['1'], after: null } }],
      },
    ]);
    expect(g.rows.map((r) => r.result)).toEqual([
      'no data → no data NO DATA',
      'no data → no data NO DATA',
      'no data → no data NO DATA',
      'no data → no data NO DATA',
    ]);
    expect(mdCell(g.rows[3].title)).toBe('q\\|x');
  });

  it('formats units and durations for people', () => {
    expect(withUnit(0.30000000000000004, '%')).toBe('0.3%');
    expect(withUnit(6.1559999999999775, 'ms')).toBe('6.16 ms');
    expect(withUnit(182.04, 'ms')).toBe('182 ms');
    expect(fmtDuration(4 * 60_000)).toBe('4 min 00 s');
    expect(fmtDuration(3_725_000)).toBe('1 h 02 min');
  });
});

describe('HTML report', () => {
  const html = renderHtml(demoStatement(), OPTS);
  it('is one self-contained page: no script, no external URL, a CSP that forbids fetching', () => {
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).not.toMatch(/<script|<link|<iframe|@import|url\(/i);
    expect(html).not.toMatch(/<[^>]*\s(src|href)=/i);
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    );
  });

  it('escapes every text: hostile notes are text, not markup', () => {
    expect(html).toContain('disk at 71% | not a \\x1b[2Jproblem second line [x](javascript:alert(1)) &lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('\u001b');
  });

  it('has the timeline, a chart per compared metric, the sign-off block, print CSS and the envelope digest', () => {
    expect(html.match(/data-chart="timeline"/g)).toHaveLength(1);
    expect(html.match(/data-chart="metric"/g)).toHaveLength(9);
    expect(html).toContain('<h2>Sign-offs</h2>');
    expect(html).toContain('@media print');
    expect(html).toContain('section.phase { break-before: page; }');
    expect(html).toContain(`<code class="envelope-digest">${'e'.repeat(64)}</code>`);
    expect(html).toContain(`runsheet verify reports/demo.report.json --key PUBLIC-KEY.pem`);
  });

  it('shows the banner on an unfinished run', () => {
    expect(renderHtml(demoStatement({ finished: false }), OPTS)).toContain(
      '<div class="banner" role="alert">NOT FINISHED — status active; this is not a final report.',
    );
  });
});

describe('Markdown report: the checklist reference', () => {
  it('keeps reference tables as tables, after the run, escaped, and says it is not signed', () => {
    const reference = [
      {
        title: 'Contacts \x1b]0;pwn\x07',
        notes:
          'Who to call:\n\n| Role | Name | Phone |\n|---|---|---|\n| On-call | Ann Lee | +1 555 0101 |\n| DBA | Bob \\| Carol | +1 555 0102 |\n',
      },
    ];
    const text = renderMarkdown(demoStatement({ finished: true }), { ...OPTS, reference });
    const at = text.indexOf('## Reference (from the checklist)');
    expect(at).toBeGreaterThan(text.indexOf('## Sign-offs'));
    expect(text).toContain('not part of the signed record');
    const part = text.slice(at);
    expect(part).toMatch(/### Contacts \S*x1b\S*0;pwn\S*x07\n/); // escaped, visible
    expect(part).toContain(
      '| Role | Name | Phone |\n|---|---|---|\n| On-call | Ann Lee | +1 555 0101 |\n| DBA | Bob \\| Carol | +1 555 0102 |',
    );
    // eslint-disable-next-line no-control-regex -- no raw control may reach the report
    expect(text).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
  });

  it('has no reference part when the checklist has none', () => {
    expect(md()).not.toContain('## Reference (from the checklist)');
  });
});

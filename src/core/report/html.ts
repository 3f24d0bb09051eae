// The HTML report: one self-contained page (inline CSS and SVG, no script, no network) with the
// Markdown report's content plus pictures — the window's timeline and a before/after chart per
// compared metric — and print CSS so "print to PDF" gives the board its PDF. Every text goes
// through esc() (safeText, then HTML entities); a Content-Security-Policy forbids any fetch.
import type { Statement } from './predicate.js';
import { buildReportView, type ItemView, type NoteView, type ReportRenderOptions, type ReportView } from './view.js';
import { seriesSummary } from './comparisons.js';
import { esc } from './html-escape.js';
import { REPORT_CSS } from './html-style.js';
import { metricChartSvg } from './svg-chart.js';
import { timelineSvg } from './svg-timeline.js';
import { fmtTime } from './units.js';

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

const noteHtml = (n: NoteView): string =>
  n.operator ? `<span class="muted">${esc(fmtTime(n.ts))} ${esc(n.operator)}:</span> ${esc(n.text)}` : esc(n.text);

function outcomeClass(v: ReportView): string {
  if (!v.finished) return 'unfinished';
  return v.outcome.startsWith('PASSED') ? 'passed' : v.outcome.startsWith('ABANDONED') ? 'abandoned' : 'failed';
}

function itemsTable(items: ItemView[]): string {
  const rows = items.map((i) => {
    const cls = i.bad ? 'bad' : i.overridden ? 'overridden' : '';
    return `<tr${cls ? ` class="${cls}"` : ''}><td>${esc(i.label)}${i.critical ? ' <span class="muted">(critical)</span>' : ''}</td><td class="s-${esc(i.status)}">${esc(i.bad || i.overridden ? i.statusWord.toUpperCase() : i.statusWord)}</td><td>${esc(i.duration)}</td><td>${esc(i.result)}</td><td>${i.notes.length ? i.notes.map(noteHtml).join('<br>') : '–'}</td><td>${i.values.length ? i.values.map(esc).join('<br>') : '–'}</td></tr>`;
  });
  return `<table class="items"><colgroup><col class="c-item"><col class="c-status"><col class="c-dur"><col class="c-result"><col class="c-notes"><col class="c-values"></colgroup><thead><tr><th>Item</th><th>Status</th><th>Duration</th><th>Result</th><th>Notes</th><th>Recorded values</th></tr></thead><tbody>${rows.join('\n')}</tbody></table>`;
}

function table(head: string[], rows: string[][], cls = ''): string {
  return `<table${cls ? ` class="${cls}"` : ''}><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n')}</tbody></table>`;
}

function header(v: ReportView): string {
  const out: string[] = [`<h1>Deployment report — ${esc(v.title)}</h1>`];
  if (v.banner)
    out.push(`<div class="banner" role="alert">${esc(v.banner)}. It shows the run as it stood at ${esc(fmtTime(v.endedAt))}.</div>`);
  const facts = v.facts.map(
    ([k, val]) =>
      `<tr><th>${esc(k)}</th><td>${k === 'Outcome' ? `<span class="outcome ${outcomeClass(v)}">${esc(val)}</span>` : k === 'Run' || k === 'Subject' || k === 'Checklist' ? `<span class="mono">${esc(val)}</span>` : esc(val)}</td></tr>`,
  );
  out.push(`<table class="facts"><tbody>${facts.join('\n')}</tbody></table>`);
  return out.join('\n');
}

function comparisonsSection(v: ReportView): string {
  const out = ['<section class="comparisons"><h2>Metric comparisons</h2>'];
  if (!v.comparisons.length) out.push('<p>None.</p>');
  for (const c of v.comparisons) {
    const watched = c.count > 1;
    out.push(`<h3>${esc(c.heading)} — <span class="st-${esc(c.status)}">${esc(c.status.toUpperCase())}</span></h3>`);
    out.push(
      table(
        ['Metric', 'Baseline → after (change, verdict) status', ...(watched ? ['Over the watch'] : []), 'Rule applied'],
        c.rows.map((r) => [
          `${esc(r.title)}${r.critical ? ' <span class="muted">(critical)</span>' : ''}`,
          `<span class="st-${esc(r.status)}">${esc(r.result)}</span>`,
          ...(watched ? [esc(seriesSummary(r))] : []),
          esc(r.rule),
        ]),
      ),
    );
    out.push(
      `<div class="charts">${c.rows.map((r) => `<figure class="chart"><h4>${esc(r.title)}</h4>${metricChartSvg(r, v.rules[r.id])}<figcaption>${esc(r.result)}</figcaption></figure>`).join('\n')}</div>`,
    );
  }
  out.push(
    '<p class="legend muted"><span>● grey: baseline samples</span><span>– – baseline</span><span>green band: within tolerance</span><span>blue: value after the change at each comparison</span><span>red dashed: fail threshold, max or min</span></p>',
  );
  if (v.snapshots.length) {
    out.push(
      '<h3>Snapshots</h3>',
      table(
        ['Label', 'File', 'sha256', 'Probes without data'],
        v.snapshots.map((x) => [
          esc(x.label),
          `<span class="mono">${esc(x.file)}</span>`,
          `<span class="mono">${esc(x.sha256)}</span>`,
          esc(x.nodata || 'none'),
        ]),
      ),
    );
  }
  out.push('</section>');
  return out.join('\n');
}

function verifySection(v: ReportView): string {
  const out = ['<section class="verify"><h2>Verifying this report</h2>'];
  out.push(`<p>This page is a readable copy; only the signed JSON is evidence.</p>`);
  out.push(
    table(
      ['', ''],
      [
        ['Report sha256 (the signed statement)', `<code>${esc(v.verify.reportSha256)}</code>`],
        ...(v.verify.envelopeSha256
          ? [['sha256 of the signed envelope file', `<code class="envelope-digest">${esc(v.verify.envelopeSha256)}</code>`]]
          : []),
        [
          'Signed by',
          v.verify.signed
            ? v.verify.signers.map((s) => `<code>${esc(s)}</code>`).join('<br>')
            : '<strong class="st-fail">UNSIGNED: proves nothing by itself</strong>',
        ],
      ],
      'facts',
    ),
  );
  const path = v.verify.envelopePath ?? 'REPORT.report.json';
  out.push(
    `<pre>runsheet verify ${esc(path)} --key PUBLIC-KEY.pem   # or --trusted FILE\nsha256sum ${esc(path)}   # equals the envelope sha256 above</pre>`,
  );
  out.push(
    '<p>Without runsheet: see docs/report-format.md, “Verifying without runsheet” (jq, base64, openssl or ssh-keygen).</p></section>',
  );
  return out.join('\n');
}

export function renderHtmlView(v: ReportView): string {
  const body: string[] = [header(v)];
  body.push(
    '<section class="timeline-section"><h2>Timeline of the window</h2><figure>',
    timelineSvg(v),
    '<figcaption class="legend"><span>bar/dot: an item (green passed, amber accepted or warning, red failed, grey skipped)</span><span>✕ failure</span><span>◆ override</span><span>⚑ sign-off</span><span>red dashed line: rollback</span></figcaption></figure></section>',
  );
  body.push('<section><h2>Overrides and acceptances</h2>');
  body.push(
    v.overrides.length
      ? table(
          ['Time', 'What was done', 'On', 'By', 'Reason'],
          v.overrides.map((o) => [esc(fmtTime(o.ts)), esc(o.kind), esc(o.what), esc(o.operator), esc(o.reason)]),
        )
      : '<p>None: every item was done in order and every failure was fixed, not accepted.</p>',
  );
  body.push(`<h2>Summary</h2><p>${esc(v.summary)}</p></section>`);
  for (const ph of v.phases) {
    if (ph.unused) {
      body.push(
        `<section><h2>Rollback track: ${esc(ph.title)}</h2><p>Not used: the run did not roll back (${ph.items.length} item${ph.items.length === 1 ? '' : 's'}, none run).</p></section>`,
      );
      continue;
    }
    body.push(
      `<section class="phase"><h2>Phase: ${esc(ph.title)}</h2><p class="muted">${esc(ph.progress)}; ${esc(ph.span)}</p>${ph.items.length ? itemsTable(ph.items) : '<p>No items.</p>'}</section>`,
    );
  }
  if (v.orphans.length) body.push(`<section class="phase"><h2>Items no longer in the checklist</h2>${itemsTable(v.orphans)}</section>`);
  body.push(comparisonsSection(v));
  if (v.notes.length) body.push(`<section><h2>Run notes</h2><ul>${v.notes.map((n) => `<li>${noteHtml(n)}</li>`).join('')}</ul></section>`);
  body.push('<section class="signoffs-section"><h2>Sign-offs</h2>');
  const from = v.signoffs.some((s) => s.from);
  body.push(
    v.signoffs.length
      ? table(
          ['Phase', 'Role', 'Name', 'Time', ...(from ? ['From'] : [])],
          v.signoffs.map((s) => [
            esc(s.phase),
            esc(s.role),
            s.name ? esc(s.name) : 'NOT SIGNED',
            esc(s.ts ? fmtTime(s.ts) : '–'),
            ...(from ? [esc(s.from ?? '–')] : []),
          ]),
          'signoffs',
        ).replace(/<td>NOT SIGNED<\/td>/g, '<td class="unsigned">NOT SIGNED</td>')
      : '<p>No phase asks for a sign-off.</p>',
  );
  if (v.handovers.length)
    body.push(
      '<h2>Hand-overs</h2>',
      table(
        ['Time', 'From', 'To', 'Host', 'Note'],
        v.handovers.map((h) => [esc(fmtTime(h.ts)), esc(h.from), esc(h.to), esc(h.host), esc(h.note ?? '')]),
        'handovers',
      ),
    );
  body.push('</section>', verifySection(v), `<p class="muted">Generated by ${esc(v.tool)}.</p>`);
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="report-sha256" content="${esc(v.verify.reportSha256)}">`,
    ...(v.verify.envelopeSha256 ? [`<meta name="envelope-sha256" content="${esc(v.verify.envelopeSha256)}">`] : []),
    `<title>Deployment report — ${esc(v.title)} — ${esc(v.runId)}</title>`,
    `<style>${REPORT_CSS}</style>`,
    '</head>',
    '<body><main>',
    ...body,
    '</main></body>',
    '</html>',
    '',
  ].join('\n');
}

export function renderHtml(st: Statement, opts: ReportRenderOptions): string {
  return renderHtmlView(buildReportView(st, opts));
}

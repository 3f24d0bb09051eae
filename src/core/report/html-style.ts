// The HTML report's one stylesheet, inline so the file stands alone (no network, no fonts to
// fetch). Screen: readable at 1280 px without horizontal scrolling (long hashes wrap). Print:
// each phase starts a new page and table headers repeat, so "print to PDF" gives a board paper.
export const REPORT_CSS = `
:root { --pass: #1a7f37; --warn: #9a6700; --fail: #cf222e; --muted: #57606a; --line: #d0d7de; --band: #dafbe1; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2328; margin: 0; background: #fff; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 20px 48px; }
h1 { font-size: 24px; margin: 0 0 12px; }
h2 { font-size: 19px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
p, li { overflow-wrap: anywhere; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; overflow-wrap: anywhere; word-break: break-all; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; margin: 6px 0 10px; }
th, td { border: 1px solid var(--line); padding: 4px 7px; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
th { background: #f6f8fa; font-weight: 600; }
table.facts th { width: 150px; }
table.items col.c-item { width: 22%; } table.items col.c-status { width: 11%; } table.items col.c-dur { width: 9%; }
table.items col.c-result { width: 26%; } table.items col.c-notes { width: 16%; } table.items col.c-values { width: 16%; }
.banner { border: 3px solid var(--fail); background: #ffebe9; color: #82071e; font-weight: 700; padding: 10px 14px; margin: 0 0 14px; font-size: 16px; }
.outcome { display: inline-block; font-weight: 700; padding: 1px 8px; border-radius: 4px; color: #fff; background: var(--muted); }
.outcome.passed { background: var(--pass); } .outcome.failed, .outcome.abandoned { background: var(--fail); } .outcome.unfinished { background: var(--warn); }
.s-passed, .s-ticked, .s-recorded, .st-pass { color: var(--pass); } .s-failed, .s-interrupted, .st-fail { color: var(--fail); font-weight: 600; }
.s-warn, .s-overridden, .st-warn, .st-nodata { color: var(--warn); font-weight: 600; } .s-pending, .s-skipped { color: var(--muted); }
tr.bad td { background: #fff5f5; } tr.overridden td { background: #fff8c5; }
.muted { color: var(--muted); }
figure { margin: 8px 0 14px; }
figcaption { color: var(--muted); font-size: 12.5px; }
svg { display: block; max-width: 100%; height: auto; }
svg text { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(340px, 1fr)); gap: 12px; }
.chart { border: 1px solid var(--line); border-radius: 6px; padding: 8px; }
.chart h4 { margin: 0 0 4px; font-size: 13px; }
.legend span { display: inline-block; margin-right: 12px; white-space: nowrap; }
.signoffs td.unsigned { color: var(--fail); font-weight: 600; }
pre { background: #f6f8fa; padding: 8px 10px; overflow-wrap: anywhere; white-space: pre-wrap; font-size: 12.5px; }
@media print {
  @page { size: A4; margin: 14mm 12mm; }
  body { font-size: 9.5pt; }
  main { max-width: none; padding: 0; }
  section.phase { break-before: page; }
  section.comparisons, section.signoffs-section { break-before: page; }
  tr, figure, .chart { break-inside: avoid; }
  thead { display: table-header-group; }
  .charts { grid-template-columns: 1fr 1fr; }
  a { color: inherit; text-decoration: none; }
}
`;

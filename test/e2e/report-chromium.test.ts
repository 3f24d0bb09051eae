// The HTML report in real headless Chromium: no console errors, no network request, nothing
// wider than a 1280 px window, the timeline and one chart per compared metric drawn with a real
// size, a screenshot 1280 px wide and a PDF with each phase on its own page. A doctored page
// (external image, a script error, an over-wide block, charts removed) must fail every check, so
// the checks themselves are known to bite.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, CHROMIUM, inspectPage, pdfPages, pngSize } from '../support/chromium.js';
import { renderHtml } from '../../src/core/report/html.js';
import { rulesOf } from '../../src/core/metrics/snapshot.js';
import { demoChecklist, demoStatement } from '../core/report/demo-fixture.js';

if (!CHROMIUM)
  console.warn(
    '\n*** SKIPPING the Chromium report tests: no chromium at /usr/bin/chromium (scripts/install-test-deps.sh installs it) ***\n',
  );

const PROBE = `(() => {
  const box = (el) => { const r = el.getBoundingClientRect(); return r.width > 50 && r.height > 30; };
  const charts = [...document.querySelectorAll('svg[data-chart="metric"]')];
  const timeline = document.querySelector('svg[data-chart="timeline"]');
  return {
    charts: charts.length,
    chartsDrawn: charts.filter(box).length,
    chartsWithData: charts.filter((c) => c.querySelectorAll('circle.sample-after').length > 0).length,
    timeline: !!timeline && box(timeline),
    timelineMarks: timeline ? timeline.querySelectorAll('.mark').length : 0,
    failMarks: timeline ? timeline.querySelectorAll('.fail-mark').length : 0,
    overrideMarks: timeline ? timeline.querySelectorAll('.override-mark').length : 0,
    rollbackMark: timeline ? timeline.querySelectorAll('.rollback-mark').length : 0,
    phases: document.querySelectorAll('section.phase').length,
    scripts: document.scripts.length,
    banner: !!document.querySelector('.banner'),
  };
})()`;

interface Probe {
  charts: number;
  chartsDrawn: number;
  chartsWithData: number;
  timeline: boolean;
  timelineMarks: number;
  failMarks: number;
  overrideMarks: number;
  rollbackMark: number;
  phases: number;
  scripts: number;
  banner: boolean;
}

describe.skipIf(!CHROMIUM)('HTML report in headless Chromium', () => {
  let browser: Browser;
  let closeBrowser: (() => Promise<void>) | undefined;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rs-report-html-'));
    browser = await Browser.launch();
    closeBrowser = () => browser.close();
  });
  afterAll(async () => {
    await closeBrowser?.();
    await rm(dir, { recursive: true, force: true });
  });

  const html = (finished = true) => {
    const rules = Object.fromEntries(demoChecklist().metrics.map((m) => [m.id, rulesOf(m)]));
    return renderHtml(demoStatement({ finished }), {
      reportSha256: 'a'.repeat(64),
      signers: [{ keyid: 'f'.repeat(64) }],
      envelopePath: 'reports/demo.report.json',
      envelopeSha256: 'e'.repeat(64),
      rules,
    });
  };
  const open = async (name: string, text: string) => {
    const file = join(dir, name);
    await writeFile(file, text);
    return inspectPage(browser, pathToFileURL(file).href, 1280, PROBE);
  };

  it('renders cleanly: no console error, no request, no overflow, timeline and every chart drawn, PNG and PDF', async () => {
    const r = await open('report.html', html());
    const p = r.probe as Probe;
    expect(r.consoleErrors).toEqual([]);
    expect(r.requests).toEqual([]);
    expect(r.scrollWidth).toBeLessThanOrEqual(r.innerWidth);
    expect(r.innerWidth).toBe(1280);
    // after-release compares 6 metrics, the watch 3: one chart each.
    expect(p).toMatchObject({
      charts: 9,
      chartsDrawn: 9,
      chartsWithData: 9,
      timeline: true,
      failMarks: 1,
      overrideMarks: 1,
      rollbackMark: 1,
      phases: 5,
      scripts: 0,
      banner: false,
    });
    expect(p.timelineMarks).toBeGreaterThan(15);
    expect(pngSize(r.png).width).toBe(1280);
    expect(pngSize(r.png).height).toBeGreaterThan(2000);
    expect(r.pdf.subarray(0, 5).toString()).toBe('%PDF-');
    // Print CSS: every phase starts a page, so at least one page per phase plus the summary.
    expect(pdfPages(r.pdf)).toBeGreaterThanOrEqual(p.phases + 1);
  });

  it('shows the unfinished-run banner', async () => {
    const r = await open('unfinished.html', html(false));
    expect((r.probe as Probe).banner).toBe(true);
    expect(r.consoleErrors).toEqual([]);
  });

  it('the checks catch a page that breaks the rules', async () => {
    const bad = html()
      .replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '')
      .replace(/<svg class="timeline"[\s\S]*?<\/svg>/, '')
      .replace(/<svg class="metric-chart"[\s\S]*?<\/svg>/, '')
      .replace(
        '</main>',
        '<img src="http://127.0.0.1:9/pixel.png" alt=""><div style="width:3000px">wide</div><script>console.error("boom")</script></main>',
      );
    const r = await open('bad.html', bad);
    const p = r.probe as Probe;
    expect(r.requests).toContain('http://127.0.0.1:9/pixel.png');
    expect(r.consoleErrors.join('\n')).toContain('boom');
    expect(r.scrollWidth).toBeGreaterThan(r.innerWidth);
    expect(p.timeline).toBe(false);
    expect(p.charts).toBe(8);
  });
});

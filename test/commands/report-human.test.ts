// `runsheet report --format md|html` and `runsheet status` on a demo-shaped run on disk: the human
// report lands beside the signed envelope and names that envelope's digest; status shows the
// operators' notes (sanitised) with their items and the run's own notes.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureIo } from '../support/capture-io.js';
import { keygenCommand } from '../../src/commands/keygen.js';
import { reportCommand } from '../../src/commands/report.js';
import { statusCommand } from '../../src/commands/runs.js';
import { sha256Hex } from '../../src/core/events.js';
import { writeDemoRun } from '../core/report/demo-fixture.js';

describe('report --format md|html', () => {
  it('writes the signed envelope and the human report, which carries the envelope digest', async () => {
    const fx = await writeDemoRun();
    const io = () => captureIo({ home: fx.home, cwd: fx.cwd });
    expect(await keygenCommand({}, io().io)).toBe(0);
    for (const format of ['md', 'html'] as const) {
      const c = io();
      expect(await reportCommand(fx.runId, { format }, c.io)).toBe(0);
      const json = await readFile(join(fx.cwd, 'reports', `${fx.runId}.report.json`));
      const human = await readFile(join(fx.cwd, 'reports', `${fx.runId}.report.${format}`), 'utf8');
      expect(c.out()).toContain(`Wrote reports/${fx.runId}.report.${format}`);
      expect(human).toContain(sha256Hex(json));
      expect(human).toContain(`runsheet verify reports/${fx.runId}.report.json`);
    }
    const html = await readFile(join(fx.cwd, 'reports', `${fx.runId}.report.html`), 'utf8');
    // The checklist's metric rules reach the charts: the fail threshold of p95 (+25%) is drawn.
    expect(html).toMatch(/fail 220\.3 ms/);
  });

  it('html to stdout with -o -', async () => {
    const fx = await writeDemoRun({ finished: false });
    const c = captureIo({ home: fx.home, cwd: fx.cwd });
    expect(await reportCommand(fx.runId, { format: 'html', output: '-', unsigned: true }, c.io)).toBe(0);
    expect(c.out()).toMatch(/^<!DOCTYPE html>/);
    expect(c.out()).toContain('NOT FINISHED — status active');
    expect(c.err()).toContain('UNSIGNED');
  });
});

describe('status', () => {
  it('shows operator notes under their item and the run notes, without control characters', async () => {
    const fx = await writeDemoRun();
    const c = captureIo({ home: fx.home, cwd: fx.cwd });
    expect(await statusCommand(fx.runId, {}, c.io)).toBe(0);
    const out = c.out();
    const lines = out.split('\n');
    const disk = lines.findIndex((l) => l.includes('disk-space'));
    expect(lines[disk + 1]).toBe(
      '              note: disk at 71% | not a \\x1b[2Jproblem second line [x](javascript:alert(1)) <img src=x onerror=alert(1)>',
    );
    expect(out).toContain('              note: p95 climbing on /checkout; calling it.');
    expect(out).toMatch(/\nNOTES\n {2}2026-12-03T06:40:21\.000Z ann: Bridge call open; Lee joined as on-call\.\n/);
    expect(out).not.toContain('\u001b');
    const json = captureIo({ home: fx.home, cwd: fx.cwd });
    await statusCommand(fx.runId, { json: true }, json.io);
    expect((JSON.parse(json.out()) as { notes: { text: string }[] }).notes.map((n) => n.text)).toEqual([
      'Bridge call open; Lee joined as on-call.',
    ]);
  });
});

// The five real checklists (test/fixtures/seeds, copied from ../shared/seeds) import to valid checklists with one operator item
// per task box (per bullet for the pasted-text seed), confirm-gated commands, records for blanks
// and a rollback track.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allOut, countTaskBoxes, imp, kindOf, operatorItems, problemsOf } from './helpers.js';
import { SEEDS_DIR } from '../../helpers/seeds.js';

const SEEDS = SEEDS_DIR;
const seedFiles = (() => {
  try {
    return readdirSync(SEEDS).filter((f) => /^\d{3}_/.test(f)).sort();
  } catch {
    return [];
  }
})();
const read = (prefix: string) => readFileSync(join(SEEDS, seedFiles.find((f) => f.startsWith(prefix))!), 'utf8');

describe('seed checklists', () => {
  it('all five seeds are in the repository', () => expect(seedFiles).toHaveLength(5));
  it.each(seedFiles)('%s imports to a valid checklist with one operator item per box', (f) => {
    const md = readFileSync(join(SEEDS, f), 'utf8');
    for (const httpChecks of [false, true]) {
      const { doc, yaml, summary } = imp(md, { httpChecks });
      expect(problemsOf(yaml)).toEqual([]);
      const boxes = countTaskBoxes(md);
      // The pasted-text seed has no Markdown boxes: its `•` bullets stand for them.
      const expected = boxes || md.split('\n').filter((l) => /^\s*•\s/.test(l)).length;
      expect(expected).toBeGreaterThan(0);
      expect(operatorItems(doc).length).toBe(expected);
      expect(summary.boxes).toBe(expected);
      for (const item of allOut(doc).filter((i) => kindOf(i) === 'run')) {
        expect(item.confirm).toBe(true);
        expect(item.run).not.toMatch(/\$\{[A-Za-z_][A-Za-z0-9_]*\}/);
      }
      const ids = [...allOut(doc).map((i) => i.id)];
      expect(new Set(ids).size).toBe(ids.length);
    }
  });

  it('000 (pasted text): detected as plain text; commands and rollback recovered', () => {
    const { doc, summary } = imp(read('000'));
    expect(summary.format).toBe('plain text');
    expect(doc.title).toBe('Deployment Checklist — Dealix');
    expect(doc.phases.map((p) => p.title)).toEqual(['Pre-Deploy', 'Deploy', 'Post-Deploy']);
    const first = doc.phases[0].sections[0];
    expect(first.title).toBe('Database Migrations');
    expect(first.items[0]).toMatchObject({ title: 'Check current migration state', run: 'cd backend && alembic current', confirm: true });
    const runs = allOut(doc).filter((i) => i.run);
    // the .env example is notes, not something to run
    expect(runs.some((r) => r.run!.includes('DATABASE_URL='))).toBe(false);
    const lead = runs.find((r) => r.title === 'Lead creation (with auth token)')!;
    expect(lead.run).toContain('TOKEN="<token-from-login>"\ncurl -X POST');
    expect(lead.run).toContain('Bearer $TOKEN"');
    const py = runs.find((r) => r.title === 'Verify data integrity after restore')!;
    expect(py.run!.split('\n')).toHaveLength(7);
    expect(doc.rollback!.sections.map((s) => s.title)).toEqual(['Immediate Rollback (< 5 minutes)', 'Database Rollback', 'Rollback Checklist']);
  });

  it('001: sign-off blocks become the roles of the phases they name; rollback checklist is the track', () => {
    const { doc } = imp(read('001'));
    const pre = doc.phases.find((p) => p.title === 'Pre-Deployment Phase')!;
    const post = doc.phases.find((p) => p.title === 'Post-Deployment Phase')!;
    expect(pre.signoff).toEqual(['Tech Lead', 'DevOps Lead', 'Product Owner']);
    expect(post.signoff).toEqual(['Deployment Engineer', 'QA Lead', 'Tech Lead']);
    expect(doc.rollback!.title).toBe('Rollback Checklist');
    expect(doc.rollback!.sections.map((s) => s.title)).toEqual(['Decision', 'Preparation', 'Execution', 'Verification', 'Post-Rollback']);
    // the Notes template (a fenced block full of "- ") is notes, not items
    expect(allOut(doc).some((i) => i.title === '' || /^Deployment Date/.test(i.title))).toBe(false);
  });

  it('002: blanks become number/text records, ☐ choices become choice records', () => {
    const { doc } = imp(read('002'));
    const items = allOut(doc);
    const byTitle = (t: string) => items.find((i) => i.title === t);
    expect(byTitle('Error Rate (target: <0.1%)')).toMatchObject({ record: 'number', unit: '%' });
    expect(byTitle('Query Performance (p95)')).toMatchObject({ record: 'number', unit: 'ms' });
    expect(byTitle('Network Throughput')).toMatchObject({ record: 'number', unit: 'Mbps' });
    expect(byTitle('Resolution time')).toMatchObject({ record: 'number', unit: 'minutes' });
    expect(byTitle('Slow Query Count (target: 0)')).toMatchObject({ record: 'text' });
    expect(byTitle('Record baseline numbers')).toMatchObject({ record: 'text' });
    expect(byTitle('Metrics better than pre-deployment?')).toMatchObject({ record: 'choice', options: ['Yes', 'No', 'Similar'] });
    expect(byTitle('If yes, severity')).toMatchObject({ record: 'choice', options: ['Critical', 'Major', 'Minor'] });
    expect(doc.rollback!.title).toBe('Rollback Procedures (If Needed)');
    expect(doc.phases.map((p) => p.title)).not.toContain('Rollback Procedures (If Needed)');
    expect(doc.phases.find((p) => p.title.startsWith('Post-Deployment Sign-Off'))!.signoff).toEqual(['Engineering Lead', 'On-Call Engineer', 'DevOps/SRE']);
    const health = items.find((i) => i.title === 'Verify health check endpoint returns 200 › curl -s https://api.ywmessaging.com/health | jq \'.status\'');
    expect(health).toMatchObject({ run: "curl -s https://api.ywmessaging.com/health | jq '.status'", confirm: true });
  });

  it('004: numbering and mojibake stripped from titles', () => {
    const { doc } = imp(read('004'));
    expect(doc.phases[0].sections[0].title).toBe('Code & Version Control');
    expect(doc.rollback!.title).toBe('Rollback Procedure');
    expect(doc.phases.find((p) => p.title === 'Deployment Approval')!.signoff).toEqual(['Engineering Lead', 'DevOps Lead', 'Product Manager', 'CTO']);
  });

  it('002: --http-checks adds http items for health curls', () => {
    const plain = allOut(imp(read('002')).doc).filter((i) => i.http).length;
    const withHttp = allOut(imp(read('002'), { httpChecks: true }).doc).filter((i) => i.http);
    expect(plain).toBe(0);
    expect(withHttp.length).toBeGreaterThan(0);
    for (const h of withHttp) expect(h.http!.url).toMatch(/^https?:\/\//);
  });
});

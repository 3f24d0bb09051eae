// The five real checklists (test/fixtures/seeds, copied from ../shared/seeds): each problem issue 14
// found in their import, checked fixed — reference kept out of the run, environments and
// alternatives as choices, gates ahead of what they gate, blanks anywhere, commands that run as
// written. (Their full expected output is the golden YAML in test/fixtures/import-corpus.)
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allOut, countTaskBoxes, imp, kindOf, problemsOf } from './helpers.js';
import { SEEDS_DIR } from '../../support/seeds.js';

const SEEDS = SEEDS_DIR;
const seedFiles = (() => {
  try {
    return readdirSync(SEEDS)
      .filter((f) => /^\d{3}_/.test(f))
      .sort();
  } catch {
    return [];
  }
})();
const read = (prefix: string) =>
  readFileSync(
    join(
      SEEDS,
      seedFiles.find((f) => f.startsWith(prefix))!,
    ),
    'utf8',
  );
const byTitle = (doc: ReturnType<typeof imp>['doc'], t: string) => allOut(doc).find((i) => i.title === t);

describe('seed checklists', () => {
  it('all five seeds are in the repository', () => expect(seedFiles).toHaveLength(5));
  it.each(seedFiles)('%s imports to a valid checklist; every task box is accounted for', (f) => {
    const md = readFileSync(join(SEEDS, f), 'utf8');
    for (const httpChecks of [false, true]) {
      const { doc, yaml, summary } = imp(md, { httpChecks });
      expect(problemsOf(yaml)).toEqual([]);
      const boxes = countTaskBoxes(md);
      if (boxes) expect(summary.boxes + summary.boxesInReference).toBe(boxes);
      for (const item of allOut(doc).filter((i) => kindOf(i) === 'run')) {
        expect(item.confirm).toBe(true);
        expect(item.run).not.toMatch(/<[a-z][a-z0-9-]*>/i);
      }
      const ids = [...allOut(doc).map((i) => i.id)];
      expect(new Set(ids).size).toBe(ids.length);
    }
  });

  it('000 (pasted text): placeholders are vars, shared TOKEN stays one item, `|| echo` flagged, comparison is reference', () => {
    const { doc, summary } = imp(read('000'));
    expect(summary.format).toBe('plain text');
    expect(doc.phases.map((p) => p.title)).toEqual(['Pre-Deploy', 'Deploy', 'Post-Deploy']);
    expect(doc.vars).toEqual({ TOKEN_FROM_LOGIN: null, PREVIOUS_COMMIT_HASH: null, TIMESTAMP: null });
    expect(doc.secrets).toEqual(['TOKEN_FROM_LOGIN']);
    const runs = allOut(doc).filter((i) => i.run);
    expect(runs.find((r) => r.run!.includes('git checkout'))!.run).toContain('git checkout ${PREVIOUS_COMMIT_HASH}');
    const restore = runs.find((r) => r.run!.includes('pg_restore'))!;
    expect(restore).toMatchObject({ critical: true, confirm: true });
    expect(restore.run).toContain('/backups/dealix_${TIMESTAMP}.dump');
    // TOKEN set in "Lead creation" is used by the WhatsApp check: one item, one shell
    const lead = runs.find((r) => r.title === 'Lead creation (with auth token)')!;
    expect(lead.run).toContain('TOKEN="${TOKEN_FROM_LOGIN}"');
    expect(lead.run).toContain('integrations/whatsapp/test');
    expect(runs.filter((r) => /Bearer \$TOKEN/.test(r.run!))).toHaveLength(1);
    const backend = runs.find((r) => r.title === 'Backend health')!;
    expect(backend.notes).toMatch(/`\|\| echo "BACKEND DOWN"` makes this command pass even when it fails/);
    expect(doc.reference!.map((r) => r.title)).toEqual(['Staging vs Production Differences']);
    expect(doc.reference![0].notes).toContain('Domain staging.dealix.sa app.dealix.sa / api.dealix.sa');
    expect(allOut(doc).find((i) => /FLUSHDB/.test(i.title))).toMatchObject({ critical: true });
  });

  it('001: Quick Reference, Notes and metrics are reference; environments and scenarios are choices before deploying; sign-offs are roles only', () => {
    const { doc } = imp(read('001'));
    expect(doc.phases.map((p) => p.title)).toEqual(['Pre-Deployment Phase', 'Deployment Phase', 'Post-Deployment Phase']);
    expect(doc.reference!.map((r) => r.title)).toEqual(['Deployment Metrics', 'Notes', 'Quick Reference']);
    const quick = doc.reference!.find((r) => r.title === 'Quick Reference')!;
    expect(quick.notes).toContain('docker-compose logs -f web');
    expect(allOut(doc).some((i) => i.run)).toBe(false);
    expect(doc.environments).toEqual({
      staging: { description: 'Staging Deployment' },
      production: { description: 'Production Deployment', confirm: true },
    });
    const pre = doc.phases[0];
    const staging = pre.sections.find((s) => s.title === 'Environment-Specific Checklists › Staging Deployment')!;
    expect(staging.items.every((i) => i.when?.env === 'staging')).toBe(true);
    const schema = pre.sections.find((s) => s.title === 'Special Deployment Scenarios › Database Schema Changes')!;
    expect(schema.items[0]).toMatchObject({ record: 'choice', options: ['Yes', 'No'] });
    expect(schema.items.slice(1).every((i) => i.when?.answer?.item === schema.items[0].id && i.when.answer.is === 'Yes')).toBe(true);
    expect(pre.signoff).toEqual(['Tech Lead', 'DevOps Lead', 'Product Owner']);
    expect(doc.phases[2].signoff).toEqual(['Deployment Engineer', 'QA Lead', 'Tech Lead']);
    expect(allOut(doc).some((i) => /sign-off|Tech Lead/i.test(i.title))).toBe(false);
  });

  it('002: command reference, contacts, escalation and the Print & Fill template are reference; FLUSHDB is never an item', () => {
    const { doc } = imp(read('002'));
    expect(doc.reference!.map((r) => r.title)).toEqual([
      'Critical Commands Reference',
      'Incident Response Contacts',
      'Escalation Path',
      'Pre-Deployment Checklist Template (Print & Fill)',
      'Monitoring Dashboard Links',
    ]);
    expect(allOut(doc).some((i) => /FLUSHDB/.test(i.run ?? '') || /FLUSHDB/.test(i.notes ?? ''))).toBe(false);
    expect(doc.reference!.find((r) => r.title === 'Incident Response Contacts')!.notes).toContain(
      '| Role | Name | Phone | Slack | Email |\n|------|',
    );
    // blanks under a box are records titled with it
    expect(byTitle(doc, 'Record baseline numbers › Error rate')).toMatchObject({ record: 'number', unit: '%' });
    expect(byTitle(doc, 'Record baseline numbers › Request rate')).toMatchObject({ record: 'number', unit: 'req/s' });
    expect(byTitle(doc, 'API Latency › p95 (target: <500ms)')).toMatchObject({ record: 'number', unit: 'ms' });
    expect(byTitle(doc, 'Metrics better than pre-deployment?')).toMatchObject({ record: 'choice', options: ['Yes', 'No', 'Similar'] });
    // "Engineering Lead sign-off required" is a sign-off of the rollback
    expect(doc.rollback!.signoff).toEqual(['Engineering Lead']);
    expect(doc.phases.find((p) => p.title.startsWith('Post-Deployment Sign-Off'))!.signoff).toEqual([
      'Engineering Lead',
      'On-Call Engineer',
      'DevOps/SRE',
    ]);
    const del = allOut(doc).find((i) => i.run === 'kubectl delete deployment backend-api')!;
    expect(del).toMatchObject({ critical: true, confirm: true });
    expect(byTitle(doc, 'Verify health check endpoint returns 200')).toMatchObject({
      run: "curl -s https://api.ywmessaging.com/health | jq '.status'",
      confirm: true,
    });
    expect(byTitle(doc, 'Run full test suite')).toMatchObject({ run: 'npm run test:coverage', confirm: true });
  });

  it('003: Local/Staging/Production are environments, never phases; inline commands run; servers are not run', () => {
    const { doc } = imp(read('003'));
    expect(Object.keys(doc.environments!)).toEqual(['local', 'staging', 'production']);
    expect(doc.phases.map((p) => p.title)).not.toContain('Staging');
    expect(doc.phases.map((p) => p.title)).toContain('Infrastructure');
    const infra = doc.phases.find((p) => p.title === 'Infrastructure')!;
    expect(infra.sections.map((s) => s.title)).toEqual(['Staging', 'Production']);
    expect(infra.sections[1].items.every((i) => i.when?.env === 'production')).toBe(true);
    expect(allOut(doc).filter((i) => i.run).length).toBeGreaterThanOrEqual(7);
    expect(byTitle(doc, 'Run migrations')).toMatchObject({ run: 'alembic upgrade head', confirm: true, when: { env: 'local' } });
    const web = byTitle(doc, 'Start web process')!;
    expect(web.run).toBeUndefined();
    expect(web.notes).toContain('uvicorn app.main:app --reload');
    expect(doc.reference!.map((r) => r.title)).toContain('Troubleshooting');
  });

  it('004: the approval gates the deploy day; Kubernetes or docker-compose rollback is a choice; blanks are records', () => {
    const { doc } = imp(read('004'));
    const titles = doc.phases.map((p) => p.title);
    expect(titles.indexOf('Deployment Approval')).toBe(titles.indexOf('Deployment Day Checklist') - 1);
    const approval = doc.phases.find((p) => p.title === 'Deployment Approval')!;
    expect(approval.signoff).toEqual(['Engineering Lead', 'DevOps Lead', 'Product Manager', 'CTO']);
    expect(approval.sections.flatMap((s) => s.items).map((i) => [i.title, i.record])).toEqual([
      ['Approval Date', 'time'],
      ['Deployment Date', 'time'],
      ['Deployed By', 'text'],
    ]);
    const steps = doc.rollback!.sections.find((s) => s.title === 'Rollback Steps')!.items;
    expect(steps[0]).toMatchObject({ record: 'choice', options: ['Kubernetes rollback', 'Docker Compose rollback'] });
    expect(steps[1].when).toEqual({ answer: { item: steps[0].id, is: 'Kubernetes rollback' } });
    expect(steps[2].when).toEqual({ answer: { item: steps[0].id, is: 'Docker Compose rollback' } });
    expect(steps[3]).toMatchObject({ run: expect.stringContaining('alembic downgrade'), critical: true });
    expect(doc.rollback!.sections[0].items.map((i) => i.title)).toEqual([
      'Update status page: "Service degradation"',
      'Notify team',
      'Stop deployment if in progress',
    ]);
  });
});

// One test per import decision (issue 14), on small documents written for it: reference is not
// procedure, destructive and never-ending commands, environments and choices, gates, blanks
// anywhere, commands that run as written, tables, failure-hiding commands — and each decision is
// named in the summary with its source line.
import { describe, expect, it } from 'vitest';
import { formatSummary } from '../../../src/core/import/index.js';
import { allOut, imp, problemsOf } from './helpers.js';

function ok(md: string) {
  const r = imp(md);
  expect(problemsOf(r.yaml)).toEqual([]);
  return { ...r, items: allOut(r.doc), text: formatSummary(r.summary) };
}

describe('reference is not procedure', () => {
  it.each([
    ['## Useful commands', 'a command reference'],
    ['## Cheat sheet', 'reference'],
    ['## On-call contacts', 'contacts/escalation'],
    ['## Escalation', 'contacts/escalation'],
    ['## Troubleshooting', 'troubleshooting'],
    ['## Glossary', 'reference'],
    ['## Sign-up form template', 'a fill-in template'],
    ['## Examples', 'examples'],
    ['### Appendix: handy things', 'reference'],
  ])('%s is kept for reading, never a phase or a runnable item', (heading, why) => {
    const md = `# Deploy\n\n## Ship\n- [ ] Ship it\n\n${heading}\n\n\`\`\`bash\nkubectl delete ns app\ntail -f /var/log/app.log\n\`\`\`\n`;
    const { doc, items, summary, text } = ok(md);
    expect(doc.phases.map((p) => p.title)).toEqual(['Ship']);
    expect(items.map((i) => i.title)).toEqual(['Ship it']);
    expect(doc.reference).toHaveLength(1);
    expect(doc.reference![0].notes).toContain('kubectl delete ns app');
    expect(summary.decisions.find((d) => d.kind === 'reference')).toMatchObject({ line: 6, what: expect.stringContaining(why) });
    expect(text).toMatch(/Reference \(kept for reading.*\n {2}lines 6-11: /);
  });

  it('a heading that starts with a verb is a step, not reference ("Notify contacts")', () => {
    const { doc } = ok('# T\n\n## Notify contacts\n- [ ] Email the list\n');
    expect(doc.phases.map((p) => p.title)).toEqual(['Notify contacts']);
    expect(doc.reference).toBeUndefined();
  });

  it('a heading with no steps after the first phase is reference too (not notes of an unrelated item)', () => {
    const { doc } = ok('# T\n\n## Ship\n- [ ] Ship it\n\n## Deployment metrics\n\nTrack these:\n\n- Duration\n- Downtime\n');
    expect(doc.reference).toEqual([{ title: 'Deployment metrics', notes: 'Track these:\n\n- Duration\n- Downtime' }]);
    expect(allOut(doc)[0].notes).toBeUndefined();
  });
});

describe('destructive and never-ending commands', () => {
  it.each([
    ['rm -rf /srv/app/releases/old', 'rm -r'],
    ['redis-cli FLUSHALL', 'flush'],
    ['psql -c "DROP TABLE sessions;"', 'DROP'],
    ['psql -c "TRUNCATE audit_log;"', 'truncate'],
    ['pg_restore -d app dump.pgc', 'restore'],
    ['git push --force origin main', 'force-push'],
    ['kubectl -n app delete pod web-0', 'kubectl delete'],
    ['terraform destroy -auto-approve', 'terraform destroy'],
    ['docker compose down -v', 'down -v'],
  ])('`%s` is critical and asks first', (cmd, why) => {
    const { items, summary } = ok(`# T\n\n## Do\n\`\`\`bash\n${cmd}\n\`\`\`\n`);
    expect(items[0]).toMatchObject({ run: cmd, critical: true, confirm: true });
    expect(items[0].notes).toMatch(/Destructive/);
    expect(summary.decisions.find((d) => d.kind === 'destructive')).toMatchObject({ line: 5, what: expect.stringContaining(why) });
  });

  it.each([
    'docker compose logs -f web',
    'tail -f /var/log/syslog',
    'watch kubectl get pods',
    'journalctl -u api -f',
    'kubectl logs -f deploy/api',
    'top',
  ])('`%s` never ends: a manual item with the command in its notes, not a run item', (cmd) => {
    const { items, summary } = ok(`# T\n\n## Watch\n- [ ] Follow: \`${cmd}\`\n`);
    expect(items[0].run).toBeUndefined();
    expect(items[0].notes).toContain(cmd);
    expect(summary.decisions.find((d) => d.kind === 'never-ending')).toMatchObject({ line: 4 });
  });

  it('a finishing command is not taken for a never-ending one', () => {
    const { items } = ok('# T\n\n## Do\n```bash\ndocker compose up -d\ntail -n 50 /var/log/app.log\nping -c 3 db\n```\n');
    expect(items[0].run).toBe('docker compose up -d\ntail -n 50 /var/log/app.log\nping -c 3 db');
  });
});

describe('alternatives become choices', () => {
  it('environment sections: environments + when.env, never phases', () => {
    const md =
      '# T\n\n## Deploy\n\n### Staging\n- [ ] Deploy staging: `./deploy staging`\n\n### Production\n- [ ] Deploy prod: `./deploy prod`\n';
    const { doc } = ok(md);
    expect(doc.environments).toEqual({ staging: { description: 'Staging' }, production: { description: 'Production', confirm: true } });
    expect(doc.phases.map((p) => p.title)).toEqual(['Deploy']);
    expect(allOut(doc).map((i) => i.when)).toEqual([{ env: 'staging' }, { env: 'production' }]);
  });

  it('a document made of environment sections: their sub-sections merged into shared phases, in order', () => {
    const md =
      '# T\n\n## Staging\n### Build\n- [ ] a\n### Verify\n- [ ] b\n\n## Production\n### Build\n- [ ] c\n### Approve\n- [ ] d\n### Verify\n- [ ] e\n';
    const { doc } = ok(md);
    expect(doc.phases.map((p) => [p.title, p.sections.map((s) => s.title)])).toEqual([
      ['Build', ['Staging', 'Production']],
      ['Approve', ['Production']],
      ['Verify', ['Staging', 'Production']],
    ]);
  });

  it('"(if applicable)" and "If …" sections start with a Yes/No choice that gates them', () => {
    const { items, summary } = ok('# T\n\n## Deploy\n\n### CDN (if applicable)\n- [ ] Purge the CDN\n\n### Always\n- [ ] Ship\n');
    expect(items[0]).toMatchObject({ record: 'choice', options: ['Yes', 'No'] });
    expect(items[1].when).toEqual({ answer: { item: items[0].id, is: 'Yes' } });
    expect(items[2].when).toBeUndefined();
    expect(summary.decisions.find((d) => d.kind === 'choice')).toMatchObject({ line: 5 });
  });

  it('"Special scenarios": one Yes/No choice per scenario', () => {
    const { items } = ok(
      '# T\n\n## Deploy\n- [ ] Ship\n\n## Special Scenarios\n### Schema change\n- [ ] Backfill\n### New region\n- [ ] Add DNS\n',
    );
    const choices = items.filter((i) => i.record === 'choice');
    expect(choices.map((c) => c.title)).toEqual(['Does this apply? Schema change', 'Does this apply? New region']);
    expect(items.find((i) => i.title === 'Backfill')!.when).toEqual({ answer: { item: choices[0].id, is: 'Yes' } });
  });

  it('A-or-B sections and command groups: one choice whose answer picks the alternative', () => {
    const md =
      '# T\n\n## Roll out\n### Option A: Helm\n- [ ] `helm upgrade app ./chart`\n### Option B: kubectl\n- [ ] `kubectl apply -f k8s/`\n\n## Undo\n```bash\n# Kubernetes rollback\nkubectl rollout undo deploy/app\n# Docker Compose rollback\ndocker compose up -d --force-recreate\n```\n';
    const { items } = ok(md);
    const [choice, a, b] = items;
    expect(choice).toMatchObject({ record: 'choice', options: ['Option A: Helm', 'Option B: kubectl'] });
    expect(a.when).toEqual({ answer: { item: choice.id, is: 'Option A: Helm' } });
    expect(b.when).toEqual({ answer: { item: choice.id, is: 'Option B: kubectl' } });
    const undo = items.slice(3);
    expect(undo[0]).toMatchObject({ record: 'choice', options: ['Kubernetes rollback', 'Docker Compose rollback'] });
    expect(undo[1].when).toEqual({ answer: { item: undo[0].id, is: 'Kubernetes rollback' } });
  });

  it('a ☐ choice whose option names a later heading gates that heading', () => {
    const { items } = ok(
      '# T\n\n## Decide\n- [ ] Decision: ☐ Roll back ☐ Fix forward\n\n## Roll back\n- [ ] Revert\n\n## Fix forward\n- [ ] Patch\n',
    );
    expect(items[1].when).toEqual({ answer: { item: items[0].id, is: 'Roll back' } });
    expect(items[2].when).toEqual({ answer: { item: items[0].id, is: 'Fix forward' } });
  });
});

describe('gates before what they gate', () => {
  it('an approval "before deploying" at the end lands ahead of the deploy phase; its role boxes are the sign-off', () => {
    const md =
      '# T\n\n## Prepare\n- [ ] Branch\n\n## Deploy\n- [ ] Ship\n\n## Verify\n- [ ] Check\n\n## Approval\n\nBefore deploying, get approval from:\n\n- [ ] Tech Lead\n- [ ] Product Owner\n';
    const { doc, items, summary } = ok(md);
    expect(doc.phases.map((p) => [p.title, p.signoff])).toEqual([
      ['Prepare', ['Tech Lead', 'Product Owner']],
      ['Deploy', undefined],
      ['Verify', undefined],
    ]);
    expect(items.map((i) => i.title)).toEqual(['Branch', 'Ship', 'Check']);
    expect(summary.decisions.find((d) => d.kind === 'gate')).toMatchObject({ line: 12 });
  });

  it('an approval with fields becomes its own phase right before the deploy', () => {
    const md =
      '# T\n\n## Deploy\n- [ ] Ship\n\n## Go/No-Go approval\n\nRequired before the release.\n\n- [ ] SRE lead\n\n**Approved at:** ______\n';
    const { doc } = ok(md);
    expect(doc.phases.map((p) => [p.title, p.signoff])).toEqual([
      ['Go/No-Go approval', ['SRE lead']],
      ['Deploy', undefined],
    ]);
    expect(doc.phases[0].sections[0].items[0]).toMatchObject({ title: 'Approved at', record: 'time' });
  });

  it('a sign-off written as a list (`- Role: ____ Date: ___`) gives roles, not tick items', () => {
    const { doc, items } = ok(
      '# T\n\n## Deploy\n- [ ] Ship\n\n### Sign-off\n- Release manager: ________ Date: ______\n- QA: ________ Date: ______\n',
    );
    expect(doc.phases[0].signoff).toEqual(['Release manager', 'QA']);
    expect(items.map((i) => i.title)).toEqual(['Ship']);
  });

  it('"X approval is required" in prose signs off the phase ahead of the deploy', () => {
    const { doc } = ok('# T\n\n> DBA approval is required before starting.\n\n## Prepare\n- [ ] Backup\n\n## Migration\n- [ ] Migrate\n');
    expect(doc.phases[0].signoff).toEqual(['DBA']);
  });
});

describe('blanks and choices anywhere', () => {
  it('in a plain list, a paragraph and a table cell; units make numbers, Date/Time make times', () => {
    const md =
      '# T\n\n## Check\n- [ ] Deploy\n- Error rate: ___%\n- Notes: ____\n\n**Started at:** ______\n\n| Metric | Before | After |\n|---|---|---|\n| p95 | ___ ms | ___ ms |\n\nResult: ☐ Pass ☐ Fail\n';
    const { items } = ok(md);
    expect(items.map((i) => [i.title, i.record, i.unit, i.options])).toEqual([
      ['Deploy', undefined, undefined, undefined],
      ['Error rate', 'number', '%', undefined],
      ['Notes', 'text', undefined, undefined],
      ['Started at', 'time', undefined, undefined],
      ['p95 › Before', 'number', 'ms', undefined],
      ['p95 › After', 'number', 'ms', undefined],
      ['Result', 'choice', undefined, ['Pass', 'Fail']],
    ]);
    expect(items[4].notes).toContain('| Metric | Before | After |\n|---|---|---|\n| p95 | ___ ms | ___ ms |');
  });
});

describe('commands that run as written', () => {
  it('inline code in a task box that is a shell command is a run item; names, paths and settings are not', () => {
    const md =
      '# T\n\n## Do\n- [ ] Run migrations: `alembic upgrade head`\n- [ ] `DATABASE_URL` is set\n- [ ] `DEBUG=False` in production\n- [ ] Health endpoint `/api/health` configured\n';
    const { items } = ok(md);
    expect(items.map((i) => [i.title, i.run])).toEqual([
      ['Run migrations', 'alembic upgrade head'],
      ['`DATABASE_URL` is set', undefined],
      ['`DEBUG=False` in production', undefined],
      ['Health endpoint `/api/health` configured', undefined],
    ]);
    expect(items[0].confirm).toBe(true);
  });

  it('<placeholders> become ${VARS} declared without a value in vars (secret-looking ones in secrets too)', () => {
    const { doc, items, summary } = ok(
      '# T\n\n## Do\n```bash\ngit checkout <previous-commit-hash>\ncurl -H "Authorization: Bearer <api-token>" https://x/y\ncp dump_<timestamp>.sql /tmp/ && psql db < /tmp/in.sql\n```\n',
    );
    expect(items[0].run).toBe(
      'git checkout ${PREVIOUS_COMMIT_HASH}\ncurl -H "Authorization: Bearer ${API_TOKEN}" https://x/y\ncp dump_${TIMESTAMP}.sql /tmp/ && psql db < /tmp/in.sql',
    );
    expect(doc.vars).toEqual({ PREVIOUS_COMMIT_HASH: null, API_TOKEN: null, TIMESTAMP: null });
    expect(doc.secrets).toEqual(['API_TOKEN']);
    expect(summary.decisions.filter((d) => d.kind === 'placeholder').map((d) => d.what)).toEqual([
      '<previous-commit-hash> → ${PREVIOUS_COMMIT_HASH}',
      '<api-token> → ${API_TOKEN} (also in secrets)',
      '<timestamp> → ${TIMESTAMP}',
    ]);
  });

  it('commands that share shell state stay one item', () => {
    const { items, summary } = ok(
      '# T\n\n## Do\n```bash\n# Log in\nTOKEN=$(./login.sh)\n\n# Use it\ncurl -H "X: $TOKEN" https://x\n\n# Unrelated\nuptime\n```\n',
    );
    expect(items.map((i) => i.title)).toEqual(['Log in', 'Unrelated']);
    expect(items[0].run).toBe('TOKEN=$(./login.sh)\n\n# Use it\ncurl -H "X: $TOKEN" https://x');
    expect(summary.decisions.find((d) => d.kind === 'shared shell state')).toMatchObject({ line: 5, endLine: 9 });
  });

  it('numbered procedure steps are items, in a document with task boxes too', () => {
    const { items } = ok(
      '# T\n\n## Prepare\n- [ ] Ticket approved\n\n## Do\n1. Put the service in read-only mode\n2. Run `make migrate`\n3. The service should be healthy\n',
    );
    expect(items.map((i) => [i.title, i.run])).toEqual([
      ['Ticket approved', undefined],
      ['Put the service in read-only mode', undefined],
      ['Run', 'make migrate'],
    ]);
  });

  it('`|| true`, `|| echo …` and `; true` are flagged on the item and in the summary', () => {
    const { items, text } = ok(
      '# T\n\n## Do\n```bash\ncurl -f https://x/health || echo DOWN\n\nsystemctl restart a || true\n\nmake check; true\n```\n',
    );
    expect(items.map((i) => i.notes)).toEqual([
      expect.stringContaining('`|| echo DOWN` makes this command pass even when it fails'),
      expect.stringContaining('`|| true`'),
      expect.stringContaining('`; true`'),
    ]);
    expect(text).toContain('Commands that pass even when they fail');
  });
});

describe('tables survive', () => {
  it('a table in notes is the Markdown table, whole', () => {
    const table =
      '| Host | Role | Notes |\n|---|---|---|\n| db-1 | primary | a very long cell that must not be cut with an ellipsis at all |\n| db-2 | replica | — |';
    const { items } = ok(`# T\n\n## Do\n- [ ] Fail over\n\n${table}\n`);
    expect(items[0].notes).toBe(table);
  });
});

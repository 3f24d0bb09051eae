// Checklist styles the seeds do not all show: each fixture imports with exact item counts and
// validates with the real loader.
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors.js';
import { detectPlainText } from '../../../src/core/import/index.js';
import { allOut, countTaskBoxes, imp, kindOf, problemsOf } from './helpers.js';

function ok(md: string, opts: { httpChecks?: boolean; title?: string } = {}) {
  const r = imp(md, opts);
  expect(problemsOf(r.yaml)).toEqual([]);
  // Every task box is accounted for: an item, a sign-off role, the title of records below it, or reference.
  if (countTaskBoxes(md)) expect(r.summary.boxes + r.summary.boxesInReference).toBe(countTaskBoxes(md));
  expect(allOut(r.doc).length).toBeGreaterThan(0);
  return r;
}
const titles = (md: string) => allOut(imp(md).doc).map((i) => i.title);

describe('Markdown styles', () => {
  it('bold-label sections head their lists', () => {
    const md = `# Release\n\n## Prepare\n\n**Before Starting Work**:\n- [ ] Pull main\n- [ ] Read the diff\n\n**After:**\n- [ ] Close the ticket\n`;
    const { doc } = ok(md);
    expect(doc.phases).toHaveLength(1);
    expect(doc.phases[0].sections.map((s) => [s.title, s.items.length])).toEqual([
      ['Before Starting Work', 2],
      ['After', 1],
    ]);
  });

  it('* and + bullets and [x] boxes are items', () => {
    const md = `# T\n\n## One\n* [ ] star\n+ [x] plus done\n- [X] dash done\n1. [ ] ordered\n`;
    const { doc } = ok(md);
    expect(allOut(doc).map((i) => [i.title, kindOf(i)])).toEqual([
      ['star', 'manual'],
      ['plus done', 'manual'],
      ['dash done', 'manual'],
      ['ordered', 'manual'],
    ]);
  });

  it('nested tasks become separate items titled with their parent as context', () => {
    const md = `# T\n\n## Config\n- [ ] Configure env:\n  - [ ] \`DATABASE_URL\`\n    - [ ] points at the primary\n  - [ ] \`REDIS_URL\`\n- Group without box\n  - [ ] inner task\n  - plain note bullet\n`;
    const { doc } = ok(md);
    expect(allOut(doc).map((i) => i.title)).toEqual([
      'Configure env',
      'Configure env › `DATABASE_URL`',
      'Configure env › `DATABASE_URL` › points at the primary',
      'Configure env › `REDIS_URL`',
      'Group without box › inner task',
    ]);
    expect(allOut(doc)[4].notes).toContain('plain note bullet');
  });

  it('front matter is skipped (and noted), its title used when there is no heading title', () => {
    const md = `---\ntitle: From Front Matter\ntags: [deploy]\n---\n\n## Steps\n- [ ] one\n- [ ] two\n`;
    const { doc, summary } = ok(md);
    expect(doc.title).toBe('From Front Matter');
    expect(summary.frontMatter).toEqual({ line: 1, endLine: 4 });
    expect(allOut(doc)).toHaveLength(2);
    expect(allOut(doc).some((i) => /tags/.test(i.title))).toBe(false);
  });

  it('CRLF line endings import the same as LF', () => {
    const lf = `# T\n\n## A\n- [ ] one\n- [ ] two ___ ms\n\n\`\`\`bash\n# Check\necho ok\n\`\`\`\n`;
    const a = ok(lf);
    const b = ok(lf.replace(/\n/g, '\r\n'));
    expect(b.doc).toEqual(a.doc);
    expect(allOut(b.doc).map(kindOf)).toEqual(['manual', 'record', 'run']);
    expect(allOut(b.doc)[2].run).toBe('echo ok');
  });

  it('code fences inside list items: shell → run items with the item as context, others → notes', () => {
    const md = [
      '# T',
      '## Verify',
      '- [ ] Health endpoint returns 200:',
      '  ```bash',
      '  curl -fsS https://example.com/health',
      '  ```',
      '- [ ] Indexes exist',
      '  ```sql',
      '  SELECT 1;',
      '  ```',
      '',
    ].join('\n');
    const { doc } = ok(md);
    const items = allOut(doc);
    // A box over exactly one command is that command: no tick item beside a run item.
    expect(items.map((i) => [i.title, kindOf(i)])).toEqual([
      ['Health endpoint returns 200', 'run'],
      ['Indexes exist', 'manual'],
    ]);
    expect(items[0]).toMatchObject({ run: 'curl -fsS https://example.com/health', confirm: true });
    expect(items[1].notes).toContain('SELECT 1;');
  });

  it('checklists inside fenced examples never become items', () => {
    const md =
      '# Guide\n\n## Use\n- [ ] real one\n\nWrite yours like this:\n\n```markdown\n- [ ] example A\n- [ ] example B\n* [x] example C\n```\n\n~~~\n- [ ] tilde example\n~~~\n\n    - [ ] indented code example\n';
    const { doc } = ok(md);
    expect(allOut(doc).map((i) => i.title)).toEqual(['real one']);
    expect(allOut(doc)[0].notes).toContain('- [ ] example A');
  });

  it('shell blocks: one run item per comment-titled group, console prompts stripped, confirm always', () => {
    const md = [
      '# T',
      '## Deploy',
      '```sh',
      '# Build image',
      'docker build -t app .',
      '# Push it',
      'docker push app \\',
      '  --all-tags',
      '',
      'kubectl rollout status deploy/app',
      '```',
      '```console',
      '$ npm test',
      'all good',
      '```',
      '',
    ].join('\n');
    const { doc } = ok(md);
    const items = allOut(doc);
    expect(items.map((i) => [i.title, i.run, i.confirm])).toEqual([
      ['Build image', 'docker build -t app .', true],
      ['Push it', 'docker push app \\\n  --all-tags', true],
      ['kubectl rollout status deploy/app', 'kubectl rollout status deploy/app', true],
      ['npm test', 'npm test', true],
    ]);
    expect(items[3].notes).toContain('all good');
  });

  it('blanks and ballot boxes become records', () => {
    const md = `# T\n\n## Metrics\n- [ ] p95 latency: ____ms\n- [ ] Error rate: ___%\n- [ ] Deployed version: ___\n- [ ] Better than before? ☐ Yes ☐ No ☐ Similar\n- [ ] Plain step\n`;
    const { doc } = ok(md);
    expect(allOut(doc).map((i) => [i.title, i.record, i.unit, i.options])).toEqual([
      ['p95 latency', 'number', 'ms', undefined],
      ['Error rate', 'number', '%', undefined],
      ['Deployed version', 'text', undefined, undefined],
      ['Better than before?', 'choice', undefined, ['Yes', 'No', 'Similar']],
      ['Plain step', undefined, undefined, undefined],
    ]);
  });

  it('a Rollback heading becomes the rollback track, a Sign-Off block the roles of its phase', () => {
    const md = `# T\n\n## Deploy\n- [ ] ship it\n\n### Sign-Off\n- [ ] Tech Lead: ________ Date: _____\n- [ ] QA: ________ Date: _____\n\n## Rollback\n\`\`\`bash\n# Revert\nkubectl rollout undo deploy/app\n\`\`\`\n- [ ] Users told\n`;
    const { doc } = ok(md);
    expect(doc.phases).toHaveLength(1);
    expect(doc.phases[0].signoff).toEqual(['Tech Lead', 'QA']);
    expect(doc.rollback!.title).toBe('Rollback');
    expect(doc.rollback!.sections[0].items.map((i) => [i.title, kindOf(i)])).toEqual([
      ['Revert', 'run'],
      ['Users told', 'manual'],
    ]);
  });

  it('titles lose numbering, emoji, [ ] and mojibake; ids are unique slugs', () => {
    const md = `# 🚀 Deploy\n\n## Phase 2: Ship ✅\n### 1. [ ] Checks âœ“\n- [ ] Same\n- [ ] Same\n- [ ] Same\n`;
    const { doc } = ok(md);
    expect(doc.title).toBe('Deploy');
    expect(doc.phases[0]).toMatchObject({ id: 'ship', title: 'Ship' });
    expect(doc.phases[0].sections[0].title).toBe('Checks');
    expect(allOut(doc).map((i) => i.id)).toEqual(['same', 'same-2', 'same-3']);
  });

  it('plain bullets are items only when the document has no task boxes at all', () => {
    expect(titles(`# T\n\n## A\n- one\n- two\n\n## B\n1. three\n`)).toEqual(['one', 'two', 'three']);
    expect(titles(`# T\n\n## A\n- [ ] one\n- note\n\n## B\n- three\n`)).toEqual(['one']);
  });

  it('${NAME} in commands is rewritten so runsheet leaves it to the shell', () => {
    const md = '# T\n\n## A\n```bash\ncurl -H "Bearer ${TOKEN}" "${HOST}_x" \'${LIT}\'\n```\n';
    const { doc } = ok(md);
    expect(allOut(doc)[0].run).toBe(`curl -H "Bearer $TOKEN" "\${HOST#}_x" '$''{LIT}'`);
  });

  it('--http-checks adds an http item after a curl health command', () => {
    const md =
      '# T\n\n## Verify\n```bash\n# API up\ncurl -f https://api.example.com/health\n# Post\ncurl -X POST -d x https://api.example.com/health\n```\n';
    const { doc } = ok(md, { httpChecks: true });
    expect(allOut(doc).map((i) => [i.title, kindOf(i)])).toEqual([
      ['API up', 'run'],
      ['API up (HTTP check)', 'http'],
      ['Post', 'run'],
    ]);
    expect(allOut(doc)[1].http).toEqual({ url: 'https://api.example.com/health' });
  });

  it('tables and prose become notes, a links heading reference, and the summary says where', () => {
    const md = `# T\n\n## A\n\nIntro paragraph:\n\n- [ ] one\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n## Links\n- [Docs](https://example.com)\n`;
    const { doc, summary } = ok(md);
    expect(allOut(doc)[0].notes).toContain('Intro paragraph:');
    expect(allOut(doc)[0].notes).toContain('| a | b |\n|---|---|\n| 1 | 2 |');
    expect(doc.reference).toEqual([{ title: 'Links', notes: '- [Docs](https://example.com)' }]);
    expect(summary.notes.map((n) => [n.line, n.to])).toEqual([
      [5, 'one'],
      [9, 'one'],
    ]);
    expect(summary.decisions).toContainEqual({ kind: 'reference', line: 13, endLine: 14, what: '"Links" (title says links)' });
  });

  it('a document with no checklist is a UserError', () => {
    expect(() => imp('# Just a page\n\nSome prose.\n')).toThrow(UserError);
    expect(() => imp('')).toThrow(/holds no checklist/);
  });
});

describe('pasted plain text', () => {
  const text = [
    'Release Checklist',
    '',
    'Before',
    '',
    '1. Backups',
    '',
    '# Dump the database',
    'pg_dump app > app.sql',
    '  • Dump restored on staging',
    '  • Dump copied off-site',
    '',
    'Rollback',
    '',
    '# Restore',
    'psql app < app.sql',
    '  • Users notified',
    '',
  ].join('\n');

  it('is detected, and Markdown is not', () => {
    expect(detectPlainText(text)).toBe(true);
    expect(detectPlainText('# T\n\n- [ ] a\n')).toBe(false);
    expect(detectPlainText('# T\n\n```bash\nls\n```\n')).toBe(false);
  });

  it('imports headings, bullets and unfenced commands best effort', () => {
    const { doc, summary, yaml } = imp(text);
    expect(problemsOf(yaml)).toEqual([]);
    expect(summary.format).toBe('plain text');
    expect(doc.title).toBe('Release Checklist');
    expect(doc.phases.map((p) => [p.title, p.sections.map((s) => s.title)])).toEqual([['Before', ['Backups']]]);
    expect(allOut(doc).map((i) => [i.title, kindOf(i)])).toEqual([
      ['Dump the database', 'run'],
      ['Dump restored on staging', 'manual'],
      ['Dump copied off-site', 'manual'],
      ['Restore', 'run'],
      ['Users notified', 'manual'],
    ]);
    expect(doc.rollback!.sections[0].items[0].run).toBe('psql app < app.sql');
  });
});

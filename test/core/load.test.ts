import { describe, expect, it } from 'vitest';
import { loadChecklistText, formatProblem } from '../../src/core/load.js';
import { allItems } from '../../src/core/model.js';

const load = (text: string, opts = {}) => loadChecklistText(text, 'c.yaml', opts);
const problems = (text: string, opts = {}) => load(text, opts).problems.map(formatProblem);

const base = `version: 1
title: T
vars: {A: alpha}
environments:
  staging: {vars: {API_URL: http://127.0.0.1:1}}
  production: {vars: {API_URL: https://example.com}, confirm: true}
secrets: [DB_PASSWORD]
phases:
  - title: Pre-Deployment
    signoff: [Tech Lead]
    sections:
      - title: Checks
        items:
          - title: Echo
            run: echo \${A} $HOME \${1} \${X:-y}
            timeout: 5s
          - title: Health
            http: {url: '\${API_URL}/health', json: {db: ok}}
            retries: 2
          - title: Env
            require_env: [HOME]
          - title: Prod only
            when: {env: production}
  - title: Deploy
    items:
      - title: Start time
        record: time
      - title: Echo
        run: 'true'
rollback:
  items:
    - title: Revert
      run: echo revert
`;

describe('loadChecklistText', () => {
  it('normalizes a valid checklist: ids, interpolation, durations, shell forms left alone', () => {
    const { checklist, problems: ps } = load(base, { env: 'staging' });
    expect(ps).toEqual([]);
    const items = allItems(checklist!);
    expect(items.map((i) => i.id)).toEqual(['echo', 'health', 'env', 'start-time', 'echo-2', 'revert']);
    const echo = items[0];
    expect(echo.action).toMatchObject({ kind: 'run', command: 'echo alpha $HOME ${1} ${X:-y}', check: false });
    expect(echo.timeoutMs).toBe(5000);
    expect(items[1].action).toMatchObject({ kind: 'http', http: { url: 'http://127.0.0.1:1/health', method: 'GET' } });
    expect(checklist!.dropped.map((d) => d.id)).toEqual(['prod-only']);
    expect(checklist!.rollback?.title).toBe('Rollback');
    expect(checklist!.vars).toEqual({ A: 'alpha', API_URL: 'http://127.0.0.1:1' });
  });

  it('keeps env-only items for their environment', () => {
    const { checklist } = load(base, { env: 'production' });
    expect(allItems(checklist!).some((i) => i.id === 'prod-only')).toBe(true);
  });

  it('--set beats environment vars, which beat top-level vars, which beat the process env', () => {
    const text = base.replace('echo ${A}', 'echo ${A} ${API_URL}');
    const c1 = load(text, { env: 'staging', processEnv: { A: 'proc' } }).checklist!;
    expect((allItems(c1)[0].action as { command: string }).command).toContain('echo alpha http://127.0.0.1:1');
    const c2 = load(text, { env: 'staging', set: { A: 'cli', API_URL: 'http://u' } }).checklist!;
    expect((allItems(c2)[0].action as { command: string }).command).toContain('echo cli http://u');
    const c3 = load(text.replace('vars: {A: alpha}\n', ''), { env: 'staging', processEnv: { A: 'proc' } }).checklist!;
    expect((allItems(c3)[0].action as { command: string }).command).toContain('echo proc');
  });

  it('points YAML syntax errors at their line', () => {
    expect(problems('version: 1\ntitle: x\nphases:\n  - title: a\n    items: [oops\n')[0]).toMatch(/^c\.yaml:\d+:\d+: YAML syntax error/);
  });

  it('reports unknown keys at the key with a suggestion', () => {
    expect(problems(base.replace('timeout: 5s', 'tiemout: 5s'))).toEqual(['c.yaml:16:13: unknown key "tiemout" (did you mean "timeout"?)']);
  });

  it('reports wrong types at the value', () => {
    expect(problems(base.replace('retries: 2', 'retries: many'))).toEqual([
      'c.yaml:19:22: phases.0.sections.0.items.1.retries: expected number, got string',
    ]);
  });

  it('reports duplicate explicit ids with both lines', () => {
    const t = base
      .replace('- title: Echo\n            run', '- title: Echo\n            id: x\n            run')
      .replace('- title: Env\n', '- title: Env\n            id: x\n');
    expect(problems(t)).toEqual(['c.yaml:22:17: duplicate id "x" (also used at line 15)']);
  });

  it('reports two actions on one item at the second action', () => {
    expect(problems(base.replace('require_env: [HOME]', 'require_env: [HOME]\n            run: ls'))).toEqual([
      'c.yaml:22:13: item "Env" has two actions (run and require_env): an item does exactly one thing; split it into two items',
    ]);
  });

  it('reports undefined ${VARS} and which environments lack them', () => {
    expect(problems(base.replace('echo ${A}', 'echo ${NOPE}'), { env: 'staging' })[0]).toMatch(
      /^c\.yaml:15:23: \$\{NOPE\} is not defined in vars, environment "staging"/,
    );
    const partial = base.replace('production: {vars: {API_URL: https://example.com}, confirm: true}', 'production: {confirm: true}');
    expect(problems(partial)).toEqual([
      expect.stringMatching(/^c\.yaml:18:26: \$\{API_URL\} is defined only in environment staging; missing in production/),
    ]);
    expect(problems(base)).toEqual([]); // defined in every environment: fine before one is chosen
  });

  it('reports when naming an unknown environment, with a suggestion', () => {
    expect(problems(base.replace('when: {env: production}', 'when: {env: prod}'))[0]).toMatch(
      /c\.yaml:23:25: when.env names unknown environment "prod"/,
    );
  });

  it('reports an --env that does not exist', () => {
    expect(problems(base, { env: 'stagign' })[0]).toMatch(
      /environment "stagign" is not defined in this checklist \(known: staging, production\); did you mean "staging"/,
    );
  });

  it('reports empty phases', () => {
    expect(problems(base.replace('rollback:', '  - title: Empty\n    items: []\nrollback:'))).toEqual([
      'c.yaml:30:5: phase "Empty" has no items: add items or sections, or remove the phase',
    ]);
  });

  it('refuses alias bombs, binary input and non-mapping documents', () => {
    const bomb =
      'a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n';
    expect(problems(bomb)[0]).toMatch(/c\.yaml:1:1: /);
    expect(problems('\u0000\u0001')[0]).toMatch(/binary/);
    expect(problems('- just\n- a list\n')[0]).toMatch(/a checklist is a YAML mapping/);
  });

  it('requires choice options and puts run-only keys on run items', () => {
    const t = base.replace('record: time', 'record: choice').replace('require_env: [HOME]', 'require_env: [HOME]\n            check: true');
    expect(problems(t)).toEqual([
      'c.yaml:22:13: "check" only applies to run items',
      'c.yaml:28:17: record: choice needs an "options" list',
    ]);
  });
});

describe('traps an operator would not see coming', () => {
  const one = (item: string) => `version: 1\ntitle: T\nphases:\n  - title: P\n    items:\n      - title: a\n${item}`;

  it('refuses a YAML tag: `run: ! grep x` would otherwise quietly run `grep x`', () => {
    expect(problems(one('        run: ! grep x\n'))).toEqual([expect.stringMatching(/^c\.yaml:7:16: YAML tag "!" is not allowed.*quotes/)]);
    expect(problems(one("        run: '! grep x'\n"))).toEqual([]);
  });

  it('refuses a NUL character written in any escape, in a value or a key', () => {
    for (const esc of ['\\0', '\\x00', '\\u0000', '\\U00000000']) {
      expect(problems(one(`        run: "echo a${esc}b"\n`))).toEqual([
        expect.stringMatching(/^c\.yaml:7:\d+: phases\.0\.items\.0\.run: contains a NUL character/),
      ]);
      expect(problems(one(`        env: {"A${esc}": x}\n`))).toEqual([expect.stringMatching(/contains a NUL character/)]);
    }
    expect(problems(one('        run: "echo a\\\\0b"\n'))).toEqual([]); // an escaped backslash, then "0"
  });

  it('refuses timeout 0 (it would stop the command at once) but accepts none', () => {
    expect(problems(one('        run: echo\n        timeout: 0\n'))).toEqual([expect.stringMatching(/^c\.yaml:8:18: timeout: 0 .*`none`/)]);
    expect(problems(one('        run: echo\n        timeout: none\n'))).toEqual([]);
  });

  it('derives phase ids that avoid explicit ones, wherever the explicit one stands', () => {
    const r = load(
      `version: 1\ntitle: T\nphases:\n  - title: P\n    items: [{title: a}]\n  - id: p-2\n    title: Q\n    items: [{title: b}]\n  - title: P\n    items: [{title: c}]\n`,
    );
    expect(r.problems).toEqual([]);
    expect(r.checklist!.phases.map((p) => p.id)).toEqual(['p', 'p-2', 'p-3']);
  });
});

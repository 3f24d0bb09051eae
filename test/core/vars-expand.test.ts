import { describe, expect, it } from 'vitest';
import { loadChecklistText, formatProblem } from '../../src/core/load.js';
import { allItems } from '../../src/core/model.js';
import { checklistSecrets, redact } from '../../src/core/redact.js';

const load = (text: string, opts = {}) => loadChecklistText(text, 'c.yaml', opts);
const problems = (text: string, opts = {}) => load(text, opts).problems.map(formatProblem);
const doc = (vars: string, item: string, extra = '') => `version: 1
title: T
vars: ${vars}
${extra}phases:
  - title: P
    items:
      - ${item}
`;
const firstAction = (text: string, opts = {}) => {
  const r = load(text, opts);
  expect(r.problems.map(formatProblem)).toEqual([]);
  return allItems(r.checklist!)[0].action;
};

describe('vars that use vars', () => {
  it('expands a var used in a var, at any depth', () => {
    const a = firstAction(
      doc(
        '{HOST: db.internal, PORT: "8443", BASE: "https://${HOST}:${PORT}", HEALTH: "${BASE}/health"}',
        'title: H\n        http: {url: "${HEALTH}"}',
      ),
    );
    expect(a).toMatchObject({ kind: 'http', http: { url: 'https://db.internal:8443/health' } });
  });

  it('every reference obeys the one precedence: --set, environment, vars, process env', () => {
    const text = doc(
      '{BASE: "https://${HOST}:8443"}',
      'title: R\n        run: curl ${BASE}',
      'environments:\n  prod: {vars: {HOST: prod.example}}\n',
    );
    expect(firstAction(text, { env: 'prod' })).toMatchObject({ command: 'curl https://prod.example:8443' });
    expect(firstAction(text, { env: 'prod', set: { HOST: 'override' } })).toMatchObject({ command: 'curl https://override:8443' });
    const noEnv = doc('{BASE: "https://${HOST}:8443"}', 'title: R\n        run: curl ${BASE}');
    expect(firstAction(noEnv, { processEnv: { HOST: 'from-env' } })).toMatchObject({ command: 'curl https://from-env:8443' });
    // An environment's var may use a top-level var and the other way round.
    const both = doc(
      '{HOST: h, URL: "http://${HOST}${SUFFIX}"}',
      'title: R\n        run: echo ${URL}',
      'environments:\n  prod: {vars: {SUFFIX: "/${HOST}-prod"}}\n',
    );
    expect(firstAction(both, { env: 'prod' })).toMatchObject({ command: 'echo http://h/h-prod' });
  });

  it('keeps --set and process-environment values literal', () => {
    const text = doc('{A: a}', 'title: R\n        run: echo ${X} ${Y}');
    expect(firstAction(text, { set: { X: '${A}' }, processEnv: { Y: '${A}' } })).toMatchObject({ command: 'echo ${A} ${A}' });
  });

  it('a var that uses its own name means the next source down, as in the shell', () => {
    expect(firstAction(doc('{P: "${P}:/opt/bin"}', 'title: R\n        run: echo ${P}'), { processEnv: { P: '/usr/bin' } })).toMatchObject({
      command: 'echo /usr/bin:/opt/bin',
    });
    const env = doc('{OPTS: "-v"}', 'title: R\n        run: x ${OPTS}', 'environments:\n  prod: {vars: {OPTS: "${OPTS} --prod"}}\n');
    expect(firstAction(env, { env: 'prod' })).toMatchObject({ command: 'x -v --prod' });
  });

  it('exports the expanded values to commands', () => {
    const r = load(doc('{HOST: h, BASE: "https://${HOST}"}', 'title: R\n        run: "true"'));
    expect(r.checklist!.vars).toEqual({ HOST: 'h', BASE: 'https://h' });
  });

  it('a cycle is an error at the value, naming the loop', () => {
    const text = `version: 1
title: T
vars:
  A: "x\${B}"
  B: "\${A}y"
phases:
  - title: P
    items: [{title: R, run: 'echo \${A}'}]
`;
    expect(problems(text)).toEqual([
      'c.yaml:4:8: vars refer to each other in a loop: vars.A → vars.B → vars.A; one of these values must not use the next',
    ]);
  });

  it('finds a cycle through an environment even when no env is chosen', () => {
    const text = `version: 1
title: T
vars:
  B: "\${A}"
environments:
  prod:
    vars:
      A: "\${B}"
phases:
  - title: P
    items: [{title: R, run: "true"}]
`;
    expect(problems(text)).toEqual([
      'c.yaml:8:11: vars refer to each other in a loop: environments.prod.vars.A → vars.B → environments.prod.vars.A; one of these values must not use the next',
    ]);
    expect(problems(text, { env: 'prod' })).toHaveLength(1);
  });

  it('a self-reference with nothing below is an undefined var, not a loop', () => {
    expect(problems(doc('{A: "${A}"}', 'title: R\n        run: echo ${A}'))).toEqual([
      expect.stringMatching(/^c\.yaml:8:19: \$\{A\} \(used in the value of \$\{A\}\) is not defined/),
    ]);
  });

  it('refuses absurdly deep chains instead of overflowing the stack', () => {
    const vars = Array.from({ length: 1000 }, (_, i) => `V${i}: "\${V${i + 1}}"`).join(', ');
    const p = problems(doc(`{${vars}, V1000: end}`, 'title: R\n        run: echo ${V0}'));
    expect(p.join('\n')).toMatch(/nest more than 200 levels/);
  });

  it('names an undefined var used inside a var, at the use', () => {
    const p = problems(doc('{BASE: "https://${HOST}:8443"}', 'title: H\n        http: {url: "${BASE}/health"}'));
    expect(p).toEqual([expect.stringMatching(/^c\.yaml:8:22: \$\{HOST\} \(used in the value of \$\{BASE\}\) is not defined/)]);
  });

  it('validate rejects an http.url that is not http(s):// after expansion', () => {
    expect(problems(doc('{BASE: "ftp://h"}', 'title: H\n        http: {url: "${BASE}/health"}'))).toEqual([
      'c.yaml:8:21: http.url must start with http:// or https:// (got "${BASE}/health", which is "ftp://h/health")',
    ]);
    // No env chosen: checked as each environment would make it.
    const envs = doc(
      '{}',
      'title: H\n        http: {url: "${BASE}/health"}',
      'environments:\n  a: {vars: {BASE: "https://a"}}\n  b: {vars: {BASE: "b.example"}}\n',
    );
    expect(problems(envs)).toEqual([
      'c.yaml:11:21: http.url must start with http:// or https:// (got "${BASE}/health", which is "b.example/health" in environment b)',
    ]);
    expect(problems(envs, { env: 'a' })).toEqual([]);
  });

  it('a var whose value uses a secret is itself secret, and its whole value is masked', () => {
    const text = doc(
      '{DB_PASSWORD: hunter22, DSN: "postgres://app:${DB_PASSWORD}@db/x", AUTH: "Bearer ${API_TOKEN}"}',
      'title: R\n        run: psql "${DSN}"',
    );
    const c = load(text, { processEnv: { API_TOKEN: 'tok-123456' } }).checklist!;
    expect(c.secrets).toEqual(expect.arrayContaining(['DSN', 'AUTH']));
    const secrets = checklistSecrets(c, { API_TOKEN: 'tok-123456' });
    expect(redact(`dsn=postgres://app:hunter22@db/x auth=Bearer tok-123456`, secrets)).toBe('dsn=*** auth=***');
  });

  it('never prints a secret in a problem about an expanded value', () => {
    const text = doc('{API_TOKEN: s3cr3t-value, URL: "ftp://x/?t=${API_TOKEN}"}', 'title: H\n        http: {url: "${URL}"}');
    const p = problems(text).join('\n');
    expect(p).toMatch(/http\.url must start/);
    expect(p).not.toContain('s3cr3t-value');
  });
});

describe('vars that use vars: any graph', () => {
  const NAMES = ['A', 'B', 'C', 'D', 'E'];
  const hasCycle = (g: Record<string, string[]>) => {
    const state = new Map<string, number>();
    const visit = (n: string): boolean => {
      if (state.get(n) === 1) return true;
      if (state.get(n) === 2) return false;
      state.set(n, 1);
      const found = (g[n] ?? []).some((m) => m !== n && m in g && visit(m));
      state.set(n, 2);
      return found;
    };
    return Object.keys(g).some(visit);
  };

  it('terminates, reports a loop exactly when there is one, and otherwise expands every defined name', async () => {
    const fc = (await import('fast-check')).default;
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom(...NAMES), fc.array(fc.constantFrom(...NAMES, 'UNDEF'), { maxLength: 3 }), { minKeys: 1 }),
        (g) => {
          const vars = Object.entries(g)
            .map(([k, refs]) => `${k}: "x${refs.map((r) => `\${${r}}`).join('-')}"`)
            .join(', ');
          const r = load(doc(`{${vars}}`, 'title: R\n        run: "true"'));
          const loops = r.problems.filter((p) => /in a loop/.test(p.message));
          expect(loops.length > 0, JSON.stringify(g)).toBe(hasCycle(g));
          if (!loops.length) {
            expect(r.problems).toEqual([]);
            for (const [k, v] of Object.entries(r.checklist!.vars)) {
              const left = [...v.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]);
              // Only names nothing defines stay — a var's own name inside it means "the source
              // below", and here there is none, so it stays too, also where that var is used.
              for (const n of left) expect(n === 'UNDEF' || !(n in g) || g[n].includes(n), `${k}=${v}`).toBe(true);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

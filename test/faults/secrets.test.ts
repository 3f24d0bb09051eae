// Issue 7.5: secret values — of variables listed in `secrets` and of any *_KEY, *_TOKEN, *_SECRET,
// *_PASSWORD — never reach logs, state, events, reports or output, even when a command prints them
// in pieces across output chunks or an HTTP server sends them back in a chunked body.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from '../support/tmp.js';
import { allFiles, crashSigns, onlyRun, readEvents, runRunsheet } from './harness.js';

const SECRETS = {
  DEPLOY_TOKEN: 'tok-SPLIT-8472-qq',
  DB_PASSWORD: 'pw-Zq81x-dribble',
  API_KEY: 'key-Hh3k2-header',
  SIGNING_SECRET: 'sec-Vb77-stderr',
  OPS_CRED: 'cred-Lm4p9-declared', // secret only because the checklist lists it
};

let t: Awaited<ReturnType<typeof tempDir>>;
let server: Server;
let url = '';
beforeAll(async () => {
  t = await tempDir('rs-fault-secrets-');
  // Echoes what it was sent, and streams a secret in two chunks with a pause between them.
  server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    if (u.pathname === '/chunked') {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.write(`db says ${SECRETS.DB_PASSWORD.slice(0, 6)}`);
      setTimeout(() => res.end(`${SECRETS.DB_PASSWORD.slice(6)} and ${SECRETS.OPS_CRED}\n`), 50);
      return;
    }
    res.writeHead(503, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ query: u.search, auth: req.headers.authorization ?? null }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await t.cleanup();
});

// The checklist names secrets only by variable, never by value: its copy in the run directory
// is the operator's file, not redacted.
const checklist = () => `version: 1
title: Secrets
secrets: [OPS_CRED]
vars: {BASE: '${url}'}
phases:
  - title: Leaky
    items:
      - {id: note, title: Record a value, record: text}
      - {id: manual, title: Skipped with a reason}
      - id: split
        title: Token in two chunks
        check: true
        run: 'printf "token=%s" "\${DEPLOY_TOKEN:0:7}"; sleep 0.05; printf "%s\\n" "\${DEPLOY_TOKEN:7}"'
      - id: dribble
        title: Password one byte at a time, on stderr too
        check: true
        run: 'for ((i=0; i<\${#DB_PASSWORD}; i++)); do printf "%s" "\${DB_PASSWORD:i:1}"; printf "%s" "\${SIGNING_SECRET:i:1}" >&2; sleep 0.005; done; echo'
      - id: interpolated
        title: 'Interpolated by runsheet: \${OPS_CRED}'
        check: true
        run: 'echo "cred is \${OPS_CRED}"; echo "\${API_KEY}" >&2'
      - id: http-echo
        title: Server echoes the query and the auth header
        http: {url: '\${BASE}/echo?token=\${DEPLOY_TOKEN}', headers: {Authorization: 'Bearer \${API_KEY}'}, status: 200}
      - id: http-chunked
        title: Chunked body with a secret split across chunks
        http: {url: '\${BASE}/chunked', status: 200}
      - {id: ok, title: A pass, run: 'echo fine', check: true}
`;

describe('secret values never leave runsheet', () => {
  it('logs, events, state, status, runs and reports hold none of them, whole or split', async () => {
    const file = join(t.dir, 'secrets.yaml');
    await writeFile(file, checklist());
    await writeFile(
      join(t.dir, 'answers.yaml'),
      `note: {record: "value ${SECRETS.API_KEY} end"}\nmanual: {skip: "because ${SECRETS.DEPLOY_TOKEN}"}\n`,
    );
    const home = join(t.dir, 'home');
    const o = { cwd: t.dir, home, env: { ...SECRETS, TRACE_ID: SECRETS.OPS_CRED, EXTRA_TOKEN: SECRETS.DEPLOY_TOKEN } };
    const outputs: string[] = [];
    const run = async (args: string[]) => {
      const r = await runRunsheet(args, o);
      outputs.push(r.stdout, r.stderr);
      expect(crashSigns(r.stderr)).toEqual([]);
      return r;
    };

    const r = await run(['run', file, '--auto', '--json', '--jobs', '3', '--answers', 'answers.yaml', '--set-from-env', 'EXTRA_TOKEN']);
    expect(r.code, r.stderr).toBe(1); // the HTTP checks fail (503/500) and their bodies are recorded
    const runId = await onlyRun(home);
    const events = await readEvents(home, runId);

    // The redaction really happened (the secrets were there to leak), in every channel.
    const log = (name: string) => readFile(join(home, 'runs', runId, 'logs', name), 'utf8');
    expect(await log('split.1.stdout.log')).toBe('token=***\n');
    expect(await log('dribble.1.stdout.log')).toBe('***\n');
    expect(await log('dribble.1.stderr.log')).toBe('***');
    expect(await log('interpolated.1.stdout.log')).toBe('cred is ***\n');
    expect(events.find((e) => e.type === 'item.started' && e.item === 'http-echo')).toMatchObject({ request: `GET ${url}/echo?token=***` });
    const echo = events.find((e) => e.type === 'item.failed' && e.item === 'http-echo');
    expect(JSON.stringify(echo)).toContain('?token=***');
    const chunked = events.find((e) => e.type === 'item.failed' && e.item === 'http-chunked');
    expect(JSON.stringify(chunked)).toContain('db says *** and ***');

    outputs.push((await run(['status', runId, '--json'])).stdout);
    await run(['runs', '--json']);
    expect((await run(['report', runId, '--unsigned', '-o', 'report.json'])).code).toBe(0);
    expect((await run(['report', runId, '--unsigned', '--format', 'md', '-o', 'report.md'])).code).toBe(0);
    expect((await run(['report', runId, '--unsigned', '-o', '-'])).code).toBe(0);

    const reportJson = await readFile(join(t.dir, 'report.json'), 'utf8');
    const payload = Buffer.from((JSON.parse(reportJson) as { payload: string }).payload, 'base64').toString('utf8');
    const texts: [string, string][] = [
      ['report.json', reportJson],
      ['report payload', payload],
      ['report.md', await readFile(join(t.dir, 'report.md'), 'utf8')],
      ...outputs.map((x, i): [string, string] => [`output ${i}`, x]),
    ];
    for (const f of await allFiles(home)) {
      if (f.endsWith('checklist.yaml')) continue; // the operator's own file (holds no values)
      texts.push([f, await readFile(f, 'utf8')]);
    }
    expect(texts.length).toBeGreaterThan(15);
    for (const [name, text] of texts) {
      for (const [k, v] of Object.entries(SECRETS)) expect(text.includes(v), `${k} in ${name}`).toBe(false);
    }
    expect(payload).toContain('value *** end');
    expect(payload).toContain('because ***');
  });
});

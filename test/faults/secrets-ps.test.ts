// Issue 13.5: a secret's value never enters a process's command line. While real runs use secrets
// in `run:` (unquoted, in "…", in '…'), in a metric probe's `command:` and in a command kept
// across a disconnect (with its output relay), every /proc/*/cmdline on the machine is read over
// and over: none may hold a value. The commands still get the right values (they write hashes
// of them to files), and runsheet's own command line refuses a secret.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFile, readdir, writeFile, chmod } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../support/tmp.js';
import { onlyRun, runIds, runRunsheet, startRunsheet, waitFor } from './harness.js';

const DB_PASSWORD = 'pw-Ps7x-k3pt-Q';
const OPS_CRED = 'cred-Ps9z-decl';
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

/** Every process's command line, as ps would show it (NULs as spaces). */
async function cmdlines(): Promise<{ pid: string; cmd: string }[]> {
  const out: { pid: string; cmd: string }[] = [];
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      out.push({ pid, cmd: (await readFile(`/proc/${pid}/cmdline`, 'latin1')).replace(/\0/g, ' ') });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/**
 * Reads every command line until `until` settles; what held a secret, and what matched `seen`
 * (`onSeen(i)` runs the first time pattern i matches: the commands wait for it to go on).
 */
async function watchProcesses(
  until: Promise<unknown>,
  seen: RegExp[],
  onSeen: (i: number) => Promise<void> = async () => {},
): Promise<{ leaks: string[]; matched: boolean[] }> {
  const leaks = new Set<string>();
  const matched = seen.map(() => false);
  // A field, so the loop sees the callback's write.
  const state = { done: false };
  void until.finally(() => (state.done = true));
  while (!state.done) {
    for (const { pid, cmd } of await cmdlines()) {
      if (cmd.includes(DB_PASSWORD) || cmd.includes(OPS_CRED)) leaks.add(`${pid}: ${cmd}`);
      for (const [i, re] of seen.entries()) {
        if (matched[i] || !re.test(cmd)) continue;
        matched[i] = true;
        await onSeen(i);
      }
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  return { leaks: [...leaks], matched };
}

let t: Awaited<ReturnType<typeof tempDir>>;
let varsFile = '';
beforeAll(async () => {
  t = await tempDir('rs-secrets-ps-');
  varsFile = join(t.dir, 'secrets.env');
  await writeFile(varsFile, `OPS_CRED='${OPS_CRED}'\n`);
  await chmod(varsFile, 0o600);
});
afterAll(async () => t.cleanup());

const env = { DB_PASSWORD };

describe('no secret on any command line', () => {
  it('run commands and metric probes read secrets by reference while ps shows only names', async () => {
    await writeFile(
      join(t.dir, 'ps.yaml'),
      `version: 1
title: Secrets in ps
secrets: [OPS_CRED]
samples: 1
metrics:
  - {id: pwlen, command: 'until [ -e go.probe ]; do sleep 0.02; done; printf %s \${DB_PASSWORD} | wc -c'}
phases:
  - title: Uses secrets
    items:
      - id: use
        title: Uses secrets
        run: |
          until [ -e go.use ]; do sleep 0.02; done
          printf %s \${DB_PASSWORD} | sha256sum | cut -c1-64 > pw.sha
          echo 'single \${OPS_CRED}' > single.txt
          echo "pw=\${DB_PASSWORD}"
      - {id: snap, title: Snapshot, snapshot: {label: baseline}}
`,
    );
    const home = join(t.dir, 'home-ps');
    const p = startRunsheet(['run', 'ps.yaml', '--auto', '--vars-file', varsFile], { cwd: t.dir, home, env });
    // Each command waits until the scan has seen it; it must show the name where the value was.
    const go = ['go.use', 'go.probe'];
    const seen = [
      /until \[ -e go\.use \]/,
      /until \[ -e go\.probe \]/,
      /go\.use.*printf %s "\$\{DB_PASSWORD\}" \| sha256sum/s,
      /go\.probe.*printf %s "\$\{DB_PASSWORD\}" \| wc -c/s,
    ];
    const watch = await watchProcesses(p.exited, seen, async (i) => (i < 2 ? writeFile(join(t.dir, go[i]), '') : undefined));
    const r = await p.exited;
    expect(p.stderr()).toBe('');
    expect(r.code).toBe(0);
    expect(watch.leaks).toEqual([]);
    // The scan saw the commands while they ran, with the names where the values were.
    expect(watch.matched).toEqual([true, true, true, true]);
    expect((await readFile(join(t.dir, 'pw.sha'), 'utf8')).trim()).toBe(sha(DB_PASSWORD));
    expect(await readFile(join(t.dir, 'single.txt'), 'utf8')).toBe(`single ${OPS_CRED}\n`);
    const id = await onlyRun(home);
    expect(await readFile(join(home, 'runs', id, 'logs', 'use.1.stdout.log'), 'utf8')).toBe('pw=***\n');
    const snaps = await readdir(join(t.dir, 'snapshots'));
    const snap = JSON.parse(await readFile(join(t.dir, 'snapshots', snaps[0]), 'utf8')) as { probes: { value: number }[] };
    expect(snap.probes[0].value).toBe(DB_PASSWORD.length);
  });

  it('a command kept across a disconnect, and its output relay, show no secret either', async () => {
    await writeFile(
      join(t.dir, 'keep.yaml'),
      `version: 1
title: Kept
phases:
  - title: Kept
    items:
      - id: kept
        title: Kept across the drop
        on_disconnect: keep
        run: 'until [ -e go.kept ]; do sleep 0.02; done; printf %s \${DB_PASSWORD} | sha256sum | cut -c1-64 > kept.sha; echo "kept \${DB_PASSWORD}"'
`,
    );
    const home = join(t.dir, 'home-keep');
    const p = startRunsheet(['run', 'keep.yaml', '--auto'], { cwd: t.dir, home, env });
    const shaFile = join(t.dir, 'kept.sha');
    const finished = (async () => {
      await waitFor(
        async () => (await cmdlines()).some((c) => c.cmd.includes('kept.sha') && !c.cmd.includes('runsheet')),
        'the kept command to start',
      );
      p.child.kill('SIGHUP');
      await p.exited;
      await waitFor(() => existsSync(shaFile), 'the kept command to finish', 20_000);
      // The relay appends the rest of the output, then exits.
      await waitFor(
        async () => !(await cmdlines()).some((c) => c.cmd.includes('__relay') && c.cmd.includes(process.execPath)),
        'the relay to exit',
        20_000,
      );
    })();
    // The kept command goes on once the relay has been seen running beside it.
    const watch = await watchProcesses(finished, [/ __relay/], () => writeFile(join(t.dir, 'go.kept'), ''));
    await finished;
    const relaySeen = watch.matched[0];
    expect(watch.leaks).toEqual([]);
    expect(relaySeen).toBe(true);
    expect((await readFile(shaFile, 'utf8')).trim()).toBe(sha(DB_PASSWORD));
    const id = (await runIds(home))[0];
    expect(await readFile(join(home, 'runs', id, 'logs', 'kept.1.stdout.log'), 'utf8')).toBe('kept ***\n');
  });

  it('runsheet refuses a secret on its own command line, with the way to pass it instead', async () => {
    const byName = await runRunsheet(['plan', 'ps.yaml', '--set', `DB_PASSWORD=${DB_PASSWORD}`], { cwd: t.dir, home: join(t.dir, 'h1') });
    expect(byName.code).toBe(2);
    expect(byName.stderr.trim().split('\n')).toHaveLength(1);
    expect(byName.stderr).toMatch(/--set-from-env DB_PASSWORD .*--vars-file FILE \(mode 0600\)/);
    expect(byName.stderr).not.toContain(DB_PASSWORD);
    // Listed in the checklist's `secrets`: known only once the checklist is read.
    const declared = await runRunsheet(['plan', 'ps.yaml', '--set', `OPS_CRED=${OPS_CRED}`], { cwd: t.dir, home: join(t.dir, 'h1'), env });
    expect(declared.code).toBe(2);
    expect(declared.stderr).toMatch(/--set-from-env OPS_CRED/);
    // The ways that keep it off the command line work.
    const fromEnv = await runRunsheet(['plan', 'ps.yaml', '--set-from-env', 'OPS_CRED'], {
      cwd: t.dir,
      home: join(t.dir, 'h1'),
      env: { ...env, OPS_CRED },
    });
    expect(fromEnv.code).toBe(0);
    expect(fromEnv.stdout).toContain("echo 'single '\"${OPS_CRED}\"'' > single.txt");
    await chmod(varsFile, 0o644);
    const loose = await runRunsheet(['plan', 'ps.yaml', '--vars-file', varsFile], { cwd: t.dir, home: join(t.dir, 'h1'), env });
    await chmod(varsFile, 0o600);
    expect(loose.code).toBe(2);
    expect(loose.stderr).toMatch(/mode 0644 lets other users read it; chmod 600/);
  });
});

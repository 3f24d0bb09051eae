// Issue 7.3: a run's files after crashes and damage. A torn last line (a crash mid-append: no
// newline) is reported and cut on resume; any other bad line is an error naming its line, never
// dropped; state.json is cross-checked against events.jsonl and every disagreement is explained.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkChain } from '../../src/core/events.js';
import { foldEvents } from '../../src/core/state.js';
import { tempDir } from '../support/tmp.js';
import { crashSigns, onlyRun, readEvents, runRunsheet } from './harness.js';

let t: Awaited<ReturnType<typeof tempDir>>;
let pristine: string; // a home with one interrupted-looking run: 'a' passed, 'm' waits for a tick
let runId: string;
let n = 0;

beforeAll(async () => {
  t = await tempDir('rs-fault-journal-');
  await writeFile(
    join(t.dir, 'c.yaml'),
    `version: 1
title: Journal
phases:
  - title: P
    items:
      - {id: a, title: A, run: 'echo a'}
      - {id: b, title: B, run: 'echo b'}
      - {id: m, title: Manual}
      - {id: z, title: Z, run: 'echo z'}
`,
  );
  pristine = join(t.dir, 'pristine');
  const r = await runRunsheet(['run', 'c.yaml', '--auto'], { cwd: t.dir, home: pristine });
  expect(r.code, r.stderr).toBe(3);
  runId = await onlyRun(pristine);
});
afterAll(async () => t.cleanup());

/** A copy of the pristine home to damage, and helpers bound to it. */
async function damaged() {
  const home = join(t.dir, `home-${n++}`);
  await cp(pristine, home, { recursive: true });
  const dir = join(home, 'runs', runId);
  const log = join(dir, 'events.jsonl');
  const rs = (...args: string[]) => runRunsheet(args, { cwd: t.dir, home });
  return { home, dir, log, state: join(dir, 'state.json'), rs, text: () => readFile(log, 'utf8') };
}

const lines = (text: string) => text.split('\n').filter(Boolean);
const ANSWERS = 'm: tick\n';

describe('events.jsonl damage', () => {
  it('a torn last line (no newline) is reported by status, then cut on resume; nothing acknowledged is lost', async () => {
    const d = await damaged();
    const before = await d.text();
    await writeFile(d.log, `${before}{"seq":6,"type":"item.tic`);
    const st = await d.rs('status', runId);
    expect(st.code, st.stderr).toBe(0);
    expect(st.stdout).toMatch(/warning: events.jsonl: the last line \(25 bytes\) was torn by a crash and has been removed/);
    // status is read-only: it reports, it does not repair.
    expect(await d.text()).toBe(`${before}{"seq":6,"type":"item.tic`);

    await writeFile(join(t.dir, 'answers.yaml'), ANSWERS);
    const resumed = await d.rs('resume', runId, '--auto', '--answers', join(t.dir, 'answers.yaml'));
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/torn by a crash and has been removed; it was never shown as done/);
    const after = await d.text();
    expect(after.startsWith(before)).toBe(true);
    const events = await readEvents(d.home, runId);
    expect(checkChain(events)).toEqual([]);
    expect(events.filter((e) => e.type === 'item.started').map((e) => e.item)).toEqual(['a', 'b', 'z']);
  });

  it('a complete last event without its newline is kept, and the next append starts on a new line', async () => {
    const d = await damaged();
    const before = await d.text();
    await writeFile(d.log, before.replace(/\n$/, ''));
    await writeFile(join(t.dir, 'answers.yaml'), ANSWERS);
    const resumed = await d.rs('resume', runId, '--auto', '--answers', join(t.dir, 'answers.yaml'));
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/the last event had no trailing newline; it was kept/);
    const events = await readEvents(d.home, runId);
    expect(checkChain(events)).toEqual([]);
    expect(events.slice(0, lines(before).length).map((e) => JSON.stringify(e))).toEqual(
      lines(before).map((l) => JSON.stringify(JSON.parse(l))),
    );
    expect(events.at(-1)).toMatchObject({ type: 'run.finished', status: 'passed' });
  });

  it.each([
    [
      'a garbage line in the middle',
      (ls: string[]) => ls.map((l, i) => (i === 1 ? '{"seq":2,"type":"item.sta' : l)),
      /events\.jsonl:2: the event log is corrupt in the middle \(not a torn tail\)/,
    ],
    [
      'a complete garbage last line (it ends in a newline: not a torn write)',
      (ls: string[]) => [...ls, 'garbage'],
      /events\.jsonl:\d+: the event log is corrupt at its last line, which is complete \(not a torn write\)/,
    ],
    ['binary garbage for the whole log', () => ['\u0000\u0001\u00ff garbage'], /events\.jsonl:1: the event log is corrupt/],
    [
      'an edited event (valid JSON, broken hash chain)',
      (ls: string[]) => ls.map((l, i) => (i === 1 ? l.replace('"item":"a"', '"item":"b"') : l)),
      /events\.jsonl:3: the event chain is broken \(event 3: prev hash does not match event 2\)/,
    ],
    [
      'an event deleted from the middle',
      (ls: string[]) => ls.filter((_, i) => i !== 2),
      /events\.jsonl:3: the event chain is broken \(event 3: seq is 4, expected 3\)/,
    ],
  ])('%s: every command refuses with one line naming the problem; the file is left as it was', async (_name, damage, message) => {
    const d = await damaged();
    const bad = `${damage(lines(await d.text())).join('\n')}\n`;
    await writeFile(d.log, bad);
    for (const args of [
      ['status', runId],
      ['resume', runId, '--auto'],
      ['report', runId, '--unsigned', '-o', '-'],
    ]) {
      const r = await d.rs(...args);
      expect(r.code, `${args[0]}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n'), args[0]).toHaveLength(1);
      expect(crashSigns(r.stderr)).toEqual([]);
    }
    const runs = await d.rs('runs');
    expect(runs.code).toBe(0);
    expect(runs.stdout).toMatch(new RegExp(`${runId}  UNREADABLE: .*${message.source.slice(0, 20).replace(/\\\(/g, '\\(')}`));
    expect(await d.text()).toBe(bad);
  });
});

describe('state.json cross-checked against events.jsonl', () => {
  it('garbage state.json: explained, rebuilt from the log on resume', async () => {
    const d = await damaged();
    await writeFile(d.state, '\u0000not json{');
    const st = await d.rs('status', runId, '--json');
    expect(st.code, st.stderr).toBe(0);
    expect(JSON.parse(st.stdout).warnings).toContain('state.json was unreadable (corrupt); rebuilt it from the event log');
    const rep = await d.rs('report', runId, '--unsigned', '-o', '-');
    expect(rep.code, rep.stderr).toBe(0);
    expect(rep.stderr).toMatch(/state\.json is unreadable \(corrupt\); the report uses the events/);
    const r = await d.rs('resume', runId, '--auto');
    expect(r.code, r.stderr).toBe(3);
    expect(JSON.parse(await readFile(d.state, 'utf8'))).toEqual(JSON.parse(JSON.stringify(foldEvents(await readEvents(d.home, runId)))));
  });

  it('state.json behind the log (a crash between the two writes): explained and rebuilt', async () => {
    const d = await damaged();
    const events = await readEvents(d.home, runId);
    await writeFile(d.state, JSON.stringify(foldEvents(events.slice(0, 2))));
    const st = await d.rs('status', runId);
    expect(st.stdout).toMatch(
      new RegExp(
        `state\\.json was behind the event log \\(seq 2 < ${events.length}: a crash between the two writes\\); rebuilt from the log`,
      ),
    );
    const r = await d.rs('resume', runId, '--auto');
    expect(r.code, r.stderr).toBe(3);
    expect(JSON.parse(await readFile(d.state, 'utf8')).lastSeq).toBe(events.length + 1);
  });

  it('state.json ahead of the log (acknowledged events missing): status warns, resume refuses, nothing is rewritten', async () => {
    const d = await damaged();
    const all = lines(await d.text());
    const stateBefore = await readFile(d.state, 'utf8');
    const cut = `${all.slice(0, 2).join('\n')}\n`;
    await writeFile(d.log, cut);
    const st = await d.rs('status', runId);
    expect(st.code).toBe(0);
    expect(st.stdout).toMatch(
      new RegExp(`state\\.json records ${all.length} events but events\\.jsonl holds 2: acknowledged events are missing from the log`),
    );
    const r = await d.rs('resume', runId, '--auto');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the run cannot be resumed safely\. Restore events\.jsonl, or if state\.json is the damaged file, delete it/);
    expect(await d.text()).toBe(cut);
    expect(await readFile(d.state, 'utf8')).toBe(stateBefore);
    // The run is not left locked by the refused resume.
    await rm(d.state);
    const again = await d.rs('resume', runId, '--auto');
    expect(again.stderr).not.toMatch(/open in process/);
    expect(again.code, again.stderr).toBe(3);
  });

  it('a run killed before its first event was saved: resume says so', async () => {
    const d = await damaged();
    await writeFile(d.log, '');
    await rm(d.state);
    const r = await d.rs('resume', runId, '--auto');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `runsheet: run "${runId}" never started (its first event was not saved before runsheet stopped): start a new run\n`,
    );
  });
});

// Pasted plain text (a checklist copied from a rendered page) → blocks. There is no markup to
// parse, so this front end reads lines: the first line is the title, bare short lines between
// blank lines are headings ("1. Foo" a section, "Foo" a phase), `•` lines are bullets, and a
// `# comment` or a known command starts a run of unfenced commands.
import type { Block, Entry, ListBlock } from './blocks.js';
import { isComment, scanLine, type ScanState } from './shell.js';

const BULLET = /^(\s*)(?:[•◦▪▫‣⁃●○■□☐☑✓✔]|[-*])\s+(.*)$/;
const BOX_BULLET = /^\s*[□☐☑]/;
const KNOWN_COMMAND =
  /^(?:sudo\s+|time\s+)?(?:cd|git|docker|docker-compose|kubectl|helm|curl|wget|npm|npx|yarn|pnpm|node|python3?|pip3?|alembic|psql|pg_dump|pg_restore|redis-cli|systemctl|journalctl|ssh|scp|rsync|terraform|make|bash|sh|export|echo|aws|gcloud|az|heroku|celery|uvicorn|gunicorn|tail|grep|nginx|certbot|openssl|dig|pm2|flyctl|railway|vercel|prisma|rails|bundle|go|cargo|mvn|gradle|dotnet|php|composer|\.\/\S+)(?:\s|$)/;
/** Inside a command run: lowercase command words, paths, and NAME=value assignments continue it. */
const COMMAND_LIKE = /^(?:[a-z_./~$][\w./:@+-]*(?:\s|$)|[A-Za-z_][A-Za-z0-9_]*=)/;

/** Lines that make text look like a pasted checklist: bullets or unfenced commands. */
export function plainTextSignals(text: string): { bullets: number; commands: number } {
  let bullets = 0;
  let commands = 0;
  for (const l of text.split('\n')) {
    if (/^\s*[•◦▪‣●○■□☐☑]\s+\S/.test(l)) bullets++;
    else if (KNOWN_COMMAND.test(l.trim()) && !/^\s{4,}/.test(l)) commands++;
  }
  return { bullets, commands };
}

export function plainTextBlocks(text: string): Block[] {
  const lines = text.split('\n');
  const blocks: Block[] = [];
  const blank = (i: number) => i < 0 || i >= lines.length || lines[i].trim() === '';
  let i = 0;
  while (i < lines.length && blank(i)) i++;
  if (i < lines.length) {
    blocks.push({ kind: 'heading', depth: 1, text: lines[i].trim(), source: lines[i], line: i + 1, endLine: i + 1 });
    i++;
  }
  while (i < lines.length) {
    const line = lines[i];
    const t = line.trim();
    if (!t) {
      i++;
    } else if (BULLET.test(line)) {
      i = bullets(lines, i, blocks);
    } else if (isComment(line) || KNOWN_COMMAND.test(t)) {
      i = commandRun(lines, i, blocks);
    } else if (blank(i - 1) && blank(i + 1) && isHeadingLike(t)) {
      blocks.push({ kind: 'heading', depth: /^\d+[.)]\s/.test(t) ? 3 : 2, text: t, source: line, line: i + 1, endLine: i + 1 });
      i++;
    } else {
      const start = i;
      while (i < lines.length && !blank(i) && !BULLET.test(lines[i]) && !isComment(lines[i]) && !KNOWN_COMMAND.test(lines[i].trim())) i++;
      const src = lines.slice(start, i).join('\n');
      blocks.push({
        kind: 'other',
        what: i - start > 2 ? 'text' : 'prose',
        source: src,
        text: src,
        intro: /:\s*$/.test(src),
        line: start + 1,
        endLine: i,
      });
    }
  }
  return blocks;
}

function isHeadingLike(t: string): boolean {
  if (t.length > 80 || /[.:;,!?]$/.test(t)) return false;
  // "Last Updated: 2026-04-11" is metadata, "Phase 2: Deploy" is a heading.
  if (/^[^:]{1,30}:\s+\S/.test(t) && !/^(?:phase|step|stage|part)\s*\d/i.test(t)) return false;
  return true;
}

function bullets(lines: string[], start: number, blocks: Block[]): number {
  let i = start;
  // The indent of the first bullet (the caller saw one at start), set on the first round.
  let base = -1;
  const top: Entry[] = [];
  const stack: { indent: number; entry: Entry }[] = [];
  let last = i;
  while (i < lines.length) {
    const m = BULLET.exec(lines[i]);
    if (!m) {
      if (lines[i].trim() === '' && i + 1 < lines.length && BULLET.test(lines[i + 1])) {
        i++;
        continue;
      }
      break;
    }
    const indent = m[1].length;
    if (base < 0) base = indent;
    const entry: Entry = {
      task: BOX_BULLET.test(lines[i]),
      text: m[2].trim(),
      source: lines[i].trim(),
      full: lines[i].trim(),
      children: [],
      line: i + 1,
      endLine: i + 1,
    };
    while (stack.length && stack[stack.length - 1].indent >= indent) stack.pop();
    const parent = stack.at(-1);
    if (parent && indent > base) {
      let sub = parent.entry.children.find((c): c is ListBlock => c.kind === 'list');
      if (!sub) parent.entry.children.push((sub = { kind: 'list', entries: [], source: '', line: i + 1, endLine: i + 1 }));
      sub.entries.push(entry);
      sub.endLine = i + 1;
      sub.source += (sub.source ? '\n' : '') + lines[i].trim();
    } else top.push(entry);
    stack.push({ indent, entry });
    last = i;
    i++;
  }
  blocks.push({ kind: 'list', entries: top, source: lines.slice(start, last + 1).join('\n'), line: start + 1, endLine: last + 1 });
  return last + 1;
}

function commandRun(lines: string[], start: number, blocks: Block[]): number {
  let st: ScanState = { quote: '', continued: false, heredoc: null };
  let i = start;
  let end = start;
  const open = () => st.quote !== '' || st.continued || st.heredoc !== null;
  while (i < lines.length) {
    const l = lines[i];
    const t = l.trim();
    if (open()) {
      st = scanLine(l, st);
    } else if (t === '') {
      i++;
      continue;
    } else if (isComment(l)) {
      // a comment line: keep going
    } else if (!BULLET.test(l) && (KNOWN_COMMAND.test(t) || COMMAND_LIKE.test(t))) {
      st = scanLine(l, st);
    } else break;
    end = i;
    i++;
  }
  const value = lines.slice(start, end + 1).join('\n');
  blocks.push({ kind: 'code', lang: 'bash', value, firstLine: start + 1, source: value, line: start + 1, endLine: end + 1 });
  return end + 1;
}

// Splitting a shell block into runnable groups, and the few shell-aware rewrites the import
// needs. A small quote/continuation/heredoc scanner: enough to keep a multi-line `python3 -c "…"`
// or a `\`-continued curl in one piece, not a shell parser.
import type { Span } from './blocks.js';

export interface CommandGroup {
  /** Comment lines directly above the commands, '#' removed. */
  comments: string[];
  /** The commands as written (continuations, inline comments and all). */
  script: string;
  /** Number of logical commands in the script. */
  commands: number;
  /** First line of each logical command. */
  heads: string[];
  /** console blocks: what the commands printed. */
  output: string[];
  line: number;
  endLine: number;
}

export interface LooseComment {
  text: string;
  line: number;
  /** Index of the group it follows (-1: before the first group). */
  after: number;
}

export interface ScanState {
  quote: '' | "'" | '"';
  continued: boolean;
  heredoc: string | null;
}

/** Advances quote state over one line; `commentAt` is where an unquoted '#' comment starts. */
export function scanLine(line: string, st: ScanState): ScanState & { commentAt?: number } {
  if (st.heredoc !== null) {
    return { ...st, heredoc: line.trim() === st.heredoc ? null : st.heredoc, continued: false };
  }
  let quote = st.quote;
  let heredoc: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote === "'") {
      if (c === "'") quote = '';
      continue;
    }
    if (c === '\\') {
      i++;
      continue;
    }
    if (quote === '"') {
      if (c === '"') quote = '';
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]))) return { quote, continued: false, heredoc, commentAt: i };
    else if (c === '<' && line[i + 1] === '<' && line[i + 2] !== '<') {
      const m = /^<<-?\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\1/.exec(line.slice(i));
      if (m) heredoc = m[2];
    }
  }
  const continued = quote === '' && /(^|[^\\])(\\\\)*\\$/.test(line);
  return { quote, continued, heredoc };
}

export function isComment(line: string): boolean {
  return /^\s*#/.test(line) && !/^\s*#!/.test(line);
}

/**
 * Groups of commands: a group is the comment lines above some commands plus those commands, up
 * to a blank line or the next comment line. Comments with no command after them are "loose".
 */
export function splitShell(value: string, firstLine: number, console = false): { groups: CommandGroup[]; loose: LooseComment[] } {
  const lines = value.split('\n');
  const groups: CommandGroup[] = [];
  const loose: LooseComment[] = [];
  const promptMode = console && lines.some((l) => /^\s*[$%] /.test(l));
  let st: ScanState = { quote: '', continued: false, heredoc: null };
  let comments: { text: string; line: number }[] = [];
  let cur: CommandGroup | null = null;
  const inside = () => st.quote !== '' || st.continued || st.heredoc !== null;
  const close = () => {
    if (cur) groups.push(cur);
    cur = null;
  };
  const flushComments = () => {
    for (const c of comments) loose.push({ ...c, after: groups.length - 1 });
    comments = [];
  };
  lines.forEach((raw, i) => {
    const line = firstLine + i;
    if (inside() && cur) {
      cur.script += `\n${raw}`;
      cur.endLine = line;
      st = scanLine(raw, st);
      return;
    }
    if (raw.trim() === '') {
      close();
      flushComments();
      return;
    }
    if (isComment(raw)) {
      close();
      comments.push({ text: raw.replace(/^\s*#+\s?/, '').trim(), line });
      return;
    }
    let text = raw;
    if (promptMode) {
      const m = /^\s*[$%] (.*)$/.exec(raw);
      if (!m) {
        if (cur) cur.output.push(raw);
        else comments.push({ text: raw.trim(), line });
        return;
      }
      text = m[1];
    }
    if (!cur) {
      cur = {
        comments: comments.map((c) => c.text).filter(Boolean),
        script: text,
        commands: 0,
        heads: [],
        output: [],
        line: comments[0]?.line ?? line,
        endLine: line,
      };
      comments = [];
    } else {
      cur.script += `\n${text}`;
      cur.endLine = line;
    }
    cur.commands++;
    cur.heads.push(text.trim());
    st = scanLine(text, st);
  });
  close();
  flushComments();
  return { groups, loose };
}

/** Shell words of one command line (quotes removed), stopping at pipes and separators. */
export function shellWords(cmd: string): string[] {
  const words: string[] = [];
  let w = '';
  let has = false;
  let quote = '';
  for (let i = 0; i < cmd.length; i++) {
    const c = cmd[i];
    if (quote) {
      if (c === quote) quote = '';
      else if (c === '\\' && quote === '"' && i + 1 < cmd.length) w += cmd[++i];
      else w += c;
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      has = true;
    } else if (c === '\\' && i + 1 < cmd.length) {
      if (cmd[i + 1] === '\n') i++;
      else {
        w += cmd[++i];
        has = true;
      }
    } else if (/\s/.test(c)) {
      if (has) words.push(w);
      w = '';
      has = false;
    } else if (c === '|' || c === ';' || c === '&' || (c === '#' && !has)) {
      break;
    } else {
      w += c;
      has = true;
    }
  }
  if (has) words.push(w);
  return words;
}

/** NAME=value lines only: an env-file example, not something to run. */
export function isAssignmentsOnly(group: CommandGroup): boolean {
  return group.heads.every((h) => {
    const words = shellWords(h.replace(/^export\s+/, ''));
    return words.length > 0 && words.every((x) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(x));
  });
}

const CURL_ARG_FLAGS = new Set([
  '-o',
  '--output',
  '-w',
  '--write-out',
  '-m',
  '--max-time',
  '--connect-timeout',
  '-A',
  '--user-agent',
  '-e',
  '--referer',
  '-x',
  '--proxy',
  '--retry',
  '--retry-delay',
  '--cacert',
  '--resolve',
]);
const CURL_REJECT = /^(?:-d|--data.*|-F|--form.*|-T|--upload-file|-H|--header|-u|--user|-b|--cookie|--json|-K|--config)$/;

/** A `curl -f URL/health`-like command as an http check, or undefined. */
export function httpCheckOf(group: CommandGroup): { url: string; method: 'GET' | 'HEAD' } | undefined {
  if (group.commands !== 1) return undefined;
  const words = shellWords(group.script.replace(/\\\n/g, ' '));
  if (words[0] === 'time') words.shift();
  if (words[0] !== 'curl') return undefined;
  let url: string | undefined;
  let method: 'GET' | 'HEAD' = 'GET';
  let fail = false;
  for (let i = 1; i < words.length; i++) {
    const w = words[i];
    if (CURL_REJECT.test(w)) return undefined;
    if (w === '-X' || w === '--request') {
      const m = (words[++i] ?? '').toUpperCase();
      if (m === 'HEAD') method = 'HEAD';
      else if (m !== 'GET') return undefined;
    } else if (w === '-I' || w === '--head') method = 'HEAD';
    else if (w === '--fail' || w === '--fail-with-body') fail = true;
    else if (CURL_ARG_FLAGS.has(w)) i++;
    else if (/^-[A-Za-z]+$/.test(w)) {
      if (w.includes('f')) fail = true;
      if (w.includes('I')) method = 'HEAD';
      if (/[dFTHub]/.test(w)) return undefined;
      if (/[owmAex]$/.test(w)) i++;
    } else if (/^https?:\/\//.test(w)) {
      if (url) return undefined;
      url = w;
    }
  }
  if (!url || /[$<>{}\s]/.test(url)) return undefined;
  const healthy = /\/(?:health|healthz|healthcheck|ready|readyz|livez|ping|status)(?:[/?#]|$)/i.test(url);
  return fail || healthy ? { url, method } : undefined;
}

/**
 * runsheet interpolates ${NAME} in `run`; an imported command meant the shell's variable. Rewrite
 * each ${NAME} to a form the shell reads identically but runsheet leaves alone: `$NAME` when the
 * next character cannot extend the name, `${NAME#}` (strip an empty prefix: same value, same
 * `set -u` behaviour) when it can, and `$''{NAME}` inside single quotes (where it is literal text).
 */
export function escapeRunVars(cmd: string): string {
  let out = '';
  let quote = '';
  for (let i = 0; i < cmd.length; i++) {
    const c = cmd[i];
    if (c === '$') {
      const m = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}/.exec(cmd.slice(i));
      if (m) {
        const next = cmd[i + m[0].length] ?? '';
        if (quote === "'") out += `$''{${m[1]}}`;
        else out += /[A-Za-z0-9_]/.test(next) ? `\${${m[1]}#}` : `$${m[1]}`;
        i += m[0].length - 1;
        continue;
      }
    }
    out += c;
    if (quote === "'") {
      if (c === "'") quote = '';
    } else if (c === '\\' && i + 1 < cmd.length) {
      out += cmd[++i];
    } else if (quote === '"') {
      if (c === '"') quote = '';
    } else if (c === "'" || c === '"') quote = c;
  }
  return out;
}

/** Names a group assigns (`TOKEN=…`, `export X=…`, `read X`, `for X in`). */
function assigned(script: string): Set<string> {
  const out = new Set<string>();
  for (const m of script.matchAll(/(?:^|[;&|(]\s*|\bexport\s+|\blocal\s+|\breadonly\s+)([A-Za-z_][A-Za-z0-9_]*)=/gm)) out.add(m[1]);
  for (const m of script.matchAll(/\bread\s+(?:-[a-z]+\s+(?:\S+\s+)?)*([A-Za-z_][A-Za-z0-9_]*)/g)) out.add(m[1]);
  for (const m of script.matchAll(/\bfor\s+([A-Za-z_][A-Za-z0-9_]*)\s+in\b/g)) out.add(m[1]);
  return out;
}

function used(script: string): Set<string> {
  const out = new Set<string>();
  for (const m of script.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)) out.add(m[1]);
  return out;
}

export interface SharedStateMerge extends Span {
  names: string[];
}

/**
 * Each run item is its own shell: a group that uses a variable an earlier group of the same block
 * set (`TOKEN=…` then `curl … $TOKEN`) is joined with every group from that one on, so the value
 * is still there when it is used.
 */
export function mergeSharedState(groups: CommandGroup[]): { groups: CommandGroup[]; merges: SharedStateMerge[] } {
  const out: CommandGroup[] = [];
  const merges: SharedStateMerge[] = [];
  const setBy: Set<string>[] = [];
  for (const g of groups) {
    const uses = used(g.script);
    let from = -1;
    const names: string[] = [];
    setBy.forEach((s, i) => {
      for (const n of uses) {
        if (s.has(n) && !assigned(g.script).has(n)) {
          if (from < 0 || i < from) from = i;
          if (!names.includes(n)) names.push(n);
        }
      }
    });
    if (from < 0) {
      out.push({ ...g });
      setBy.push(assigned(g.script));
      continue;
    }
    const joined = out.splice(from);
    const sets = setBy.splice(from);
    const all = [...joined, g];
    const merged: CommandGroup = {
      comments: all[0].comments,
      script: all.map((x, i) => (i === 0 ? x.script : [...x.comments.map((c) => `# ${c}`), x.script].join('\n'))).join('\n\n'),
      commands: all.reduce((n, x) => n + x.commands, 0),
      heads: all.flatMap((x) => x.heads),
      output: all.flatMap((x) => x.output),
      line: all[0].line,
      endLine: g.endLine,
    };
    out.push(merged);
    setBy.push(new Set([...sets.flatMap((s) => [...s]), ...assigned(g.script)]));
    merges.push({ line: merged.line, endLine: merged.endLine, names });
  }
  return { groups: out, merges };
}

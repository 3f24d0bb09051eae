// Where, in shell command text, a secret's ${NAME} stands — so it can be written as a reference
// the shell expands from the command's environment instead of the value itself. The value then
// never enters the shell's argv (`ps` shows `bash -c … "${DB_PASSWORD}"`, not the password).
//
// The scanner follows only what decides the quoting context of a position: quotes ('…', "…",
// $'…'), backslash escapes, comments, $( … ) and `…` (a new unquoted context, also inside "…"),
// and here-documents (expanding when the delimiter is unquoted, literal when it is quoted).
// It is fed exactly the text the shell will see, so a non-secret value inserted as text moves
// the context just as it does for the shell.

/** How a secret at the current position reaches the shell: a reference text, or null = it cannot. */
export type RefForm = string | null;

type Frame =
  | { k: 'plain'; close: ')' | '`' | null; depth: number }
  | { k: 'double' }
  | { k: 'single' }
  | { k: 'ansi' }
  | { k: 'comment' }
  // A here-document body: expanding (like "…", but quotes are plain characters) unless quoted.
  | { k: 'body'; delim: string; strip: boolean; quoted: boolean; line: string };

interface PendingHeredoc {
  delim: string;
  strip: boolean;
  quoted: boolean;
}

/** The delimiter word after `<<` while it is being read. */
interface HeredocWord {
  strip: boolean;
  word: string;
  quoted: boolean;
  quote: '' | "'" | '"';
  started: boolean;
  esc: boolean;
}

const WORD_BREAK = new Set([' ', '\t', '\n', ';', '&', '|', '(', ')', '<', '>']);

/**
 * What a shell makes of `$'…'`: `ansi` — ANSI-C quoting (bash, zsh, ksh, mksh); `posix` — a `$`
 * then a '…' string (dash, ash, posh); `unknown` — `sh`, which is either.
 */
export type ShellDialect = 'ansi' | 'posix' | 'unknown';

export class ShellScanner {
  constructor(private readonly dialect: ShellDialect = 'ansi') {}
  private stack: Frame[] = [{ k: 'plain', close: null, depth: 0 }];
  private escaped = false;
  private prev = '\n';
  private prev2 = '';
  /** Reading the delimiter word after `<<` (or `<<-`). */
  private hdWord: HeredocWord | null = null;
  private pending: PendingHeredoc[] = [];

  feed(text: string): void {
    for (const c of text) this.step(c);
  }

  /** The text that makes the shell expand NAME's value at the current position, as the value would have read there. */
  ref(name: string): RefForm {
    const v = `\${${name}}`;
    if (this.hdWord) return null;
    const f = this.top();
    switch (f.k) {
      case 'body':
        if (f.quoted) return null; // <<'EOF': nothing expands — only the value itself would do
        return this.escaped ? `\\${v}` : v;
      case 'comment':
        return v;
      case 'double':
        // After a backslash the value's first character was escaped; `\\` keeps the backslash as
        // the text did (for every first character but $ ` " \ newline).
        return this.escaped ? `\\${v}` : v;
      case 'single':
        return `'"${v}"'`;
      case 'ansi':
        // Reopening with $' is right where $'…' is ANSI-C quoting and leaves a stray $ where it
        // is not; for `sh` (either) the value is the only safe thing.
        return this.dialect === 'unknown' ? null : `${this.escaped ? '\\' : ''}'"${v}"$'`;
      case 'plain':
        // A backslash-newline is a line continuation: the shell drops both, as it dropped the
        // backslash before the value's (ordinary) first character.
        return `${this.escaped ? '\n' : ''}"${v}"`;
    }
  }

  private top(): Frame {
    return this.stack[this.stack.length - 1];
  }

  private step(c: string): void {
    const prev = this.prev;
    const prev2 = this.prev2;
    const wasEscaped = this.escaped;
    this.prev2 = prev;
    this.prev = wasEscaped ? '' : c; // an escaped character starts nothing
    const f = this.top();
    if (f.k === 'body') {
      this.bodyStep(f, c, prev);
      return;
    }
    if (this.hdWord && this.hdWordStep(this.hdWord, c)) return;
    if (wasEscaped) {
      this.escaped = false;
      return;
    }
    switch (f.k) {
      case 'comment':
        if (c === '\n') {
          this.stack.pop();
          this.newline();
        }
        return;
      case 'single':
        if (c === "'") this.stack.pop();
        return;
      case 'ansi':
        if (c === '\\') this.escaped = true;
        else if (c === "'") this.stack.pop();
        return;
      case 'double':
        if (c === '\\') this.escaped = true;
        else if (c === '"') this.stack.pop();
        else if (c === '(' && prev === '$') this.stack.push({ k: 'plain', close: ')', depth: 0 });
        else if (c === '`') this.stack.push({ k: 'plain', close: '`', depth: 0 });
        return;
      case 'plain':
        this.plainStep(f, c, prev, prev2);
        return;
    }
  }

  private plainStep(f: Extract<Frame, { k: 'plain' }>, c: string, prev: string, prev2: string): void {
    switch (c) {
      case '\\':
        this.escaped = true;
        return;
      case "'":
        this.stack.push({ k: prev === '$' && this.dialect !== 'posix' ? 'ansi' : 'single' });
        return;
      case '"':
        this.stack.push({ k: 'double' });
        return;
      case '`':
        if (f.close === '`') this.stack.pop();
        else this.stack.push({ k: 'plain', close: '`', depth: 0 });
        return;
      case '(':
        if (prev === '$') this.stack.push({ k: 'plain', close: ')', depth: 0 });
        else if (f.close === ')') f.depth++;
        return;
      case ')':
        if (f.close === ')') {
          if (f.depth > 0) f.depth--;
          else this.stack.pop();
        }
        return;
      case '#':
        if (WORD_BREAK.has(prev) || prev === '\n') this.stack.push({ k: 'comment' });
        return;
      case '<':
        // `<<` starts a here-document, `<<<` is a here-string.
        if (prev === '<' && prev2 !== '<') this.hdWord = { strip: false, word: '', quoted: false, quote: '', started: false, esc: false };
        return;
      case '\n':
        this.newline();
        return;
    }
  }

  /** The delimiter word after `<<`; true when the character was consumed by it. */
  private hdWordStep(w: HeredocWord, c: string): boolean {
    if (!w.started) {
      if (c === '<' && w.word === '' && !w.strip) {
        this.hdWord = null; // `<<<`
        return false;
      }
      if (c === '-' && !w.strip && w.word === '') {
        w.strip = true;
        return true;
      }
      if (c === ' ' || c === '\t') return true;
      w.started = true;
    }
    if (w.esc) {
      w.esc = false;
      w.word += c;
      return true;
    }
    if (w.quote) {
      if (c === w.quote) w.quote = '';
      else w.word += c;
      return true;
    }
    if (c === '\\') {
      w.esc = true;
      w.quoted = true;
      return true;
    }
    if (c === "'" || c === '"') {
      w.quote = c;
      w.quoted = true;
      return true;
    }
    if (WORD_BREAK.has(c)) {
      if (w.word !== '') this.pending.push({ delim: w.word, strip: w.strip, quoted: w.quoted });
      this.hdWord = null;
      return false; // the break character is the shell's as usual (a newline starts the body)
    }
    w.word += c;
    return true;
  }

  private newline(): void {
    const next = this.pending.shift();
    if (next) this.stack.push({ k: 'body', ...next, line: '' });
  }

  private bodyStep(b: Extract<Frame, { k: 'body' }>, c: string, prev: string): void {
    const escaped = this.escaped;
    this.escaped = false;
    if (c !== '\n') {
      b.line += c;
      if (b.quoted || escaped) return;
      if (c === '\\') this.escaped = true;
      else if (c === '(' && prev === '$') this.stack.push({ k: 'plain', close: ')', depth: 0 });
      else if (c === '`') this.stack.push({ k: 'plain', close: '`', depth: 0 });
      return;
    }
    // An escaped newline continues the line in an expanding body.
    if (!b.quoted && escaped) {
      b.line = '';
      return;
    }
    const line = b.strip ? b.line.replace(/^\t+/, '') : b.line;
    b.line = '';
    if (line === b.delim) {
      this.stack.pop();
      this.newline();
    }
  }
}
/**
 * The dialect of a shell that reads `-c TEXT` with POSIX quoting (where `"${NAME}"` is NAME's
 * value), or null for any other program. No `shell:` means bash (runsheet's default wherever
 * bash is installed); `probe` is `sh`, which metric probe commands run in.
 */
export function shellDialect(shell: string | undefined): ShellDialect | null {
  if (shell === undefined) return 'ansi';
  const base = shell.split('/').pop() ?? '';
  if (/^(bash|ksh|ksh93|mksh|lksh|oksh|pdksh|zsh)$/.test(base)) return 'ansi';
  if (/^(dash|ash|posh|yash)$/.test(base)) return 'posix';
  if (base === 'sh') return 'unknown';
  return null;
}

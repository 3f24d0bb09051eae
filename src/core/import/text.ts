// Text-level helpers: cleaning titles (numbering, emoji, mojibake), finding blanks to fill and
// ballot-box choices, recognising sign-off lines. Regexes here only look *inside* one piece of
// text; document structure always comes from the Markdown parser.

// UTF-8 read as Windows-1252: a lead byte (Â..ô) followed by continuation bytes, which show up
// as Latin-1 supplement characters or the cp1252 specials (œ “ ” š Ÿ € ™ …).
const MOJIBAKE =
  /[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]+/g;
// The joiner and variation selectors go one by one, like the symbols: alternatives, not class
// members (in a class they read as if they combined with the character before them).
const PICTOGRAPHS = /[\p{Extended_Pictographic}\u2610-\u2612\u2713-\u2718\u2b1c\u2b1b\u25a1\u25a0]|\ufe0f|\ufe0e|\u200d/gu;
const LEADING_NUMBER = /^(?:(?:phase|step|stage|part)\s*\d+[a-z]?\s*(?:[:.)\-–—]\s*|\s+)|\d+(?:\.\d+)*[.)]\s+|\d+(?:\.\d+)+\s+|[#]+\s+)/i;

/** A title fit for the UI and for slugs: no numbering, boxes, emoji, mojibake or trailing colon. */
export function cleanTitle(raw: string): string {
  let s = raw.replace(MOJIBAKE, ' ').replace(PICTOGRAPHS, ' ');
  s = s.replace(/\s+/g, ' ').trim();
  for (let i = 0; i < 3; i++) {
    const before = s;
    s = s
      .replace(/^\[[ xX]\]\s*/, '')
      .replace(LEADING_NUMBER, '')
      .trim();
    if (s === before) break;
  }
  return s.replace(/\s*[:：]\s*$/, '').trim();
}

// A blank: 3+ underscores, or 2 before a space/%/end, not glued to a word before it (which
// would be an identifier like FOO__BAR).
const BLANK = /(?<![A-Za-z0-9_])(?:_{3,}|__(?=[\s%]|$))/g;
const UNIT_WORDS = new Set(
  'ms s sec secs second seconds m min mins minute minutes h hr hrs hour hours d day days % rps rpm qps ops b kb mb gb tb kib mib gib bytes kbps mbps gbps req users connections messages msgs rows pods nodes replicas requests errors jobs tasks files records queries'.split(
    ' ',
  ),
);

export function hasBlank(text: string): boolean {
  return new RegExp(BLANK.source).test(text);
}

/** Text with parenthesised asides removed. */
function withoutParens(text: string): string {
  let prev;
  let s = text;
  do {
    prev = s;
    s = s.replace(/\([^()]*\)/g, '');
  } while (s !== prev);
  return s;
}

function unitAfter(rest: string): string | undefined {
  const m = /^\s*(%|[A-Za-z]+(?:\/[A-Za-z]+)?)/.exec(rest);
  if (!m) return undefined;
  const u = m[1];
  if (u === '%') return '%';
  if (u.includes('/')) return u; // req/s, ops/s, MB/s
  return UNIT_WORDS.has(u.toLowerCase()) ? u : undefined;
}

export interface RecordSpec {
  title: string;
  record: 'text' | 'number' | 'choice' | 'time';
  unit?: string;
  options?: string[];
  /** The original wording, kept when the title had to drop part of it. */
  note?: string;
}

const BOX = /[☐□⬜]/;

/** A record item for text with blanks or ☐ choices; undefined when the text has neither. */
export function recordSpec(text: string): RecordSpec | undefined {
  const boxes = text.split(BOX);
  if (boxes.length >= 3) {
    const head = boxes[0];
    const asides: string[] = [];
    const options = boxes
      .slice(1)
      .map((o) =>
        o
          .replace(/\(([^()]*)\)/g, (_, inner: string) => (asides.push(inner.trim()), ''))
          .replace(/[|,;]+\s*$/, '')
          .trim(),
      )
      .filter(Boolean);
    const title = cleanTitle(head.replace(/[*_]/g, '')) || 'Choice';
    if (options.length >= 2) {
      return { title: asides.length ? `${title} (${asides.join('; ')})` : title, record: 'choice', options: [...new Set(options)] };
    }
  }
  const all = [...text.matchAll(BLANK)];
  if (!all.length) return undefined;
  const depth = parenDepths(text);
  const outside = all.filter((m) => depth[m.index] === 0);
  if (outside.length === 0) return { title: cleanTitle(text.replace(BLANK, '…')) || 'Value', record: 'text' };
  if (outside.length === 1) {
    const m = outside[0];
    const afterBlank = text.slice(m.index + m[0].length);
    const unit = unitAfter(afterBlank);
    const afterUnit = unit ? afterBlank.replace(/^\s*/, '').slice(unit.length) : afterBlank;
    const head = cleanTitle(text.slice(0, m.index));
    const tail = afterUnit.replace(BLANK, '…').replace(/\s+/g, ' ').trim();
    const title = [head, tail].filter(Boolean).join(' ').trim() || 'Value';
    if (unit) return { title, record: 'number', unit };
    // "Approval Date: ___", "Start time: ___ (UTC)": the operator records a moment.
    return /\b(?:date|time|timestamp|when|started|finished|completed|ended|start|end|deadline|eta)\b|\b(?:at|on)$/i.test(head)
      ? { title, record: 'time' }
      : { title, record: 'text' };
  }
  const title = cleanTitle(text.slice(0, all[0].index)) || 'Values';
  return { title, record: 'text', note: `Fill in: ${text.trim()}` };
}

/** Parenthesis nesting depth at each character. */
function parenDepths(text: string): number[] {
  const out: number[] = [];
  let d = 0;
  for (const ch of text) {
    if (ch === '(') d++;
    out.push(d);
    if (ch === ')' && d > 0) d--;
  }
  // `for…of` walks code points; re-expand to UTF-16 indexes so regex indexes line up.
  const byUnit: number[] = [];
  let i = 0;
  for (const ch of text) {
    for (let k = 0; k < ch.length; k++) byUnit.push(out[i]);
    i++;
  }
  return byUnit;
}

const SIGNOFF_WORDS = /\b(?:sign[- ]?offs?|signoffs?|approvals?)\b/i;

export function isSignoffTitle(title: string): boolean {
  return SIGNOFF_WORDS.test(title);
}

/** `Tech Lead: ______ Date: ____` → 'Tech Lead'. */
export function signoffLineRole(text: string): string | undefined {
  const m = /^\s*([^:_]{2,60}?)\s*:\s*_{3,}.*\bdate\b/i.exec(text);
  return m ? cleanTitle(m[1].replace(/[*_]/g, '')) : undefined;
}

/** The role an entry in a sign-off block names: 'CTO (for major releases)' → 'CTO'. */
export function roleOf(text: string): string {
  const line = signoffLineRole(text);
  if (line) return line;
  const s = cleanTitle(
    withoutParens(text)
      .replace(BLANK, '')
      .replace(/\bdate\s*:?/i, '')
      .replace(/[*_]/g, ''),
  );
  return s.replace(/\s*[:\-–—]\s*$/, '').trim() || cleanTitle(text);
}

/** Title words that say nothing about *which* phase ("Pre-Deployment Sign-Off" → pre-deployment). */
export function phaseKey(title: string): string {
  return cleanTitle(withoutParens(title))
    .replace(SIGNOFF_WORDS, ' ')
    .replace(/\b(?:phase|stage|checklist|team)\b/gi, ' ')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** A phase-level heading that is the rollback track. */
export function isRollbackTitle(title: string): boolean {
  return /\broll[- ]?back\b/i.test(title);
}

/** A section heading that is clearly a rollback procedure (not "Rollback decision point"). */
export function isRollbackSectionTitle(title: string): boolean {
  return /^(?:emergency |immediate )?roll[- ]?back(?: procedures?| steps| checklist| execution)?$/i.test(
    cleanTitle(withoutParens(title)).trim(),
  );
}

const NAME_REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** Titles are interpolated by runsheet: show ${NAME} as $NAME so a title never needs a var. */
export function escapeTitleVars(s: string): string {
  return s.replace(NAME_REF, '$$$1');
}

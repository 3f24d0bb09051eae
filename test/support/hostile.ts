// Hostile text for the untrusted-text tests: every terminal attack the issue lists, in one string.

/** Every attack at once, tagged so each field's text can be found. */
export function hostile(tag: string): string {
  return (
    tag +
    '\x1b]0;PWN-TITLE\x07' + // OSC 0: window/pane title
    '\x1b]2;PWN-TITLE2\x1b\\' + // OSC 2 with ST
    '\x1b]52;c;UFdORUQtQ0xJUA==\x07' + // OSC 52: clipboard ("PWNED-CLIP")
    '\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\' + // OSC 8 hyperlink
    '\x1b[2J\x1b[H\x1b[5;5H\x1b[1A' + // clear screen, cursor home and moves
    '\u009b2J\u009d0;PWN-C1\u009c' + // C1 CSI and OSC
    '\u202eevil\u202c' + // bidi override
    `${tag}-end`
  );
}

/** A YAML double-quoted scalar with every non-printable character as an escape. */
export function yq(s: string): string {
  return `"${Array.from(s)
    .map((ch) => {
      const c = ch.codePointAt(0)!;
      if (ch === '"' || ch === '\\') return `\\${ch}`;
      return c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x2000 && c <= 0x206f) ? `\\u${c.toString(16).padStart(4, '0')}` : ch;
    })
    .join('')}"`;
}

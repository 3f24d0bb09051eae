// The --trusted file an auditor keeps: one signer per line, `NAME ROLE KEY`, where KEY is a
// public key PEM path, an Ed25519 keyid (64 hex) or an SSH fingerprint (SHA256:…).
// ROLE may contain spaces ("alice Tech Lead keys/alice.pub.pem"); any field may be "quoted".
// '#' starts a comment line.

export type TrustedKeyRef = { kind: 'path'; path: string } | { kind: 'keyid'; keyid: string } | { kind: 'ssh'; fingerprint: string };

export interface TrustedEntry {
  name: string;
  role: string;
  key: TrustedKeyRef;
  line: number;
}

export interface TrustedParse {
  entries: TrustedEntry[];
  problems: { line: number; message: string }[];
}

function tokens(line: string): string[] | null {
  const out: string[] = [];
  const re = /\s*(?:"((?:[^"\\]|\\.)*)"|(\S+))/gy;
  let m: RegExpExecArray | null;
  let rest = line;
  while ((m = re.exec(line))) {
    if (m[2]?.startsWith('"')) return null;
    out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]);
    rest = line.slice(re.lastIndex);
    if (!rest.trim()) break;
  }
  return rest.trim() ? null : out;
}

export function keyRef(s: string): TrustedKeyRef {
  if (/^[0-9a-fA-F]{64}$/.test(s)) return { kind: 'keyid', keyid: s.toLowerCase() };
  if (/^SHA256:[A-Za-z0-9+/]{43}$/.test(s)) return { kind: 'ssh', fingerprint: s };
  return { kind: 'path', path: s };
}

export function parseTrusted(text: string): TrustedParse {
  const entries: TrustedEntry[] = [];
  const problems: TrustedParse['problems'] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    if (!raw.trim() || raw.trim().startsWith('#')) return;
    const t = tokens(raw);
    if (!t) return problems.push({ line, message: 'unterminated quote' });
    if (t.length < 3) return problems.push({ line, message: 'expected NAME ROLE KEY (public key file, keyid or SSH fingerprint)' });
    entries.push({ name: t[0], role: t.slice(1, -1).join(' '), key: keyRef(t[t.length - 1]), line });
  });
  return { entries, problems };
}

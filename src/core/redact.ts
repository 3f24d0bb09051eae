// Secret redaction. Values (not names) are what leak, so we collect the values of every secret
// variable and replace them wherever text leaves runsheet: screen, logs, state, events, reports.

export const SECRET_SUFFIXES = ['_KEY', '_TOKEN', '_SECRET', '_PASSWORD'];
export const MASK = '***';

export function isSecretName(name: string, declared: readonly string[], suffixes = SECRET_SUFFIXES): boolean {
  const upper = name.toUpperCase();
  return declared.includes(name) || suffixes.some((s) => upper.endsWith(s));
}

/** Values to redact from a set of variable layers. Short values would mask ordinary text. */
export function secretValues(sources: Record<string, string | undefined>[], declared: readonly string[]): string[] {
  const values = new Set<string>();
  for (const src of sources) {
    for (const [k, v] of Object.entries(src)) {
      if (v && v.length >= 4 && isSecretName(k, declared)) values.add(v);
    }
  }
  // Longest first so a secret that contains another is masked whole.
  return [...values].sort((a, b) => b.length - a.length);
}

export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join(MASK);
  return out;
}

/** Deep-redacts every string in a JSON-like value. */
export function redactDeep<T>(value: T, secrets: readonly string[]): T {
  if (!secrets.length) return value;
  if (typeof value === 'string') return redact(value, secrets) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, secrets)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactDeep(v, secrets);
    return out as T;
  }
  return value;
}

/**
 * Streaming redactor: a secret split across two output chunks must still be masked, so we hold
 * back the last (longest secret − 1) characters of each chunk until the next one arrives.
 */
export class StreamRedactor {
  private pending = '';
  private readonly hold: number;
  constructor(private readonly secrets: readonly string[]) {
    this.hold = secrets.reduce((m, s) => Math.max(m, s.length - 1), 0);
  }
  push(chunk: string): string {
    if (!this.hold) return chunk;
    const text = redact(this.pending + chunk, this.secrets);
    // Never cut inside a mask we just wrote; hold back only a raw suffix.
    let cut = Math.max(0, text.length - this.hold);
    const lastMask = text.lastIndexOf(MASK);
    if (lastMask >= 0 && lastMask + MASK.length > cut) cut = lastMask + MASK.length;
    this.pending = text.slice(cut);
    return text.slice(0, cut);
  }
  /** Gives up the held-back raw text (another redactor continues the stream); holds nothing after. */
  takePending(): string {
    const p = this.pending;
    this.pending = '';
    return p;
  }
  flush(): string {
    const rest = redact(this.pending, this.secrets);
    this.pending = '';
    return rest;
  }
}

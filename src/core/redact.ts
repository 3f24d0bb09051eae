// Secret redaction. Values (not names) are what leak, so we collect the values of every secret
// variable and replace them wherever text leaves runsheet: screen, logs, state, events, reports.
import { allItems, type Checklist } from './model.js';

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

/**
 * Every secret value a run of this checklist could print: from the process environment, the
 * checklist's (resolved) vars and each item's own `env` — one list for every front end and the
 * report, so no path masks less than another.
 */
export function checklistSecrets(
  c: Pick<Checklist, 'vars' | 'secrets' | 'phases' | 'rollback'>,
  processEnv: Record<string, string | undefined>,
): string[] {
  return secretValues([processEnv, c.vars, ...allItems(c as Checklist).map((it) => it.env)], c.secrets);
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
  if (Array.isArray(value)) return value.map((v: unknown) => redactDeep(v, secrets)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactDeep(v, secrets);
    return out as T;
  }
  return value;
}

/**
 * Streaming redactor: a secret split across two output chunks must still be masked, so the end of
 * each chunk that could be the start of a secret is held back until the next chunk arrives. Only
 * that much: holding a fixed (longest secret − 1) characters hid the last line of output — a
 * "waiting for approval…" prompt, a progress line — for as long as the command stayed quiet.
 */
export class StreamRedactor {
  private pending = '';
  private readonly active: boolean;
  constructor(private readonly secrets: readonly string[]) {
    this.active = secrets.length > 0;
  }
  push(chunk: string): string {
    if (!this.active) return chunk;
    // Cut the raw text where no secret can straddle, then redact what is before the cut.
    const raw = this.pending + chunk;
    const cut = safeCut(raw, this.secrets);
    this.pending = raw.slice(cut);
    return redact(raw.slice(0, cut), this.secrets);
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

/**
 * Where raw stream text can be cut so that no secret occurrence — complete, or still arriving —
 * spans the cut (a short secret inside a longer one must not be masked before the longer one
 * is complete, or the rest of the longer one would leak).
 */
export function safeCut(raw: string, secrets: readonly string[]): number {
  let cut = raw.length - secretPrefixAtEnd(raw, secrets);
  for (let moved = true; moved;) {
    moved = false;
    for (const s of secrets) {
      for (let i = raw.indexOf(s, Math.max(0, cut - s.length + 1)); i !== -1 && i < cut; i = raw.indexOf(s, i + 1)) {
        if (i + s.length > cut) {
          cut = i;
          moved = true;
          break;
        }
      }
    }
  }
  return cut;
}

/** Length of the longest end of `text` that is the beginning (not the whole) of some secret. */
export function secretPrefixAtEnd(text: string, secrets: readonly string[]): number {
  let best = 0;
  for (const s of secrets) {
    for (let k = Math.min(s.length - 1, text.length); k > best; k--) {
      if (text.endsWith(s.slice(0, k))) {
        best = k;
        break;
      }
    }
  }
  return best;
}

// Validates a value an operator types for a `record` item.
import type { Action } from './model.js';

type RecordAction = Extract<Action, { kind: 'record' }>;

export function validateRecord(a: RecordAction, raw: string): { value: string | number } | { error: string } {
  const v = raw.trim();
  switch (a.record) {
    case 'number': {
      const n = Number(v.replace(/,/g, '').replace(new RegExp(`\\s*${escape(a.unit ?? '')}$`), ''));
      if (!v || !Number.isFinite(n)) return { error: `"${raw}" is not a number${a.unit ? ` (in ${a.unit})` : ''}` };
      return { value: n };
    }
    case 'choice': {
      const match = a.options?.find((o) => o.toLowerCase() === v.toLowerCase());
      return match ? { value: match } : { error: `choose one of: ${a.options?.join(', ')}` };
    }
    case 'time': {
      if (!v || v.toLowerCase() === 'now') return { value: new Date().toISOString() };
      const t = Date.parse(v);
      if (!Number.isNaN(t)) return { value: new Date(t).toISOString() };
      const hm = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(v);
      if (hm && Number(hm[1]) < 24 && Number(hm[2]) < 60 && Number(hm[3] ?? 0) < 60) return { value: v };
      return { error: `"${raw}" is not a time (press Enter for now, or type HH:MM or an ISO time)` };
    }
    case 'text':
      return v ? { value: v } : { error: 'type a value' };
  }
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

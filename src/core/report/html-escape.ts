// HTML escaping for report text. Controls become visible escapes first (safeText), then the five
// HTML-special characters become entities, so no title, note or HTTP body can open a tag, close
// an attribute or start a script in the HTML report.
import { safeText } from '../safe-text.js';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for element content or a quoted attribute value. */
export function esc(s: string | number | null | undefined): string {
  if (s === null || s === undefined || s === '') return '–';
  return safeText(String(s)).replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

// docs/tui.md is written by hand from src/ui/keys.ts and theme.ts: keep it in step with them.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMANDS, bindingName } from '../../src/ui/keys.js';
import { LEGEND, statusMark } from '../../src/ui/theme.js';

const doc = readFileSync('docs/tui.md', 'utf8');

describe('docs/tui.md', () => {
  it('has a row for every key binding, with its keys and the help text the app shows', () => {
    for (const c of COMMANDS) expect(doc).toContain(`| ${c.keys.map((b) => `\`${bindingName(b)}\``).join(' / ')} | ${c.help} |`);
    // …and no row for a binding that no longer exists.
    const rows = doc
      .split('## Keys')[1]
      .split('\n## ')[0]
      .split('\n')
      .filter((l) => /^\| `/.test(l));
    expect(rows).toHaveLength(COMMANDS.length);
  });

  it('explains every status mark', () => {
    for (const [st] of LEGEND) expect(doc).toContain(`| \`${statusMark(st).mark}\` |`);
  });
});

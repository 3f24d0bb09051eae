// The quick way to read a checklist's YAML. The `yaml` library, which finds every problem with its
// line:col, reads a 500-item checklist in ~120 ms on a cold start (its lexer works token by token
// through generators); js-yaml reads it in ~25 ms. So js-yaml goes first, and `yaml` reads the
// text only when something is wrong with it (src/core/load.ts): the operator waits less, and
// every problem is still reported by the same code with the same words and positions.
//
// The two must never disagree on what a text means. js-yaml is given the exact YAML 1.2 core
// schema `yaml` uses (the same patterns, in the same order, the same conversions), and texts
// using the features where they could still differ take the full way: tags (refused anyway),
// anchors and aliases, directives, complex or flow-collection keys, and keys that would not stay
// plain strings. test/core/yaml-fast.test.ts compares both on every checklist we have and on
// generated ones.
import { FAILSAFE_SCHEMA, Type, load } from 'js-yaml';

// The resolved types get tags of their own: an explicit `!!int` (or any tag) is then unknown to
// js-yaml and sends the text the full way, which refuses tags.
const IMPLICIT = 'tag:runsheet.local,implicit:';
const scalar = (name: string, test: RegExp, construct: (s: string) => unknown) =>
  new Type(`${IMPLICIT}${name}`, { kind: 'scalar', resolve: (s: unknown) => typeof s === 'string' && test.test(s), construct });

// node_modules/yaml/dist/schema/{common/null,core/bool,core/int,core/float}.js, in schema order.
const CORE = FAILSAFE_SCHEMA.extend({
  implicit: [
    scalar('null', /^(?:~|[Nn]ull|NULL)?$/, () => null),
    scalar('bool', /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/, (s) => s[0] === 't' || s[0] === 'T'),
    scalar('int-oct', /^0o[0-7]+$/, (s) => parseInt(s.substring(2), 8)),
    scalar('int', /^[-+]?[0-9]+$/, (s) => parseInt(s, 10)),
    scalar('int-hex', /^0x[0-9a-fA-F]+$/, (s) => parseInt(s.substring(2), 16)),
    scalar('float-nan', /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/, (s) =>
      s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY,
    ),
    scalar('float-exp', /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/, (s) => parseFloat(s)),
    scalar('float', /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/, (s) => parseFloat(s)),
  ],
});

// Directives ("%YAML 1.1" changes the schema), explicit "?" keys, and flow collections used as
// keys ("[a, b]: c"), which the two libraries turn into different strings; a "#" right after a
// quote or bracket (`yaml` refuses it, js-yaml reads a comment); block scalars with an explicit
// indentation ("|2", ">1-") or starting with a line of only blanks (both come out differently);
// and our own tag prefix written out by hand. Over-eager on purpose: a false alarm only means
// the full way.
const OTHER =
  /^%|(?:^|[[{,])[ \t]*\?(?:[ \t]|$)|[\]}][ \t]*:(?:[ \t]|$)|["'\]}]#|[|>](?:[1-9][-+]?|[-+][1-9])[ \t]*(?:#.*)?$|[|>][-+]?[ \t]*(?:#.*)?\r?\n(?:\r?\n)*[ \t]+\r?$|tag:runsheet\.local/m;
// Line breaks and characters the two treat differently (a lone CR ends a line for js-yaml only),
// control characters, and byte-order marks.
// eslint-disable-next-line no-control-regex -- control characters are what this looks for
const ODD_CHARS = /\r(?!\n)|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]|[\ud800-\udfff]/;
// A key that the core schema reads as null, a bool or a number (or "__proto__"): the libraries
// turn such keys into different strings, so they too take the full way.
const SPECIAL_KEY = /^(?:~|[Nn]ull|NULL|[Tt]rue|TRUE|[Ff]alse|FALSE|[-+]?[0-9][0-9a-fA-FxXoO._eE+-]*|[-+]?\.[0-9a-zA-Z]+|__proto__)?$/;

function keysArePlain(v: unknown): boolean {
  const stack: unknown[] = [v];
  while (stack.length) {
    const x = stack.pop();
    if (Array.isArray(x)) {
      const items: unknown[] = x;
      stack.push(...items);
    } else if (x && typeof x === 'object') {
      for (const [k, child] of Object.entries(x)) {
        if (SPECIAL_KEY.test(k)) return false;
        stack.push(child);
      }
    }
  }
  return true;
}

/** The data of a plain YAML text, or undefined when it must be read the full way. Never throws. */
export function readPlainYaml(text: string, maxDepth: number): { data: unknown } | undefined {
  if (OTHER.test(text) || ODD_CHARS.test(text)) return undefined;
  // Every node, once read: a tag written in the text, or an anchor, means the full way (without
  // an anchor there can be no alias: js-yaml throws on one).
  // A field, not a `let`: the listener sets it while load() runs.
  const seen = { properties: false };
  const listener = (event: string, state: { tag: string | null; anchor: string | null }) => {
    if (event === 'close' && (state.anchor !== null || (state.tag !== null && state.tag !== '?' && !state.tag.startsWith(IMPLICIT))))
      seen.properties = true;
  };
  try {
    // maxDepth is js-yaml 4.2+ (its types lag behind); depth was also checked before (yaml-depth).
    const options = {
      schema: CORE,
      maxDepth,
      listener,
      onWarning: (e: unknown) => {
        throw e;
      },
    };
    const data = load(text, options as unknown as Parameters<typeof load>[1]);
    // An empty text is undefined here and null there: not a checklist either way.
    return !seen.properties && data !== undefined && keysArePlain(data) ? { data } : undefined;
  } catch {
    return undefined;
  }
}

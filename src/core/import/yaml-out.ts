// The checklist object → YAML text with a header naming the source and its sha256, so a reviewer
// can tell which Markdown a checklist came from and whether it has changed since.
import { Document, isMap, isScalar, visit } from 'yaml';
import type { OutChecklist } from './out.js';

export function checklistYaml(doc: OutChecklist, source: string, sourceSha256: string): string {
  const d = new Document(doc);
  // eslint-disable-next-line no-control-regex -- a comment line must not hold a control character
  const oneLine = (s: string) => s.replace(/[\u0000-\u001f\u007f]/g, ' ');
  d.commentBefore = [
    ` Imported by \`runsheet import\` from ${oneLine(source)}`,
    ` source sha256: ${oneLine(sourceSha256)}`,
    ' Review before running: commands are copied as written and each asks for confirmation (confirm: true).',
  ].join('\n');
  // Role and option lists read best on one line: signoff: [Tech Lead, QA Lead]
  visit(d, {
    Seq(_, node) {
      if (node.items.every((i) => isScalar(i))) node.flow = true;
    },
    // Yes/No/On/Off are booleans to YAML 1.1 readers (editors, older tools): quote them.
    Scalar(_, node) {
      if (typeof node.value === 'string' && /^(?:y|n|yes|no|on|off|true|false)$/i.test(node.value)) node.type = 'QUOTE_SINGLE';
    },
    // when: {env: staging, answer: {item: uses-kubernetes, is: 'Yes'}} reads best on one line too
    Pair(_, pair) {
      if (isScalar(pair.key) && pair.key.value === 'when' && isMap(pair.value)) {
        pair.value.flow = true;
        visit(pair.value, { Map: (_k, m) => void (m.flow = true), Seq: (_k, q) => void (q.flow = true) });
      }
    },
  });
  // A var declared without a value reads as `NAME:`, not `NAME: null`.
  return d.toString({ lineWidth: 0, nullStr: '' });
}

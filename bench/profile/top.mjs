// Self time per function in a V8 .cpuprofile (from `node --cpu-prof`), biggest first.
//   node bench/profile/top.mjs FILE.cpuprofile [N] [--after MS]
// --after skips the first MS of the profile (e.g. start-up, to see only the keystrokes).
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const afterAt = args.indexOf('--after');
const afterMs = afterAt >= 0 ? Number(args.splice(afterAt, 2)[1]) : 0;
const treeIdx = args.indexOf('--tree');
if (treeIdx >= 0) args.splice(treeIdx, 2);
const [file, n = '30'] = args;
const p = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(p.nodes.map((node) => [node.id, node]));
const self = new Map();
let t = 0;
let total = 0;
for (let i = 0; i < p.samples.length; i++) {
  const dt = p.timeDeltas[i] ?? 0;
  t += dt;
  if (t / 1000 < afterMs) continue;
  const f = byId.get(p.samples[i]).callFrame;
  const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + dt);
  total += dt;
}
console.log(`sampled ${(total / 1000).toFixed(0)} ms${afterMs ? ` after the first ${afterMs} ms` : ''}`);
for (const [key, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(n)))
  console.log(`${(us / 1000).toFixed(1).padStart(8)} ms  ${key}`);

// --tree MS: the call tree, showing only calls that took at least MS in all (inclusive).
const treeAt = process.argv.indexOf('--tree');
if (treeAt >= 0) {
  const min = Number(process.argv[treeAt + 1] ?? 20) * 1000;
  const selfUs = new Map();
  let tt = 0;
  for (let i = 0; i < p.samples.length; i++) {
    tt += p.timeDeltas[i] ?? 0;
    if (tt / 1000 < afterMs) continue;
    selfUs.set(p.samples[i], (selfUs.get(p.samples[i]) ?? 0) + (p.timeDeltas[i] ?? 0));
  }
  const incl = new Map();
  const total = (node) => {
    if (incl.has(node.id)) return incl.get(node.id);
    let t = selfUs.get(node.id) ?? 0;
    for (const c of node.children ?? []) t += total(byId.get(c));
    incl.set(node.id, t);
    return t;
  };
  const walk = (node, depth) => {
    const t = total(node);
    if (t < min) return;
    const f = node.callFrame;
    console.log(
      `${' '.repeat(depth)}${(t / 1000).toFixed(1)} ${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`,
    );
    for (const c of [...(node.children ?? [])].map((id) => byId.get(id)).sort((a, b) => total(b) - total(a))) walk(c, depth + 1);
  };
  console.log('\ncall tree (inclusive ms):');
  walk(p.nodes[0], 0);
}

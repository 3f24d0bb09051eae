// Generated checklists for the benchmarks: N items across several phases, mostly manual items
// with some checks and a few actions, like a real runbook. Every item carries a unique marker in
// its notes so the harness can tell which item's detail the screen is showing.
import { stringify } from 'yaml';

/** The marker text in item i's notes: unique and unlikely to occur anywhere else. */
export function marker(i) {
  return `ZQ${String(i).padStart(5, '0')}Q`;
}

/**
 * YAML of a checklist with `items` items over `phases` phases (sections of 10). The first section
 * holds only manual items, so ticking and moving from the top is always in order. With `lead`,
 * that item (e.g. a flooding command) comes first.
 */
export function generateChecklist({ items, phases = 5, sectionSize = 10, lead = null, title = `Bench ${items} items` }) {
  const perPhase = Math.ceil(items / phases);
  const out = [];
  let n = 0;
  for (let p = 0; p < phases && n < items; p++) {
    const sections = [];
    for (let s = 0; n < items && s * sectionSize < perPhase; s++) {
      const list = [];
      for (let k = 0; k < sectionSize && n < items && s * sectionSize + k < perPhase; k++) {
        const i = ++n;
        const firstSection = p === 0 && s < 3;
        const item = {
          id: `i${i}`,
          title: `Item ${i} ${firstSection || i % 10 ? 'confirm the step by hand' : 'check the host'}`,
          notes: `Marker ${marker(i)}`,
        };
        if (!firstSection && i % 50 === 0) item.run = `echo action ${i}`;
        else if (!firstSection && i % 10 === 0) Object.assign(item, { run: 'true', check: true });
        list.push(item);
      }
      sections.push({ title: `Phase ${p + 1} section ${s + 1}`, items: list });
    }
    if (p === 0 && lead) sections.unshift({ title: 'Lead', items: [lead] });
    out.push({ id: `p${p + 1}`, title: `Phase ${p + 1}`, sections });
  }
  return stringify({ version: 1, title, phases: out }, { lineWidth: 0 });
}

/** `count` GET checks in one section (so headless runs them together, `--jobs` at a time). */
export function parallelChecklist(url, count = 40, ms = 200) {
  const items = Array.from({ length: count }, (_, k) => ({
    id: `slow${k + 1}`,
    title: `Slow endpoint ${k + 1}`,
    http: { url: `${url}/slow?ms=${ms}`, status: 200 },
  }));
  return stringify(
    {
      version: 1,
      title: `Bench ${count} parallel checks`,
      phases: [{ id: 'checks', title: 'Checks', sections: [{ title: 'All', items }] }],
    },
    { lineWidth: 0 },
  );
}

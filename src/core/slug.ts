// Stable ids from titles: lowercase ASCII words joined by dashes.

export function slugify(title: string): string {
  const s = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return s || 'item';
}

/** Returns a function that hands out unique ids, suffixing -2, -3 … on collisions. */
export function uniqueIds(taken: Iterable<string> = []): (base: string) => string {
  const used = new Set(taken);
  return (base) => {
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
    used.add(id);
    return id;
  };
}

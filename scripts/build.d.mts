export function buildBundle(opts?: { minify?: boolean }): Promise<string>;

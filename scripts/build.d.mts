export function buildBundle(opts?: { minify?: boolean; outfile?: string }): Promise<string>;

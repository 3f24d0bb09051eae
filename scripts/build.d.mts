/** entry: another program built the same way (the benchmark's start-up floor, bench/floor/). */
export function buildBundle(opts?: { minify?: boolean; outfile?: string; entry?: string }): Promise<string>;

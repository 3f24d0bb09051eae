// Bounded tail of a stream: the screen and events only ever need the end of the output, and
// keeping more would let a command that prints gigabytes exhaust memory.

export class Tail {
  private chunks: string[] = [];
  private size = 0;
  total = 0;
  constructor(private readonly max: number) {}

  push(s: string): void {
    this.total += s.length;
    this.chunks.push(s);
    this.size += s.length;
    // Drop whole chunks that fell out of the window rather than joining: joining on every push
    // made a flood allocate (and V8 keep) many times its own size in short-lived strings.
    while (this.chunks.length > 1 && this.size - this.chunks[0].length >= this.max) this.size -= this.chunks.shift()!.length;
  }

  private compact(): void {
    const joined = this.chunks.join('');
    const kept = joined.slice(joined.length - this.max);
    this.chunks = [kept];
    this.size = kept.length;
  }

  text(): string {
    if (this.size > this.max) this.compact();
    return this.chunks.join('');
  }

  /** Last n lines (for a pane of n rows). */
  lines(n: number): string[] {
    const all = this.text().split('\n');
    if (all.length && all[all.length - 1] === '') all.pop();
    return all.slice(-n);
  }
}

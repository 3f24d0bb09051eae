// The last N bytes of a command's output in one fixed buffer. A string tail (joining and slicing
// text chunks) allocated megabytes of short-lived strings per megabyte of output, and V8 let that
// garbage pile up: a 50 MB flood cost ~60 MB of RSS. Copying bytes into a ring costs nothing.

export class ByteTail {
  private readonly buf: Buffer;
  private end = 0;
  private full = false;
  constructor(readonly max: number) {
    this.buf = Buffer.alloc(max);
  }

  push(chunk: Uint8Array): void {
    if (chunk.length >= this.max) {
      this.buf.set(chunk.subarray(chunk.length - this.max));
      this.end = 0;
      this.full = true;
      return;
    }
    const first = Math.min(chunk.length, this.max - this.end);
    this.buf.set(chunk.subarray(0, first), this.end);
    if (first < chunk.length) {
      this.buf.set(chunk.subarray(first), 0);
      this.end = chunk.length - first;
      this.full = true;
    } else {
      this.end += first;
      if (this.end === this.max) {
        this.end = 0;
        this.full = true;
      }
    }
  }

  text(): string {
    const bytes = this.full ? Buffer.concat([this.buf.subarray(this.end), this.buf.subarray(0, this.end)]) : this.buf.subarray(0, this.end);
    // The window may start inside a multi-byte character: drop its continuation bytes.
    let start = 0;
    if (this.full) while (start < 3 && start < bytes.length && (bytes[start] & 0xc0) === 0x80) start++;
    return bytes.subarray(start).toString('utf8');
  }
}

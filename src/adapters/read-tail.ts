// Reads at most the last `max` bytes of a file (logs can be gigabytes).
import { open } from 'node:fs/promises';

export async function readTail(path: string, max: number): Promise<string> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch {
    return '';
  }
  try {
    const { size } = await fh.stat();
    const len = Math.min(size, max);
    const buf = Buffer.alloc(len);
    await fh.read(buf, 0, len, size - len);
    const text = buf.toString('utf8');
    return size > max ? `… (first ${size - len} bytes not shown; full log: ${path})\n${text}` : text;
  } finally {
    await fh.close();
  }
}

// ByteTail keeps exactly the last N bytes, whatever the chunking, and never starts mid-character.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ByteTail } from '../../src/adapters/byte-tail.js';

describe('ByteTail', () => {
  it('equals the last max bytes of everything pushed, for any chunking', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 64 }),
        fc.array(fc.uint8Array({ max: 0x7f, maxLength: 150 }), { maxLength: 30 }),
        (max, chunks) => {
          const t = new ByteTail(max);
          for (const c of chunks) t.push(c);
          const all = Buffer.concat(chunks);
          const want = all.subarray(Math.max(0, all.length - max));
          // ASCII bytes, so text() must be exactly these bytes (UTF-8 trimming is the next test).
          expect(t.text()).toBe(want.toString('latin1'));
        },
      ),
    );
  });

  it('drops the continuation bytes of a character cut by the window', () => {
    const t = new ByteTail(5);
    t.push(Buffer.from('abcé€', 'utf8')); // é = 2 bytes, € = 3 bytes: last 5 bytes are é€
    expect(t.text()).toBe('é€');
    t.push(Buffer.from('x', 'utf8')); // window now starts inside é
    expect(t.text()).toBe('€x');
  });

  it('keeps short output whole', () => {
    const t = new ByteTail(1024);
    t.push(Buffer.from('hello\n'));
    t.push(Buffer.from('world\n'));
    expect(t.text()).toBe('hello\nworld\n');
  });
});

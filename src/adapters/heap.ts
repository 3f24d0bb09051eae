// V8 heap tuning for a long run. A command flooding output makes runsheet allocate and drop
// ~100 MB/s of chunk buffers and strings; a little of it is always alive when the young
// generation is collected, and V8 answers that by doubling the young generation up to its
// maximum (2 × 16 MB semi-spaces), which an operator sees as +30-40 MB of RSS that never goes
// away. `node --max-semi-space-size` would cap it, but runsheet.mjs is started as
// `node runsheet.mjs` and cannot pass node flags; the growth factor, unlike the maximum, is read
// each time V8 grows the space, so setting it to 1 once start-up is done keeps the young
// generation at the size start-up gave it (docs/performance.md, flood figures).
import { setFlagsFromString } from 'node:v8';
import { undoBeforeCodeCacheSave } from './bundle-loader.js';

let capped = false;

/** Stops the young generation from growing from here on. Idempotent; never throws. */
export function capYoungGeneration(): void {
  if (capped) return;
  capped = true;
  try {
    setFlagsFromString('--semi-space-growth-factor=1');
    // 2 is V8's default; a code cache made under 1 would be refused by every later start.
    undoBeforeCodeCacheSave(() => setFlagsFromString('--semi-space-growth-factor=2'));
  } catch {
    // an unknown flag is ignored by V8; nothing else can go wrong that matters here
  }
}

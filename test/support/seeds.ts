// The five real Markdown checklists teams keep today (copied from ../shared/seeds into the repo so
// a clean clone — and CI — always tests against them; nothing is skipped for want of a sibling dir).
import { join } from 'node:path';

export const SEEDS_DIR = join(process.cwd(), 'test', 'fixtures', 'seeds');

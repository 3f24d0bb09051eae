// A problem found after parsing (a bad reference, a duplicate id, …), with where it is: shared by
// normalize.ts and the files it delegates to, so none of them imports another's types back.
import type { Pos } from './model.js';

export interface SemanticProblem {
  pos: Pos;
  message: string;
}

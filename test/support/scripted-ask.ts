// An Ask that answers from a script, in order, and fails the test on any question it was not
// told to expect: flows are tested with no rendering, question by question.
import type { Ask, Choice, Topic } from '../../src/core/flows/ask.js';
import type { FlowContext } from '../../src/core/flows/context.js';
import type { RunEngine } from '../../src/core/engine.js';

/** What the script says to a question: the answer (null = Esc), and the question it expects. */
export interface Step {
  q: Topic['q'];
  answer: string | boolean | null;
  /** Part of the message the question must show. */
  says?: string;
}

export interface Asked {
  topic: Topic;
  message: string;
  initial?: string;
  choices?: unknown[];
}

export function scriptedAsk(steps: Step[]): { ask: Ask; asked: Asked[]; left: () => Step[] } {
  const queue = [...steps];
  const asked: Asked[] = [];
  const next = (topic: Topic, message: string): Step => {
    const s = queue.shift();
    if (!s) throw new Error(`unexpected question ${topic.q}: ${message}`);
    if (s.q !== topic.q) throw new Error(`expected a ${s.q} question, was asked ${topic.q}: ${message}`);
    if (s.says && !message.includes(s.says)) throw new Error(`expected "${s.says}" in: ${message}`);
    return s;
  };
  const ask: Ask = {
    confirm: (topic, message) => {
      asked.push({ topic, message });
      return Promise.resolve(next(topic, message).answer === true);
    },
    text: (topic, message, opts) => {
      asked.push({ topic, message, ...(opts?.initial !== undefined ? { initial: opts.initial } : {}) });
      const a = next(topic, message).answer;
      if (a === null) return Promise.resolve(null);
      const problem = opts?.validate?.(String(a));
      if (problem) throw new Error(`the script's answer "${String(a)}" is refused: ${problem}`);
      return Promise.resolve(String(a));
    },
    choice: <T>(topic: Topic, message: string, choices: Choice<T>[]) => {
      asked.push({ topic, message, choices: choices.map((c) => c.value) });
      const a = next(topic, message).answer;
      const c = choices.find((x) => String(x.value) === String(a));
      if (a !== null && !c) throw new Error(`"${String(a)}" is not offered: ${choices.map((x) => String(x.value)).join(', ')}`);
      return Promise.resolve(c ? c.value : null);
    },
  };
  return { ask, asked, left: () => queue };
}

export function flowContext(engine: RunEngine, ask: Ask, told: string[] = []): FlowContext {
  return { engine, ask, tell: (m) => told.push(m), jobs: 2, operator: 'ann', secrets: [], drafts: new Map() };
}

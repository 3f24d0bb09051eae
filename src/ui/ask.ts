// The TUI's answer to the core's Ask port: every question becomes a dialog (dialogs.ts). The
// topic is for front ends that do not show the message; the screen shows the message.
import type { Ask } from '../core/flows/ask.js';
import type { Asker } from './dialogs.js';

export function dialogAsk(dialogs: Asker): Ask {
  return {
    confirm: (_topic, message, detail) => dialogs.confirm(message, detail),
    text: (_topic, message, opts) => dialogs.text(message, opts),
    choice: (_topic, message, choices) => dialogs.choice(message, choices),
  };
}

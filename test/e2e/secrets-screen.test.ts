// The detail pane shows an item's command and request after substitution: a secret var's value
// must never appear there — a command holds a reference to it, a URL shows *** — on the real
// screen, not just in files.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tmuxAvailable } from './tmux.js';
import { cursorOn, setupE2e, type E2e } from './harness.js';

const VALUE = 'tok-e2e-screen-0123456789';
const CHECKLIST = `version: 1
title: Secret on screen
vars: {DEPLOY_TOKEN: ${VALUE}, API: 'http://127.0.0.1:9'}
phases:
  - title: Work
    items:
      - {title: Push with token, run: 'echo "push \${DEPLOY_TOKEN}"'}
      - {title: Call with token, http: {url: '\${API}/deploy?token=\${DEPLOY_TOKEN}'}}
`;

describe.skipIf(!tmuxAvailable('test/e2e/secrets-screen.test.ts'))('secrets on the TUI screen (tmux)', () => {
  let e: E2e;
  beforeEach(async () => {
    e = await setupE2e();
  });
  afterEach(async () => e.cleanup());

  it('masks a secret var in the command and the URL shown in the detail pane', async () => {
    await e.checklist('s.yaml', CHECKLIST);
    const pane = e.tmux.launch(['run', 's.yaml'], e.dir);
    const first = await pane.waitFor(
      (s) => cursorOn('Push with token')(s) && s.includes('echo "push ${DEPLOY_TOKEN}"'),
      'the command, holding the name, not the value',
    );
    expect(first).not.toContain(VALUE);
    const second = await pane.press('j', (s) => cursorOn('Call with token')(s) && s.includes('token=***'), 'the masked URL');
    expect(second).not.toContain(VALUE);
    pane.key('q');
  });
});

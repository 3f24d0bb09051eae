// The floor under runsheet's start-up figure: an Ink app that draws two lines (the same footer
// marker the benchmark waits for) and reads keys, bundled and code-cached exactly like
// dist/runsheet.mjs (scripts/build.mjs with this entry). No checklist, no run, no layout worth
// the name: whatever this costs, any Ink first frame costs at least as much. bench/measure/startup.mjs
// builds it into its scratch directory and times it in the same pty, same run, as the rest.
import { Box, Text, render, useApp, useInput } from 'ink';
import { wantScreenCodeCache } from '../../src/adapters/bundle-loader.js';

function EmptyApp() {
  const { exit } = useApp();
  useInput((input, key) => {
    if (input === 'q' || (key.ctrl && input === 'c')) exit();
  });
  return (
    <Box flexDirection="column">
      <Text>empty Ink app</Text>
      <Text dimColor>? help · q quit</Text>
    </Box>
  );
}

// Its code cache holds the screen's code too, as runsheet's does after its first terminal session.
wantScreenCodeCache();
render(<EmptyApp />);

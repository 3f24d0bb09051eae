// Detail pane for the selected item. It alone subscribes to live output (liveVersion), so a
// command flooding output redraws this pane, never the list.
import { Box } from 'ink';
import { useStore } from 'zustand';
import type { RunEngine } from '../core/engine.js';
import type { Item } from '../core/model.js';
import { itemState } from '../core/policy.js';
import { Line } from './theme.js';
import { detailLines } from './detail-lines.js';

export function Detail(props: { engine: RunEngine; item: Item | undefined; width: number; height: number; secrets: readonly string[] }) {
  const { engine, item } = props;
  const st = item ? itemState(engine.state, item) : undefined;
  const running = st?.status === 'running';
  // Re-render on live output only while this item runs.
  useStore(engine.view, (v) => (running ? v.liveVersion : 0));
  useStore(engine.view, (v) => v.version);
  if (!item || !st) return <Box height={props.height} />;
  const lines = detailLines({
    item,
    st,
    state: engine.state,
    live: engine.live.get(item.id),
    width: props.width,
    height: props.height,
    secrets: props.secrets,
    now: Date.now(),
  });
  return (
    <Box flexDirection="column" width={props.width} height={props.height} overflow="hidden">
      {lines.map((l, i) => (
        <Line key={i} style={l.style}>
          {l.text || ' '}
        </Line>
      ))}
    </Box>
  );
}

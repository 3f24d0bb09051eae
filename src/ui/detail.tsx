// Detail pane for the selected item. It alone subscribes to live output, and only to the shown
// item's, so a command flooding output redraws this pane (at the engine's throttled rate), never
// the list.
import { memo } from 'react';
import { Box } from 'ink';
import { useStore } from 'zustand';
import type { Item } from '../core/model.js';
import { itemState } from '../core/policy.js';
import { Line } from './theme.js';
import { detailLines } from './detail-lines.js';
import type { ScreenStore } from './screen-store.js';

/** Memoised: it redraws when its item, the run's events or that item's live output change. */
export const Detail = memo(function Detail(props: {
  store: ScreenStore;
  item: Item | undefined;
  width: number;
  height: number;
  secrets: readonly string[];
}) {
  const { store, item } = props;
  const { state } = useStore(store, (s) => s.fold);
  const live = useStore(store, (s) => (item ? s.live[item.id] : undefined));
  const st = item ? itemState(state, item) : undefined;
  if (!item || !st) return <Box height={props.height} />;
  const lines = detailLines({
    item,
    st,
    state,
    live,
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
});

// The bundle's loader (scripts/bundle-loader.js) keeps a V8 code cache of the code a start ran.
// A session that draws the screen asks for a cache that holds the screen's code too, so a
// `--help` that happened to run first cannot leave every later start compiling Ink and React.
// Outside the bundle (tests, tsx) there is no loader and these do nothing.
interface Hook {
  want?: (level: 'tui') => void;
  beforeSave?: (undo: () => void) => void;
}

const hook = () => (globalThis as Record<symbol, Hook | undefined>)[Symbol.for('runsheet.code-cache')];

export function wantScreenCodeCache(): void {
  hook()?.want?.('tui');
}

/** V8 refuses a cache made under flags other than a fresh start's: `undo` restores them first. */
export function undoBeforeCodeCacheSave(undo: () => void): void {
  hook()?.beforeSave?.(undo);
}

// What the bundle's loader (scripts/bundle-loader.js) offers the program: its own file, and the V8
// code cache it keeps of the code a start ran. A session that draws the screen asks for a cache
// that holds the screen's code too, so a `--help` that happened to run first cannot leave every
// later start compiling Ink and React. Outside the bundle (tests, tsx) there is no loader: these
// do nothing, and there is no bundle file.
interface Loader {
  file?: string;
  want?: (level: 'tui') => void;
  beforeSave?: (undo: () => void) => void;
}

const loader = () => (globalThis as Record<symbol, Loader | undefined>)[Symbol.for('runsheet.loader')];

/** The bundle this process runs from, or undefined when it runs from the sources. */
export function bundleFile(): string | undefined {
  return loader()?.file;
}

export function wantScreenCodeCache(): void {
  loader()?.want?.('tui');
}

/** V8 refuses a cache made under flags other than a fresh start's: `undo` restores them first. */
export function undoBeforeCodeCacheSave(undo: () => void): void {
  loader()?.beforeSave?.(undo);
}

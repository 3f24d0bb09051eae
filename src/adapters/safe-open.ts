// Every file runsheet writes under $RUNSHEET_HOME (logs, events, state, locks, reports, keys) is
// opened through here: O_NOFOLLOW, so a symlink planted in a file's place (logs/x.stdout.log →
// ~/.bashrc) is refused instead of followed, and owner-only modes (0600), so a run's commands'
// output and records are not readable by other local users whatever the umask.
// O_NOFOLLOW covers the last path component only; the directories above are runsheet's own
// (created 0700 by ensurePrivateDir), and a symlinked $RUNSHEET_HOME itself stays allowed.
import { close as fsClose, constants, fchmodSync, open as fsOpen, openSync, write as fsWrite, writev as fsWritev } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

const { O_WRONLY, O_RDONLY, O_RDWR, O_CREAT, O_TRUNC, O_EXCL, O_APPEND, O_NOFOLLOW } = constants;

/** Owner-only file mode for everything runsheet writes. */
export const PRIVATE_FILE = 0o600;
/** Owner-only directory mode. */
export const PRIVATE_DIR = 0o700;

/** w: create or truncate; wx: create, never reuse; a: append (create if missing); a+: append and read; r+: an existing file, read and write; r: read. */
export type OpenMode = 'w' | 'wx' | 'a' | 'a+' | 'r+' | 'r';

const FLAGS: Record<OpenMode, number> = {
  w: O_WRONLY | O_CREAT | O_TRUNC,
  wx: O_WRONLY | O_CREAT | O_EXCL,
  a: O_WRONLY | O_CREAT | O_APPEND,
  'a+': O_RDWR | O_CREAT | O_APPEND,
  'r+': O_RDWR,
  r: O_RDONLY,
};

/** The numeric open(2) flags for `how`, with O_NOFOLLOW. */
export function noFollowFlags(how: OpenMode): number {
  return FLAGS[how] | O_NOFOLLOW;
}

/**
 * ELOOP (Linux, macOS) or EMLINK (FreeBSD) from O_NOFOLLOW means "a symlink is there": say so in
 * the error, which callers show to the operator as the cause.
 */
function explain(e: unknown, path: string): unknown {
  const code = (e as NodeJS.ErrnoException).code;
  if (code !== 'ELOOP' && code !== 'EMLINK') return e;
  return Object.assign(new Error(`${path} is a symbolic link: runsheet does not write through links (remove it)`), { code: 'ELOOP', path });
}

/**
 * Opens `path` without following a symlink at it. Files opened for writing end up `mode`
 * (default 0600) even when they already existed with a wider mode (e.g. written by an older
 * runsheet), so "everything under the home is 0600" holds for old runs too.
 */
export async function openNoFollow(path: string, how: OpenMode, mode = PRIVATE_FILE): Promise<FileHandle> {
  let fh: FileHandle;
  try {
    fh = await open(path, noFollowFlags(how), mode);
  } catch (e) {
    throw explain(e, path);
  }
  // Best effort: a filesystem without modes (FAT, some FUSE/SMB mounts) refuses chmod, and a file
  // another user owns is theirs to set; neither is a reason not to write.
  if (how !== 'r') await fh.chmod(mode).catch(() => {});
  return fh;
}

/** openNoFollow for synchronous callers (a command's log opened as it starts); returns an fd. */
export function openNoFollowSync(path: string, how: OpenMode, mode = PRIVATE_FILE): number {
  let fd: number;
  try {
    fd = openSync(path, noFollowFlags(how), mode);
  } catch (e) {
    throw explain(e, path);
  }
  if (how !== 'r') {
    try {
      fchmodSync(fd, mode);
    } catch {
      // best effort, as in openNoFollow
    }
  }
  return fd;
}

/**
 * For createWriteStream's `fs` option: the stream opens its file with O_NOFOLLOW (a link at the
 * path becomes the stream's 'error', like any other failure to open).
 */
export function noFollowFs(how: OpenMode): { open: typeof fsOpen; write: typeof fsWrite; writev: typeof fsWritev; close: typeof fsClose } {
  const open = ((path: string, _flags: unknown, mode: number, cb: (err: NodeJS.ErrnoException | null, fd: number) => void) =>
    fsOpen(path, noFollowFlags(how), mode, (err, fd) =>
      cb(err ? (explain(err, path) as NodeJS.ErrnoException) : null, fd),
    )) as unknown as typeof fsOpen;
  return { open, write: fsWrite, writev: fsWritev, close: fsClose };
}

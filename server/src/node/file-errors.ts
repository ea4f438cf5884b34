/**
 * The one wording of file problems (missing, unreadable, not a regular file), used by discovery, by reading a
 * source file and by writing fixes, so the CLI and the language server say the same thing about the same file.
 */
import type * as fs from 'node:fs';

/** Errno codes as the user reads them: `strerror`'s text, lower case. */
const ERROR_MESSAGES: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'not a directory',
  EISDIR: 'is a directory',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'file name too long',
  EIO: 'input/output error',
  EAGAIN: 'would block',
};

export const NO_SUCH_FILE = 'no such file or directory';
export const BROKEN_LINK = 'broken symbolic link';

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;
}

/** One line saying why a file operation failed: the table's wording, else the error's first line. */
export function describeFsError(error: unknown): string {
  const code = errorCode(error);
  const known = code !== undefined ? ERROR_MESSAGES[code] : undefined;
  if (known !== undefined) return known;
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}

/** What kind of non-regular file a stat describes (`a FIFO (named pipe)`, `a character device`, …). */
export function fileKind(stat: fs.Stats): string {
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  if (stat.isDirectory()) return 'a directory';
  return 'a special file';
}

/** `a FIFO (named pipe), not a regular file`: why a settings-named file is not read. */
export function notRegularFile(kind: string): string {
  return `${kind}, not a regular file`;
}

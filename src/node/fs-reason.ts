/**
 * Node's file-system errors in words: "no such file or folder (ENOENT)"
 * instead of Node's raw `ENOENT: no such file or directory, open '…'`, so
 * every typed error that wraps one (`ModelFileError`, `ImageDecodeError`,
 * `FileReadError`) says why the same way.
 */

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a part of the path is a file, not a folder',
  ELOOP: 'too many symbolic links (a loop?)',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'a folder, not a file',
  EROFS: 'a read-only file system',
  ENOSPC: 'no space left on the device',
};

/**
 * Why a file-system call failed, in words, with Node's code in brackets.
 *
 * @example
 * ```ts
 * try { await readFile(path); }
 * catch (e) { throw new ImageDecodeError(`${path}: cannot read the file: ${fsReason(e)}`, { cause: e }); }
 * // "photo.png: cannot read the file: no such file or folder (ENOENT)"
 * ```
 */
export function fsReason(error: unknown): string {
  const e = error as NodeJS.ErrnoException | undefined;
  if (e?.code) return `${REASONS[e.code] ?? e.message} (${e.code})`;
  return String(e?.message ?? error);
}

/**
 * Checks, before any work starts, that an output path can be written: a
 * model folder (`train --out DIR`) or a file (`export --out FILE`). Nothing is
 * created here; the check finds the nearest existing part of the path and
 * asks whether it is a folder this process may write into.
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { InvalidOptionError } from '../errors.js';
import { fsReason } from '../node/fs-reason.js';

type Stats = Awaited<ReturnType<typeof stat>>;

/** The nearest existing path at or above `path`, with its stats. */
async function nearestExisting(path: string): Promise<{ path: string; info: Stats }> {
  let p = resolve(path);
  for (;;) {
    try {
      return { path: p, info: await stat(p) };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const parent = dirname(p);
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || parent === p) throw e;
      p = parent;
    }
  }
}

async function check(flag: string, path: string, kind: 'folder' | 'file'): Promise<void> {
  const what = kind === 'folder' ? `a model folder at ${path}` : path;
  const fail = (reason: string, cause?: unknown) => new InvalidOptionError(`--${flag}: cannot write ${what}: ${reason}`, { cause });
  let found: { path: string; info: Stats };
  try {
    found = await nearestExisting(path);
  } catch (cause) {
    throw fail(fsReason(cause), cause);
  }
  const isTarget = found.path === resolve(path);
  if (isTarget && kind === 'folder' && !found.info.isDirectory()) throw fail('it exists and is not a folder');
  if (isTarget && kind === 'file' && !found.info.isFile()) throw fail('it exists and is not a regular file');
  if (!isTarget && !found.info.isDirectory()) throw fail(`${found.path} is not a folder (ENOTDIR)`);
  try {
    await access(found.path, isTarget && kind === 'file' ? constants.W_OK : constants.W_OK | constants.X_OK);
  } catch (cause) {
    throw fail(`${found.path}: ${fsReason(cause)}`, cause);
  }
}

/**
 * Throws an `InvalidOptionError` naming `--flag` and `path` unless a model
 * folder can be created (or written) at `path`.
 *
 * @example
 * ```ts
 * await checkOutputFolder('out', '/dev/null/x'); // --out: cannot write a model folder at /dev/null/x: /dev/null is not a folder (ENOTDIR)
 * ```
 */
export function checkOutputFolder(flag: string, path: string): Promise<void> {
  return check(flag, path, 'folder');
}

/** As {@link checkOutputFolder}, for a single file (its missing folders are created when it is written). */
export function checkOutputFile(flag: string, path: string): Promise<void> {
  return check(flag, path, 'file');
}

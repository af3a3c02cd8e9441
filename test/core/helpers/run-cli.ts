// Runs the built CLI (`npm test` builds first), as `npx digit-classifier` would.
import { execFile, spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** The built CLI's entry. */
export const CLI = join(__dirname, '../../../dist/cli.js');

/** What one CLI run ended with: its exit code (null when a signal ended it), stdout and stderr. */
export interface CliRun {
  code: number | null;
  out: string;
  err: string;
}

/** Runs the CLI and waits for it; for short commands (each test file turns the event loop between tests). */
export function runCli(...args: string[]): CliRun {
  const res = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: res.status, out: res.stdout, err: res.stderr };
}

/** Runs the CLI without blocking the event loop: for long commands (a long spawnSync starves vitest's worker RPC on a busy machine). */
export function runCliAsync(...args: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 }, (error, out, err) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, out, err });
    });
  });
}

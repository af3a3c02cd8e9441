/**
 * Where the reliability checks leave their figures: one JSON file per check
 * under `.bench/reliability/<mode>/` (gitignored), read by
 * `scripts/reliability-report.mjs` to write `docs/reliability.md`. The mode is
 * `fast` inside `npm test` and `long` from `npm run reliability:long`; each
 * mode has its own folder, so running the tests never overwrites the figures
 * of a long run. Every file also carries the date of the run that wrote it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * `$RELIABILITY_DIR`, else `.bench/reliability/` under the working directory
 * (results go in a subfolder per mode)
 * (the repository root for vitest and npm scripts; a path from `import.meta.url`
 * would break once `bench/build.mjs` bundles a caller into `.bench/`).
 */
export const RELIABILITY_DIR = resolve(process.env.RELIABILITY_DIR ?? '.bench/reliability');

/** `'long'` when a run count was asked for (`FUZZ_RUNS`), else `'fast'`; `RELIABILITY_MODE` overrides. */
export const RELIABILITY_MODE: string = process.env.RELIABILITY_MODE ?? (process.env.FUZZ_RUNS ? 'long' : 'fast');

/**
 * Writes `<mode>/<name>.json` with `data` plus the date, the mode (unless
 * `data.mode` says otherwise), and the Node version, platform and CPU.
 *
 * @example
 * ```ts
 * writeReliabilityResult('faults-abort-training', { check: 'faults', runs: 50 });
 * ```
 */
export function writeReliabilityResult(name: string, data: Record<string, unknown>): void {
  const record = {
    name, mode: RELIABILITY_MODE, ...data, date: new Date().toISOString(),
    node: process.version, platform: `${process.platform}-${process.arch}`, cpu: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
  };
  const dir = join(RELIABILITY_DIR, String(record.mode));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.json`), JSON.stringify(record, null, 2) + '\n');
}

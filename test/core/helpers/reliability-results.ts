/**
 * Where the reliability checks leave their figures: one JSON file per check
 * under `.bench/reliability/` (gitignored), read by
 * `scripts/reliability-report.mjs` to write `docs/reliability.md`. Every file
 * carries the date and the mode (`fast` inside `npm test`, `long` from
 * `npm run reliability:long`) of the run that wrote it, so the report can say
 * which run each figure comes from.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * `$RELIABILITY_DIR`, else `.bench/reliability/` under the working directory
 * (the repository root for vitest and npm scripts; a path from `import.meta.url`
 * would break once `bench/build.mjs` bundles a caller into `.bench/`).
 */
export const RELIABILITY_DIR = resolve(process.env.RELIABILITY_DIR ?? '.bench/reliability');

/** `'long'` when a run count was asked for (`FUZZ_RUNS`), else `'fast'`; `RELIABILITY_MODE` overrides. */
export const RELIABILITY_MODE: string = process.env.RELIABILITY_MODE ?? (process.env.FUZZ_RUNS ? 'long' : 'fast');

/**
 * Writes `<name>.json` with `data` plus the date, the mode (unless `data.mode`
 * says otherwise), and the Node version, platform and CPU.
 *
 * @example
 * ```ts
 * writeReliabilityResult('faults-abort-training', { check: 'faults', runs: 50 });
 * ```
 */
export function writeReliabilityResult(name: string, data: Record<string, unknown>): void {
  mkdirSync(RELIABILITY_DIR, { recursive: true });
  const record = {
    name, mode: RELIABILITY_MODE, ...data, date: new Date().toISOString(),
    node: process.version, platform: `${process.platform}-${process.arch}`, cpu: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
  };
  writeFileSync(join(RELIABILITY_DIR, `${name}.json`), JSON.stringify(record, null, 2) + '\n');
}

#!/usr/bin/env node
/**
 * The long reliability run (`npm run reliability:long`), then the report:
 *
 * 1. the fuzz and fault tests in long mode: every fuzz property at
 *    `FUZZ_RUNS` × its share (default 20,000), 200 training aborts, 1,000
 *    corrupted uploads against a loaded model;
 * 2. the worker faults in Chromium (test/worker/faults.test.ts) at the long
 *    counts: 200 training aborts and 60 worker kills; and 6 WebGPU device
 *    losses (test/worker/webgpu/webgpu.test.ts, on SwiftShader);
 * 3. 20 epochs of the lesson MLP on all of MNIST with memory recorded after
 *    every epoch (bench/reliability-memory.ts, which states its flatness
 *    criterion and fails when it does not hold);
 * 4. docs/reliability.md regenerated from the figures both wrote (in
 *    .bench/reliability/long/, which `npm test` never touches).
 *
 *   node scripts/reliability-long.mjs [--runs 20000] [--epochs 20] [--skip-fuzz] [--skip-browser] [--skip-training]
 *
 * Takes tens of minutes on two cores. Exits 1 if any step failed; the report
 * is written either way, showing what failed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const flag = (name) => process.argv.includes(`--${name}`);
const runs = arg('runs', process.env.FUZZ_RUNS ?? '20000');
const epochs = arg('epochs', process.env.RELIABILITY_EPOCHS ?? '20');
const env = { ...process.env, FUZZ_RUNS: runs, RELIABILITY_MODE: 'long', RELIABILITY_EPOCHS: epochs };
const vitest = createRequire(import.meta.url).resolve('vitest/vitest.mjs');

const steps = [];
function step(name, args, extraEnv = {}) {
  console.log(`\n=== ${name}: node ${args.join(' ')}\n`);
  const t0 = Date.now();
  const { status, signal } = spawnSync(process.execPath, args, { stdio: 'inherit', env: { ...env, ...extraEnv } });
  const seconds = Math.round((Date.now() - t0) / 1000);
  steps.push({ name, command: `node ${args.join(' ')}`, seconds, exitCode: status, signal });
  console.log(`\n=== ${name}: ${status === 0 ? 'passed' : `FAILED (${signal ?? `exit ${status}`})`} in ${seconds} s`);
  return status === 0;
}

if (!flag('skip-fuzz')) step(`fuzz and fault tests, FUZZ_RUNS=${runs}`, [vitest, 'run', 'test/core/fuzz', 'test/core/reliability']);
if (!flag('skip-browser')) {
  // The worker faults in Chromium at the long counts (200 aborts, 60 kills): the build must be there.
  if (!existsSync('dist/worker.js')) step('build (for the browser checks)', ['node_modules/rollup/dist/bin/rollup', '-c']);
  const wtr = 'node_modules/@web/test-runner/dist/bin.js'; // not in the package's exports; npm scripts run from the root
  step('worker faults in Chromium (aborts, kills)', [wtr, '--group', 'worker'], { WTR_FILES: 'test/worker/faults.test.ts' });
  step('WebGPU device losses in Chromium (SwiftShader)', [wtr, '--group', 'worker-webgpu']);
}
if (!flag('skip-training')) step(`${epochs} epochs of training, memory per epoch`, ['bench/build.mjs', 'bench/reliability-memory.ts', '--epochs', epochs]);

const dir = join(process.env.RELIABILITY_DIR ?? '.bench/reliability', 'long');
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'long-run.json'), JSON.stringify({ name: 'long-run', mode: 'long', date: new Date().toISOString(), fuzzRuns: Number(runs), epochs: Number(epochs), steps }, null, 2) + '\n');
step('report', ['scripts/reliability-report.mjs', '--prefer', 'long']);
process.exit(steps.every((s) => s.exitCode === 0) ? 0 : 1);

// `npm test` after the build: three lanes at once, because the browser
// suites spend most of their time waiting (page starts, workers, timers): run
// one after the other they kept CI's 2 cores a third busy for 15 minutes. The
// Node lane runs one test file at a time so the browsers keep a core.
//
//   node lane:   vitest run (one fork; most files share one process, see vitest.config.ts),
//                the install-size check, the rollup consumer
//   apps lane:   the Vite and webpack consumers and the framework apps, then the demo e2e suites
//   wtr lane:    @web/test-runner: the worker, worker-webgpu and widgets groups
//
// The apps lane streams; the others print whole, with their name, when they
// end; each lane ends with "passed" or "FAILED" and its time, and the exit code
// is 1 if any failed. Last comes, for each failed lane, a short "why" (its
// failed tests), since CI shows only the tail of the output. `TEST_LANES=serial` runs them one after the other.
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';

/** Lines of a failed lane's output worth repeating at the very end (vitest's failed files and tests, assertion messages). */
const FAILURE_LINE = /^\s*(FAIL\b|×|✗|❯ .*\.test\.|AssertionError|Error:|TypeError:|.*\bfailed\b)/;

// The consumer builds (npm run test:consumers) are split between two lanes so that the lanes end
// together: run one after the other, the apps lane ran 2 minutes past the others on CI.
const LANES = [
  { name: 'node', steps: ['npx vitest run --maxWorkers=1 --minWorkers=1', 'npm run size:install', 'node test/frameworks/rollup-consumer.mjs'], stream: false },
  { name: 'apps', steps: ['node test/worker/vite-consumer.mjs && node test/frameworks/webpack-consumer.mjs && node test/frameworks/framework-apps.mjs', 'npm run test:e2e'], stream: true },
  // Its failure reporter writes the failed sessions to a file (test/browsers/failure-reporter.mjs).
  { name: 'wtr', steps: ['npx wtr'], stream: false, failures: 'test-artifacts/wtr-failures.txt' },
];

/** Runs one lane's steps in order, stopping at the first failure; resolves with its exit code and output. */
function runLane(lane) {
  return new Promise((resolve) => {
    const started = Date.now();
    let output = '';
    // A failure list left by an earlier run must not be shown as this run's.
    if (lane.failures) rmSync(lane.failures, { force: true });
    const next = (i) => {
      if (i === lane.steps.length) return resolve({ lane, code: 0, output, seconds: (Date.now() - started) / 1000 });
      const child = spawn(lane.steps[i], { shell: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? '0' } });
      const take = (chunk) => {
        output += chunk;
        if (lane.stream) process.stdout.write(chunk);
      };
      child.stdout.on('data', take);
      child.stderr.on('data', take);
      child.on('close', (code, signal) => {
        if (code === 0) return next(i + 1);
        output += `\n[${lane.name} lane] \`${lane.steps[i]}\` failed (${signal ?? `exit code ${code}`})\n`;
        resolve({ lane, code: code || 1, output, seconds: (Date.now() - started) / 1000 });
      });
    };
    next(0);
  });
}

function report({ lane, code, output, seconds }) {
  if (!lane.stream) process.stdout.write(`\n===== ${lane.name} lane: ${lane.steps.join(' && ')} =====\n${output}`);
  process.stdout.write(`\n===== ${lane.name} lane ${code === 0 ? 'passed' : 'FAILED'} in ${seconds.toFixed(0)} s =====\n`);
  return code;
}

/**
 * Why a lane failed, in a few lines: CI keeps only the tail of a run's output, and a lane's own
 * report can end hundreds of lines above it (wtr's ends in "Error while running tests." after its logs).
 */
function digest({ lane, output }) {
  let lines;
  try {
    if (lane.failures) lines = readFileSync(lane.failures, 'utf8').trimEnd().split('\n');
  } catch {
    // no file: the run ended before the reporter could write one; fall back to the output
  }
  lines ??= output.split('\n').filter((line) => FAILURE_LINE.test(line));
  const shown = lines.slice(0, 60);
  if (lines.length > shown.length) shown.push(`… ${lines.length - shown.length} more lines above`);
  return `\n===== why the ${lane.name} lane failed =====\n${shown.join('\n')}\n`;
}

const serial = process.env.TEST_LANES === 'serial';
const results = [];
if (serial) {
  for (const lane of LANES) {
    const r = await runLane({ ...lane, stream: true });
    report(r);
    results.push(r);
  }
} else {
  // Reported as each finishes, so a failure in the short lane shows at once.
  await Promise.all(LANES.map((lane) => runLane(lane).then((r) => { report(r); results.push(r); })));
}
const failed = results.filter((r) => r.code !== 0);
for (const r of failed) process.stdout.write(digest(r));
process.exit(failed.length === 0 ? 0 : 1);

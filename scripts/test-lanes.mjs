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
// failed tests), since CI shows only the tail of the output. The wtr lane runs
// again, once, only the sessions the runner failed with none of their tests
// failed (see rerunSessionErrors). `TEST_LANES=serial` runs them one after the other.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { clearFailureFiles, FAILURE_DATA, FAILURE_FILE } from '../test/browsers/failure-reporter.mjs';

/** Lines of a failed lane's output worth repeating at the very end (vitest's failed files and tests, assertion messages). */
const FAILURE_LINE = /^\s*(FAIL\b|×|✗|❯ .*\.test\.|AssertionError|Error:|TypeError:|.*\bfailed\b)/;

// The consumer builds (npm run test:consumers) are split between two lanes so that the lanes end
// together: run one after the other, the apps lane ran 2 minutes past the others on CI.
const LANES = [
  { name: 'node', steps: ['npx vitest run --maxWorkers=1 --minWorkers=1', 'npm run size:install', 'node test/frameworks/rollup-consumer.mjs'], stream: false },
  { name: 'apps', steps: ['node test/worker/vite-consumer.mjs && node test/frameworks/webpack-consumer.mjs && node test/frameworks/framework-apps.mjs', 'npm run test:e2e'], stream: true },
  // Its failure reporter writes the failed sessions to a file (test/browsers/failure-reporter.mjs).
  { name: 'wtr', steps: ['npx wtr'], stream: false, before: clearFailureFiles, failures: FAILURE_FILE, rerun: rerunSessionErrors },
];

const ENGINE_IDS = { Chromium: 'chromium', Firefox: 'firefox', WebKit: 'webkit' };

/**
 * The wtr lane's second chance, for one kind of failure only: a session whose every test passed but
 * which the runner still marked failed (its page could not be started or stopped, or it went away
 * after reporting; CI ended a run that way with every test passed). Those files run once more, in
 * the engine and group that failed, and the lane passes only if they pass; the digest at the end
 * still prints the first failure. A session with a failed test is never run again.
 * Returns the commands to run, or null when the failure is not of that kind.
 */
function rerunSessionErrors() {
  let sessions;
  try {
    sessions = JSON.parse(readFileSync(FAILURE_DATA, 'utf8'));
  } catch {
    return null;
  }
  if (sessions.length === 0 || sessions.some((x) => x.failedTests > 0 || !ENGINE_IDS[x.engine])) return null;
  const runs = new Map();
  for (const x of sessions) {
    const key = `${x.group}\t${ENGINE_IDS[x.engine]}`;
    runs.set(key, [...(runs.get(key) ?? []), x.file]);
  }
  return [...runs].map(([key, files]) => {
    const [group, engine] = key.split('\t');
    return `BROWSERS=${engine} WTR_FILES=${files.join(',')} npx wtr --group ${group}`;
  });
}

/** Runs one lane's steps in order, stopping at the first failure; resolves with its exit code and output. */
function runLane(lane) {
  lane = { ...lane };
  return new Promise((resolve) => {
    const started = Date.now();
    let output = '';
    let firstFailure = null;
    // e.g. a failure list left by an earlier run, which must not be read as this run's
    lane.before?.();
    const next = (i) => {
      if (i === lane.steps.length) return resolve({ lane, code: 0, output, seconds: (Date.now() - started) / 1000, firstFailure });
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
        const again = lane.rerun?.();
        if (again) {
          firstFailure = digestOf(lane, output);
          output += `[${lane.name} lane] no test failed, but the runner failed ${again.length === 1 ? 'a session' : 'sessions'}; once more: ${again.join('; ')}\n`;
          lane = { ...lane, steps: [...lane.steps.slice(0, i + 1), ...again, ...lane.steps.slice(i + 1)], rerun: undefined };
          return next(i + 1);
        }
        resolve({ lane, code: code || 1, output, seconds: (Date.now() - started) / 1000, firstFailure });
      });
    };
    next(0);
  });
}

function report({ lane, code, output, seconds, firstFailure }) {
  if (!lane.stream) process.stdout.write(`\n===== ${lane.name} lane: ${lane.steps.join(' && ')} =====\n${output}`);
  const how = code !== 0 ? 'FAILED' : firstFailure ? 'passed on a second run of its failed sessions' : 'passed';
  process.stdout.write(`\n===== ${lane.name} lane ${how} in ${seconds.toFixed(0)} s =====\n`);
  return code;
}

/**
 * Why a lane failed, in a few lines: CI keeps only the tail of a run's output, and a lane's own
 * report can end hundreds of lines above it (wtr's ends in "Error while running tests." after its logs).
 */
function digestOf(lane, output) {
  let lines;
  try {
    if (lane.failures) lines = readFileSync(lane.failures, 'utf8').trimEnd().split('\n');
  } catch {
    // no file: the run ended before the reporter could write one; fall back to the output
  }
  lines ??= output.split('\n').filter((line) => FAILURE_LINE.test(line));
  const shown = lines.slice(0, 60);
  if (lines.length > shown.length) shown.push(`… ${lines.length - shown.length} more lines above`);
  return shown.join('\n');
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
for (const r of results.filter((x) => x.code === 0 && x.firstFailure)) {
  process.stdout.write(`\n===== the ${r.lane.name} lane passed on a second run of what failed first; the first failure =====\n${r.firstFailure}\n`);
}
const failed = results.filter((r) => r.code !== 0);
for (const r of failed) {
  if (r.firstFailure) process.stdout.write(`\n===== the ${r.lane.name} lane's first failure =====\n${r.firstFailure}\n`);
  process.stdout.write(`\n===== why the ${r.lane.name} lane failed =====\n${digestOf(r.lane, r.output)}\n`);
}
process.exit(failed.length === 0 ? 0 : 1);

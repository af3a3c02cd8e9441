// A @web/test-runner reporter that, when a run fails, lists every failed
// session once at the end: engine, file, the session's own errors (a file
// that did not load, a page error outside a test, a timeout) and each failed
// test with its message. The default reporter prints these among hundreds of
// lines of logs and progress bars; CI keeps only the tail of its output, so
// without this list a run could end in "Error while running tests." with the
// reason cut off. The list also goes to test-artifacts/wtr-failures.txt, and
// scripts/test-lanes.mjs prints that file last; test-artifacts/wtr-failures.json
// has the same sessions as data (group, engine, file, number of failed tests),
// from which the lane decides what it may run again (see test-lanes.mjs).
import { rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

export const FAILURE_FILE = resolve('test-artifacts/wtr-failures.txt');
export const FAILURE_DATA = resolve('test-artifacts/wtr-failures.json');

/** Removes both files, so that an earlier run's failures are never read as this run's. */
export function clearFailureFiles() {
  rmSync(FAILURE_FILE, { force: true });
  rmSync(FAILURE_DATA, { force: true });
}

/** The failed tests of a suite tree, as "suite > test: message" lines. */
function failedTests(suite, path = []) {
  if (!suite) return [];
  const here = suite.name ? [...path, suite.name] : path;
  const lines = suite.tests
    .filter((t) => !t.passed && !t.skipped)
    .map((t) => `    ✗ ${[...here, t.name].join(' > ')}: ${firstLines(t.error?.message ?? 'failed (no message)')}`);
  for (const child of suite.suites) lines.push(...failedTests(child, here));
  return lines;
}

const firstLines = (text, n = 6) => String(text).split('\n').slice(0, n).join('\n      ');

export function failureReporter() {
  return {
    start() {
      clearFailureFiles();
    },
    async onTestRunFinished({ sessions }) {
      const failed = sessions.filter((s) => s.passed === false || s.errors.length > 0);
      if (failed.length === 0) return;
      const lines = [`${failed.length} failed browser session(s):`];
      const data = [];
      for (const s of failed) {
        const file = s.testFile.replace(`${process.cwd()}/`, '');
        const tests = failedTests(s.testResults);
        data.push({ group: s.group.name, engine: s.browser.name, file, failedTests: tests.length });
        lines.push(`  [${s.group.name} / ${s.browser.name}] ${file} (status ${s.status})`);
        for (const e of s.errors) lines.push(`    error: ${firstLines(e.stack ?? e.message)}`);
        lines.push(...tests);
        // The page's last words: often what it was waiting for when it went silent.
        const logs = s.logs.slice(-5).map((args) => `    log: ${firstLines(args.map(String).join(' '), 2)}`);
        lines.push(...logs);
      }
      const text = lines.join('\n') + '\n';
      console.error(`\n${text}`);
      await mkdir(dirname(FAILURE_FILE), { recursive: true });
      await writeFile(FAILURE_FILE, text);
      await writeFile(FAILURE_DATA, JSON.stringify(data, null, 2) + '\n');
    },
  };
}

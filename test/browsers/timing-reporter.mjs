// A @web/test-runner reporter that prints how long each test file took, as
// files finish (one page at a time, so the gap between two reports is the
// file's time in that engine). Used by wtr.timing.config.mjs to find where
// the browser suites spend npm test's time budget.
export function timingReporter() {
  let last = Date.now();
  return {
    start() {
      last = Date.now();
    },
    reportTestFileResults({ testFile, sessionsForTestFile }) {
      const now = Date.now();
      console.log(`[timing] ${((now - last) / 1000).toFixed(1).padStart(6)} s  ${testFile.replace(`${process.cwd()}/`, '')} ${sessionsForTestFile.map((s) => s.browser.name).join(',')}`);
      last = now;
    },
  };
}

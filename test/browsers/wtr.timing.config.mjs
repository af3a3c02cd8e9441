// The browser suites with a line per test file saying how long it took; one engine at a time gives
// per-engine figures:
//
//   BROWSERS=firefox npx wtr --config test/browsers/wtr.timing.config.mjs --static-logging
import base from '../../web-test-runner.config.mjs';
import { timingReporter } from './timing-reporter.mjs';

export default { ...base, reporters: [...base.reporters, timingReporter()] };

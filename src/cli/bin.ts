#!/usr/bin/env node
import { main } from './main.js';

/** What a shell reports for a writer whose reader went away (128 + SIGPIPE), as `yes | head` gives under `pipefail`. */
const EXIT_SIGPIPE = 141;

// Output piped into `head` (or any reader that stops early): stop quietly, as a Unix filter does.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(EXIT_SIGPIPE);
    throw e;
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`digit-classifier: unexpected error: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);

#!/usr/bin/env node
import * as tf from '@tensorflow/tfjs-core';
import { main } from './main.js';

// The CLI is an application: production mode silences tfjs's debug notices
// (e.g. the CPU backend's advice to install tfjs-node, which this package does not use).
tf.enableProdMode();

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`digit-classifier: unexpected error: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);

/**
 * The Node side of the browser benchmark: the same rows (model, recipe,
 * subset, epochs) as bench-browser.mjs, trained in Node on WASM, so that the
 * worker's s/epoch has a like-for-like reference. Prints one JSON line.
 *
 *   node bench/build.mjs bench/bench-browser-node.ts '<rows JSON>'
 */
import { subsetMnist } from '../src/data/mnist-set.js';
import type { PresetName } from '../src/models/presets.js';
import { loadMnist } from '../src/node/load-mnist.js';
import { useNodeBackend } from '../src/node/node-backend.js';
import { nodeThreadHost } from '../src/node/node-thread-host.js';
import { Trainer, type TrainerOptions } from '../src/train/trainer.js';

interface NodeRow {
  name: string;
  model: PresetName;
  trainCount: number;
  testCount: number;
  config: TrainerOptions;
  /** Whether the browser row runs on a cross-origin isolated page: only there may the fused engine use 2 threads. */
  isolated: boolean;
}

const rows: NodeRow[] = JSON.parse(process.argv[2]);
const info = await useNodeBackend('wasm');
const { train, test } = await loadMnist();
const out: Record<string, { secondsPerEpochMeasured: number; epochSeconds: number[] }> = {};
for (const row of rows) {
  // Like for like: threads where the browser row may have them (an isolated page), one thread where it may not.
  const engine = row.config.engine?.use === 'tfjs' ? row.config.engine : { ...row.config.engine, ...(row.isolated ? { threadHost: nodeThreadHost } : { threads: 1 }) };
  const trainer = new Trainer({ model: row.model, seed: 0, ...row.config, engine });
  const history = await trainer.fit({ train: subsetMnist(train!, 0, row.trainCount), test: subsetMnist(test!, 0, row.testCount) }, { onWarning: () => {} });
  trainer.dispose();
  const epochSeconds = history.map((e) => e.seconds);
  out[row.name] = { secondsPerEpochMeasured: epochSeconds.reduce((a, b) => a + b, 0) / epochSeconds.length, epochSeconds };
}
process.stdout.write(`\nRESULT ${JSON.stringify({ node: process.version, wasmVariant: info.wasmVariant, rows: out })}\n`);

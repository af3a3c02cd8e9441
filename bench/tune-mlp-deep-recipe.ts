/**
 * Chooses the exercise's recipe (`train --model mlp-deep`) on a validation
 * split, never on the test set: trains on MNIST train 0–49,999 and reads
 * train 50,000–59,999 after every epoch, for each recipe given (fields of
 * `TrainConfig` over the preset's recipe). The test set is for `npm run bench`
 * (its `train-cli-mlp-deep` row), once a recipe is chosen.
 *
 *   node bench/build.mjs bench/tune-mlp-deep-recipe.ts '{}' '{"epochs":8}' '{"epochs":8,"learningRate":4e-3}'
 */
import { subsetMnist } from '../src/data/mnist-set.js';
import { loadMnist } from '../src/node/load-mnist.js';
import { useNodeBackend } from '../src/node/node-backend.js';
import { nodeThreadHost } from '../src/node/node-thread-host.js';
import { PRESET_RECIPES } from '../src/train/recipes.js';
import type { TrainConfig } from '../src/train/train-config.js';
import { Trainer } from '../src/train/trainer.js';

const recipes = process.argv.slice(2).map((s) => JSON.parse(s) as Partial<TrainConfig>);
if (!recipes.length) throw new Error("Give one or more recipes as JSON, e.g. '{}' '{\"epochs\":8}'");
await useNodeBackend('wasm');
const { train } = await loadMnist({ split: 'train' });
const fit = subsetMnist(train!, 0, 50_000);
const validation = subsetMnist(train!, 50_000, 10_000);
const rows: string[] = [];
for (const recipe of recipes) {
  const config = { ...PRESET_RECIPES['mlp-deep'], ...recipe };
  const trainer = new Trainer({ model: 'mlp-deep', ...config, engine: { use: 'fused', threadHost: nodeThreadHost } });
  const t0 = performance.now();
  const epochs = await trainer.fit({ train: fit, test: validation });
  const seconds = (performance.now() - t0) / 1000;
  trainer.dispose();
  const curve = epochs.map((e) => (e.accuracy * 100).toFixed(2)).join(' ');
  rows.push(`${JSON.stringify(recipe).padEnd(60)} validation ${(epochs.at(-1)!.accuracy * 100).toFixed(2)} % after ${epochs.length} epochs in ${seconds.toFixed(1)} s  [${curve}]`);
  console.log(rows.at(-1));
}
console.log(`\nmlp-deep recipes on a validation split (train 50,000 / validation 10,000 of MNIST train); preset recipe ${JSON.stringify(PRESET_RECIPES['mlp-deep'])}:\n${rows.join('\n')}`);
process.exit(0);

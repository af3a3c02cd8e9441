/**
 * Chooses `adapt`'s settings on the development writers of `test/synthetic/`
 * only (the held-out ones are for `bench/adapt-bench.ts`): for each setting
 * given, every development writer's 200 other drawings read after adapting to
 * one drawing of each digit, and MNIST train 50,000–59,999 (never rehearsed:
 * the replay is the first 10,000) read before and after.
 *
 *   node bench/build.mjs bench/adapt-tune-dev.ts '{"learningRate":1e-3}' '{"learningRate":5e-4}'
 */
import { subsetMnist } from '../src/data/mnist-set.js';
import { loadMnist } from '../src/node/load-mnist.js';
import { useNodeBackend } from '../src/node/node-backend.js';
import { loadPretrained } from '../src/pretrained/load-pretrained.js';
import { Trainer, type AdaptOptions } from '../src/train/trainer.js';
import { DEVELOPMENT_WRITERS, writerDrawings } from '../test/synthetic/index.js';

const model = (process.env.MODEL ?? 'cnn') as 'cnn' | 'mlp';
const settings = process.argv.slice(2).map((s) => JSON.parse(s) as AdaptOptions);
await useNodeBackend('wasm');
const { train } = await loadMnist({ split: 'train' });
const replay = subsetMnist(train!, 0, 10_000);
const unseen = subsetMnist(train!, 50_000, 10_000);
const base = loadPretrained(model);
const reference = new Trainer({ model: base });
const mnistBefore = (await reference.evaluate(unseen)).accuracy;
const writers = DEVELOPMENT_WRITERS.map((w) => {
  const d = writerDrawings(w, { perDigit: 21, seed: 1 });
  return { w, examples: { images: d.images.slice(0, 7840), labels: Array.from(d.labels.subarray(0, 10)) }, others: d.images.slice(7840), labels: d.labels.subarray(10) };
});
for (const s of settings) {
  const rows: { w: string; after: number; drop: number }[] = [];
  for (const { w, examples, others, labels } of writers) {
    const t = new Trainer({ model: base });
    await t.adapt(examples, { ...s, replay, seed: 1 });
    const p = await t.predictBatch(others);
    const after = p.filter((x, i) => x.digit === labels[i]).length / labels.length;
    rows.push({ w, after, drop: (mnistBefore - (await t.evaluate(unseen)).accuracy) * 100 });
    t.dispose();
  }
  const worst = rows.reduce((a, b) => (b.after < a.after ? b : a));
  const mean = rows.reduce((a, r) => a + r.after, 0) / rows.length;
  const drops = rows.map((r) => r.drop).sort((a, b) => b - a);
  console.log(`${JSON.stringify(s)}: overall ${(mean * 100).toFixed(2)} %, worst ${worst.w} ${(worst.after * 100).toFixed(1)} %, MNIST drop worst ${drops[0].toFixed(2)} / mean ${(drops.reduce((a, b) => a + b, 0) / drops.length).toFixed(2)} points, over 0.3: ${drops.filter((d) => d > 0.3).length} of ${rows.length}`);
}

/**
 * Chooses `adapt`'s settings on the development writers of `test/synthetic/`
 * only (the held-out ones are for `bench/adapt-bench.ts`): for each setting
 * given, every development writer's 200 other drawings read after adapting to
 * one drawing of each digit, and MNIST train 50,000–59,999 (never rehearsed:
 * the replay is the first 10,000) read before and after. Fields other than
 * `AdaptOptions` (`ownShare`, `batchSize`) override the resolved settings.
 *
 * The frozen trunk's features of the drawings read and of the MNIST digits are
 * computed once, so each adaptation costs about what `Trainer.adapt` costs
 * (a model whose every layer is tuned, the MLP, reads from the pixels).
 *
 *   node bench/build.mjs bench/adapt-tune-dev.ts '{"learningRate":1e-3}' '{"learningRate":5e-4}'
 *   MODEL=DIR node bench/build.mjs bench/adapt-tune-dev.ts '{}'   # another starting model (cnn, mlp or a folder)
 */
import { subsetMnist, type MnistSet } from '../src/data/mnist-set.js';
import { loadModelArg } from '../src/cli/model-arg.js';
import { loadMnist } from '../src/node/load-mnist.js';
import { useNodeBackend } from '../src/node/node-backend.js';
import { argmaxRow } from '../src/metrics/argmax.js';
import { Network } from '../src/models/network.js';
import { headLogits, headOf, trunkFeatures, type AdaptPool } from '../src/train/adapt-head.js';
import { adaptNetwork } from '../src/train/adapt-network.js';
import { checkAdaptExamples, resolveAdaptOptions, type AdaptOptions, type AdaptSettings } from '../src/train/adapt-types.js';
import { DEVELOPMENT_WRITERS, writerDrawings } from '../test/synthetic/index.js';

const { weights: base, label } = await loadModelArg(process.env.MODEL ?? 'cnn');
const settings = process.argv.slice(2).map((s) => JSON.parse(s) as AdaptOptions & Partial<AdaptSettings>);
await useNodeBackend('wasm');
const { train } = await loadMnist({ split: 'train' });
const replay = subsetMnist(train!, 0, 10_000);
const unseen = subsetMnist(train!, 50_000, 10_000);
const reference = Network.fromWeights(base);
const head = headOf(reference);
const writers = DEVELOPMENT_WRITERS.map((w) => {
  const d = writerDrawings(w, { perDigit: 21, seed: 1 });
  const others = d.images.slice(7840);
  const bytes = Uint8Array.from(others, (v) => Math.round(v * 255));
  return { w, examples: { images: d.images.slice(0, 7840), labels: Array.from(d.labels.subarray(0, 10)) }, others: features({ images: bytes, labels: d.labels.slice(10), count: others.length / 784, rows: 28, cols: 28 }), labels: d.labels.subarray(10) };
});
const mnist = await features(unseen);
const mnistBefore = await accuracyOf(mnist, unseen.labels);
console.log(`${label}: MNIST train 50,000–59,999 ${(mnistBefore * 100).toFixed(2)} % before`);
for (const s of settings) {
  const rows: { w: string; before: number; after: number; drop: number }[] = [];
  let seconds = 0;
  for (const { w, examples, others, labels } of writers) {
    const net = Network.fromWeights(base);
    const { learningRate, ...rest } = s;
    const resolved = { ...resolveAdaptOptions({ ...rest, learningRate, seed: 1 }), ...rest } as AdaptSettings;
    const result = await adaptNetwork(net, checkAdaptExamples(examples), replay, resolved, { checkpoint: async () => {} });
    seconds += result.seconds;
    const values = await Promise.all(net.params.map(async (p) => Float32Array.from((await p.data()) as Float32Array)));
    const tunedValues = head.dense.flatMap((d) => [values[d.param], values[d.param + 1]]);
    rows.push({
      w,
      before: await accuracyOf(await others, labels),
      after: await accuracyOf(await others, labels, tunedValues),
      drop: (mnistBefore - (await accuracyOf(mnist, unseen.labels, tunedValues))) * 100,
    });
    net.dispose();
  }
  const worst = rows.reduce((a, b) => (b.after < a.after ? b : a));
  const mean = (f: (r: (typeof rows)[number]) => number) => rows.reduce((a, r) => a + f(r), 0) / rows.length;
  const drops = rows.map((r) => r.drop).sort((a, b) => b - a);
  const worse = rows.filter((r) => r.after < r.before).map((r) => r.w);
  console.log(`${JSON.stringify(s)}: overall ${(mean((r) => r.before) * 100).toFixed(2)} → ${(mean((r) => r.after) * 100).toFixed(2)} %, worst ${worst.w} ${(worst.after * 100).toFixed(1)} %, MNIST drop worst ${drops[0].toFixed(2)} / mean ${mean((r) => r.drop).toFixed(2)} points, over 0.3: ${drops.filter((d) => d > 0.3).length}, over 0.15: ${drops.filter((d) => d > 0.15).length} of ${rows.length}; read worse after: ${worse.length ? worse.join(', ') : 'none'}; adapt ${(seconds / rows.length).toFixed(2)} s a writer`);
  if (process.env.VERBOSE) for (const r of rows) console.log(`  ${r.w.padEnd(26)} ${(r.before * 100).toFixed(1)} → ${(r.after * 100).toFixed(1)} %  MNIST −${r.drop.toFixed(2)}`);
}

/** The trunk's features of a set (for a head-only adaptation; the pixels themselves when every layer is tuned). */
function features(set: MnistSet): Promise<{ features: Float32Array; width: number }> {
  const pool: AdaptPool = { pixels: set.images, labels: set.labels, own: 0, originals: 0, count: set.count };
  return trunkFeatures(reference, head, pool, async () => {});
}

/** Fraction of the set (as features) whose largest digit logit is its label, with the head's `values` or the reference's own. */
async function accuracyOf(f: { features: Float32Array; width: number }, labels: Uint8Array, values?: Float32Array[]): Promise<number> {
  const n = labels.length;
  const z = await headLogits(reference, head, f, 0, n, values);
  const classes = z.length / n;
  let right = 0;
  for (let i = 0; i < n; i++) if (argmaxRow(z, i * classes, Math.min(10, classes)) === labels[i]) right++;
  return right / n;
}

/**
 * Backend choice at run time in a Chromium without WebGPU: `auto` passes over
 * WebGPU and says why, the pure-JS CPU backend trains too, and the `.wasm`
 * files are found next to the worker bundle by default or wherever
 * `wasmPaths` says.
 */
import type { BatchProgress, TrainerClient } from '../../workers/index.js';
import { api, WORKER_URL } from './helpers/api.js';
import { assert, equal, headTail, sleep } from './helpers/assert.js';
import { smallMnist } from './helpers/mnist.js';

describe('backend choice without WebGPU', () => {
  let trainer: TrainerClient | undefined;
  afterEach(async () => {
    await trainer?.terminate();
    trainer = undefined;
  });

  it('auto takes SIMD WASM, says why WebGPU was passed over, measures tfjs WASM and the fused engine on the model to train, and takes the faster', async () => {
    trainer = await api.createTrainer({ backend: 'auto' }); // the default model, the lesson's MLP
    const b = trainer.backend;
    equal(b.name, 'wasm', 'backend');
    equal(b.requested, 'auto', 'requested');
    equal(b.wasmVariant, 'simd', 'variant');
    equal(b.crossOriginIsolated, false, 'cross-origin isolated');
    equal(b.passedOver[0]?.backend, 'webgpu', 'first passed over');
    assert(/requestAdapter\(\) returned no adapter|navigator\.gpu is missing/.test(b.passedOver[0].reason), `WebGPU's reason: ${b.passedOver[0].reason}`);
    assert(b.initMs > 0 && b.initMs < 10_000, `init time ${b.initMs} ms`);
    const c = b.calibration ?? [];
    equal(c.map((e) => `${e.backend}/${e.engine}`).sort().join(' '), 'wasm/fused wasm/tfjs', 'candidates measured');
    for (const e of c) assert(e.stepMs > 0 && e.steps >= 2, `${e.engine}: ${e.stepMs} ms over ${e.steps} steps`);
    assert(c[0].stepMs <= c[1].stepMs, 'fastest first');
    equal(b.trainingEngine?.name, c[0].engine, 'the faster one trains');
    const slower = b.passedOver.find((p) => p.backend === 'wasm' && (p.engine ?? 'tfjs') === c[1].engine && p.variant === undefined);
    assert(slower && /measured [\d.]+ ms per training step, against [\d.]+ ms/.test(slower.reason), `the slower one is passed over with its figure: ${JSON.stringify(b.passedOver)}`);
    if (b.trainingEngine?.name === 'fused') assert(b.trainingEngine.variant!.reasons.some((r) => /thread/.test(r)), `thread decision explained: ${b.trainingEngine.variant!.reasons}`);
    // Training runs on what was chosen.
    await trainer.setData(await smallMnist(640, 100));
    const [epoch] = await trainer.fit();
    equal(epoch.engine, c[0].engine, 'engine of the epoch');
  });

  it('the preset CNN is calibrated on tfjs WASM and on the fused engine, and trains on the faster', async () => {
    trainer = await api.createTrainer({ backend: 'auto', model: 'cnn' });
    const c = trainer.backend.calibration ?? [];
    equal(c.filter((e) => e.backend === 'wasm').map((e) => e.engine).sort().join(' '), 'fused tfjs', 'WASM candidates measured');
    equal(trainer.backend.trainingEngine?.name, c[0].engine, 'engine: the fastest candidate');
  });

  it('trains 200 steps on the pure-JS CPU backend with falling loss', async () => {
    trainer = await api.createTrainer({ backend: 'cpu', model: 'mlp', batchSize: 32, epochs: 1, seed: 2 });
    equal(trainer.backend.name, 'cpu', 'backend');
    await trainer.setData(await smallMnist(6400, 200));
    const losses: number[] = [];
    const [epoch] = await trainer.fit({ onBatch: (p: BatchProgress) => void losses.push(p.loss) });
    equal(losses.length, 200, 'steps');
    const { head, tail } = headTail(losses, 20);
    assert(tail < head * 0.5, `loss falls on CPU: ${head.toFixed(3)} → ${tail.toFixed(3)}`);
    assert(epoch.accuracy > 0.8, `held-out accuracy ${epoch.accuracy}`);
  });

  it('trains 100 CNN steps on WASM with falling loss (the fused engine in the worker)', async () => {
    trainer = await api.createTrainer({ backend: 'wasm', model: 'cnn', batchSize: 32, epochs: 1, seed: 3, optimizer: 'adam', learningRate: 2e-3 });
    await trainer.setData(await smallMnist(3200, 200));
    const losses: number[] = [];
    await trainer.fit({ onBatch: (p) => void losses.push(p.loss) });
    const { head, tail } = headTail(losses, 15);
    assert(tail < head * 0.6, `CNN loss falls: ${head.toFixed(3)} → ${tail.toFixed(3)}`);
  });

  it('finds the .wasm files through wasmPaths (a folder relative to the page, or a map), and accepts a worker the page started earlier', async () => {
    trainer = await api.createTrainer({ backend: 'wasm', wasmPaths: '/node_modules/@tensorflow/tfjs-backend-wasm/dist/' });
    equal(trainer.backend.wasmUrl, new URL('/node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm', location.origin).href, 'a folder relative to the page');
    await trainer.terminate();
    const dir = new URL('/node_modules/@tensorflow/tfjs-backend-wasm/dist/', location.origin).href;
    const map = Object.fromEntries(['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'].map((f) => [f, dir + f]));
    const worker = new Worker(WORKER_URL, { type: 'module' });
    await sleep(1500); // its first "ready" went unheard: the client's hello must bring another
    trainer = await api.createTrainer({ backend: 'wasm', wasmPaths: map, worker });
    equal(trainer.backend.wasmUrl, map['tfjs-backend-wasm-simd.wasm'], 'backend with a map, in a worker the page started');
  });
});

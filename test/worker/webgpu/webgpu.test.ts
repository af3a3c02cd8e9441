/**
 * WebGPU in Chromium started with --enable-unsafe-webgpu: on this GPU-less
 * machine the only adapter is SwiftShader (software), so `auto` passes it over
 * for WASM unless told otherwise, a forced WebGPU trains (slowly, so the runs
 * are small), and a lost device moves training to WASM from the last
 * completed batch (figures for the reliability report: `faults-webgpu-device-loss`).
 */
import { executeServerCommand } from '@web/test-runner-commands';
import type { BackendChange, BatchProgress, TrainerClient } from '../../../workers/index.js';
import { api, FIXTURE } from '../helpers/api.js';
import { assert, equal, headTail, waitFor } from '../helpers/assert.js';
import { smallMnist } from '../helpers/mnist.js';
import { seededRandom } from '../../shared/seeded-random.js';

describe('WebGPU (SwiftShader)', () => {
  let trainer: TrainerClient | undefined;
  afterEach(async () => {
    await trainer?.terminate();
    trainer = undefined;
  });

  it('auto passes over the software adapter for WASM, and says so', async () => {
    trainer = await api.createTrainer({ backend: 'auto' });
    equal(trainer.backend.name, 'wasm', 'backend');
    const webgpu = trainer.backend.passedOver.find((p) => p.backend === 'webgpu');
    assert(webgpu && /software fallback/.test(webgpu.reason), `reason: ${webgpu?.reason}`);
  });

  it('auto with allowFallbackAdapter measures WebGPU after its self-test beside WASM and the fused engine, and takes the fastest', async () => {
    trainer = await api.createTrainer({ backend: 'auto', allowFallbackAdapter: true });
    const b = trainer.backend;
    const c = b.calibration ?? [];
    equal(c.map((e) => `${e.backend}/${e.engine}`).sort().join(' '), 'wasm/fused wasm/tfjs webgpu/tfjs', 'candidates measured');
    equal(b.name, c[0].backend, 'the fastest backend runs');
    const gpu = c.find((e) => e.backend === 'webgpu')!;
    assert(gpu.stepMs > 0, `WebGPU step ${gpu.stepMs} ms`);
    if (b.name === 'webgpu') assert(b.adapter?.isFallbackAdapter === true, 'adapter reported as fallback');
    else assert(b.passedOver.some((p) => p.backend === 'webgpu' && /measured/.test(p.reason)), `WebGPU passed over with its figure: ${JSON.stringify(b.passedOver)}`);
  });

  // One WebGPU worker for both: each start costs seconds of CPU on SwiftShader.
  it('trains the MLP on a forced WebGPU backend with falling loss, reporting the adapter', async () => {
    trainer = await api.createTrainer({ backend: 'webgpu', model: 'mlp', batchSize: 32, epochs: 1, seed: 5, learningRate: 0.2 });
    const b = trainer.backend;
    equal(b.name, 'webgpu', 'backend');
    equal(b.passedOver.length, 0, 'nothing passed over');
    assert(b.adapter?.isFallbackAdapter === true, 'adapter reported as fallback');
    assert(`${b.adapter.vendor} ${b.adapter.architecture} ${b.adapter.description}`.trim().length > 0, `adapter info: ${JSON.stringify(b.adapter)}`);
    await trainer.setData(await smallMnist(960, 200)); // 30 batches: each costs about 0.9 s of CPU on SwiftShader
    const losses: number[] = [];
    const [epoch] = await trainer.fit({ onBatch: (p) => void losses.push(p.loss) });
    equal(losses.length, 30, 'steps');
    const { head, tail } = headTail(losses, 10);
    assert(tail < head * 0.6, `loss falls on WebGPU: ${head.toFixed(3)} → ${tail.toFixed(3)}`);
    assert(epoch.accuracy > 0.6, `held-out accuracy ${epoch.accuracy}`);
    const before = (await trainer.memory()).numTensors;
    await trainer.dispose();
    equal((await trainer.memory()).numTensors, 0, `tensors after dispose (were ${before})`);
  });

  it('continues on WASM from the last completed batch when the device is lost, and reports it', async function () {
    // npm test loses the device once; npm run reliability:long six times, at seeded random batches, with each optimizer.
    const { mode } = (await executeServerCommand('reliability-config')) as { mode: 'fast' | 'long' };
    const losses = mode === 'long' ? 6 : 1;
    this.timeout(losses * 120_000);
    const next = seededRandom(31);
    const optimizers = ['momentum', 'adam', 'sgd'] as const;
    const runs: { optimizer: string; at: number; before: number; after: number; accuracy: number; tensors: number; reason: string }[] = [];
    const mean = (xs: BatchProgress[]) => xs.reduce((a, b) => a + b.loss, 0) / xs.length;
    for (let i = 0; i < losses; i++) {
      const optimizer = optimizers[i % optimizers.length];
      trainer = await api.createTrainer({ workerUrl: FIXTURE('test-hooks-worker.js'), backend: 'webgpu', model: 'mlp', optimizer, learningRate: { momentum: 0.02, adam: 0.002, sgd: 0.1 }[optimizer], batchSize: 32, epochs: 1, seed: 6 + i });
      await trainer.setData(await smallMnist(3200, 200));
      const batches: BatchProgress[] = [];
      const changes: BackendChange[] = [];
      const run = trainer.fit({ onBatch: (p) => void batches.push(p), onBackendChange: (c) => void changes.push(c) });
      const after = i === 0 ? 5 : 2 + Math.floor(next() * 80);
      await waitFor(() => batches.length >= after, `${after} batches on WebGPU`);
      trainer.worker.postMessage({ testCommand: 'lose-device' });
      const [epoch] = await run;
      equal(changes.length, 1, 'backend changes');
      const change = changes[0];
      equal(change.from.name, 'webgpu', 'from');
      equal(change.to.name, 'wasm', 'to');
      assert(/device was lost \(destroyed/.test(change.reason), `reason: ${change.reason}`);
      equal(trainer.backend.name, 'wasm', 'client.backend after the change');
      assert(trainer.backend.passedOver[0].backend === 'webgpu', 'WebGPU listed as passed over, with the reason');
      // Every batch reported once, in order: the failed one was repeated on WASM, none was skipped.
      equal(batches.map((b) => b.batch).join(','), Array.from({ length: 100 }, (_, j) => j + 1).join(','), 'batches 1..100');
      assert(change.at.batch > after && change.at.batch <= 100, `failure point ${JSON.stringify(change.at)} after batch ${after}`);
      const { head, tail } = headTail(batches.map((b) => b.loss), 10);
      assert(tail < head * 0.6, `${optimizer}: loss keeps falling across the switch: ${head.toFixed(3)} → ${tail.toFixed(3)}`);
      assert(epoch.accuracy > 0.7, `${optimizer}: held-out accuracy ${epoch.accuracy}`);
      const memory = await trainer.memory();
      equal(memory.backend, 'wasm', 'tfjs backend in the worker');
      const weights = await trainer.getWeights();
      assert(weights.weights.every((w) => w.values.every(Number.isFinite)), 'every weight finite after the switch');
      await trainer.dispose();
      equal((await trainer.memory()).numTensors, 0, 'tensors after dispose()');
      runs.push({
        optimizer, at: change.at.batch, accuracy: epoch.accuracy, tensors: memory.numTensors, reason: change.reason.replace(/batch \d+/, 'batch N'),
        before: mean(batches.filter((b) => b.batch < change.at.batch).slice(-5)), after: mean(batches.filter((b) => b.batch >= change.at.batch).slice(0, 5)),
      });
      await trainer.terminate();
      trainer = undefined;
    }
    const accuracies = runs.map((r) => r.accuracy * 100);
    await executeServerCommand('reliability-result', {
      name: 'faults-webgpu-device-loss',
      data: {
        check: 'faults', held: true, seed: 31,
        figures: Object.entries({
          'devices lost mid-epoch': `${runs.length} (${[...new Set(runs.map((r) => r.optimizer))].join(', ')})`,
          'destroyed during batch': runs.map((r) => `${r.at} (${r.optimizer})`).join(', ') + ' of 100',
          'moved to': 'WASM (SIMD), every time',
          'batches reported': `1–100 once each in every run, none skipped (the failed batch repeated on WASM)`,
          'mean loss, 5 batches before → 5 after': runs.map((r) => `${r.before.toFixed(3)} → ${r.after.toFixed(3)}`).join('; '),
          'held-out accuracy after the epoch': `${Math.min(...accuracies).toFixed(1)}–${Math.max(...accuracies).toFixed(1)} %`,
          'weights finite after the switch': `${runs.length} of ${runs.length}`,
          'tensors in the worker after the run / after dispose()': `${[...new Set(runs.map((r) => r.tensors))].join(', ')} / 0`,
          'backend change reported to the page': `once a run, reason "${runs[0].reason}"`,
        }),
        notes: 'The built worker in Chromium with --enable-unsafe-webgpu on SwiftShader (this machine has no GPU); the device is destroyed from inside the worker (`GPUDevice.destroy()`), which is how a GPU reset looks to the page. The lesson MLP, batch 32 on 3,200 digits: the weights and the optimizer state (momentum, Adam moments) of the last completed batch move to WASM; that a recovered run ends exactly where an unbroken one does is checked in Node (test/core/trainer.test.ts).',
      },
    });
  });
});

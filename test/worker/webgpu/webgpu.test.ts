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

  it('auto with allowFallbackAdapter takes WebGPU after its self-test, reporting the adapter', async () => {
    trainer = await api.createTrainer({ backend: 'auto', allowFallbackAdapter: true });
    const b = trainer.backend;
    equal(b.name, 'webgpu', 'backend');
    equal(b.passedOver.length, 0, 'nothing passed over');
    assert(b.adapter?.isFallbackAdapter === true, 'adapter reported as fallback');
    assert(`${b.adapter.vendor} ${b.adapter.architecture} ${b.adapter.description}`.trim().length > 0, `adapter info: ${JSON.stringify(b.adapter)}`);
  });

  it('trains the MLP on a forced WebGPU backend with falling loss', async () => {
    trainer = await api.createTrainer({ backend: 'webgpu', model: 'mlp', batchSize: 32, epochs: 1, seed: 5, learningRate: 0.1 });
    equal(trainer.backend.name, 'webgpu', 'backend');
    await trainer.setData(await smallMnist(1920, 200));
    const losses: number[] = [];
    const [epoch] = await trainer.fit({ onBatch: (p) => void losses.push(p.loss) });
    equal(losses.length, 60, 'steps');
    const { head, tail } = headTail(losses, 10);
    assert(tail < head * 0.6, `loss falls on WebGPU: ${head.toFixed(3)} → ${tail.toFixed(3)}`);
    assert(epoch.accuracy > 0.6, `held-out accuracy ${epoch.accuracy}`);
    const before = (await trainer.memory()).numTensors;
    await trainer.dispose();
    equal((await trainer.memory()).numTensors, 0, `tensors after dispose (were ${before})`);
  });

  it('continues on WASM from the last completed batch when the device is lost, and reports it', async () => {
    trainer = await api.createTrainer({ workerUrl: FIXTURE('test-hooks-worker.js'), backend: 'webgpu', model: 'mlp', optimizer: 'momentum', learningRate: 0.02, batchSize: 32, epochs: 1, seed: 6 });
    await trainer.setData(await smallMnist(3200, 200));
    const batches: BatchProgress[] = [];
    const changes: BackendChange[] = [];
    const run = trainer.fit({ onBatch: (p) => void batches.push(p), onBackendChange: (c) => void changes.push(c) });
    await waitFor(() => batches.length >= 5, '5 batches on WebGPU');
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
    equal(batches.map((b) => b.batch).join(','), Array.from({ length: 100 }, (_, i) => i + 1).join(','), 'batches 1..100');
    assert(change.at.batch > 5 && change.at.batch <= 100, `failure point ${JSON.stringify(change.at)}`);
    const { head, tail } = headTail(batches.map((b) => b.loss), 10);
    assert(tail < head * 0.6, `loss keeps falling across the switch: ${head.toFixed(3)} → ${tail.toFixed(3)}`);
    assert(epoch.accuracy > 0.7, `held-out accuracy ${epoch.accuracy}`);
    const memory = await trainer.memory();
    equal(memory.backend, 'wasm', 'tfjs backend in the worker');
    const weights = await trainer.getWeights();
    assert(weights.weights.every((w) => w.values.every(Number.isFinite)), 'every weight finite after the switch');
    const tensorsAfter = memory.numTensors;
    await trainer.dispose();
    equal((await trainer.memory()).numTensors, 0, 'tensors after dispose()');
    const lossBefore = batches.filter((b) => b.batch < change.at.batch).slice(-5);
    const lossAfter = batches.filter((b) => b.batch >= change.at.batch).slice(0, 5);
    const mean = (xs: BatchProgress[]) => xs.reduce((a, b) => a + b.loss, 0) / xs.length;
    await executeServerCommand('reliability-result', {
      name: 'faults-webgpu-device-loss',
      data: {
        check: 'faults', held: true,
        figures: Object.entries({
          'device destroyed during': `epoch ${change.at.epoch}, batch ${change.at.batch} of 100`,
          'moved to': `${change.to.name} (${change.to.wasmVariant ?? ''})`.replace(' ()', ''),
          'batches reported': `${batches.length}: 1–100 once each, none skipped (the failed batch repeated on WASM)`,
          'mean loss, 5 batches before → 5 after': `${mean(lossBefore).toFixed(3)} → ${mean(lossAfter).toFixed(3)}`,
          'held-out accuracy after the epoch': `${(epoch.accuracy * 100).toFixed(1)} %`,
          'weights finite after the switch': 'yes',
          'tensors in the worker after the run / after dispose()': `${tensorsAfter} / 0`,
          'backend change reported to the page': `once, reason "${change.reason}"`,
        }),
        notes: 'The built worker in Chromium with --enable-unsafe-webgpu on SwiftShader (this machine has no GPU); the device is destroyed from inside the worker (`GPUDevice.destroy()`), which is how a GPU reset looks to the page. The lesson MLP with momentum, batch 32 on 3,200 digits: the weights and the momentum of the last completed batch move to WASM (that the run then ends exactly where an unbroken one does is checked in Node, test/core/trainer.test.ts).',
      },
    });
  });
});

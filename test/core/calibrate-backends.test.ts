import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { mlpSpec, presetSpec } from '../../src/models/presets.js';
import { useNodeBackend } from '../../src/node/node-backend.js';
import { nodeThreadHost } from '../../src/node/node-thread-host.js';
import { CALIBRATION_BUDGET_MS, calibrateFused, calibrateTfjs } from '../../workers/calibrate-backends.js';

// The worker's `auto` calibration, run in Node on the same code paths (the browser test checks the choice it makes).
describe('backend calibration (a few training steps per candidate)', () => {
  beforeAll(async () => {
    await useNodeBackend('wasm');
  });

  it('times tfjs WASM steps of an MLP and a CNN, leaking no tensors', async () => {
    const before = tf.memory().numTensors;
    for (const spec of [presetSpec('mlp'), presetSpec('cnn')]) {
      const r = await calibrateTfjs(spec, CALIBRATION_BUDGET_MS / 3);
      expect(r.steps).toBeGreaterThanOrEqual(2);
      expect(r.steps).toBeLessThanOrEqual(50);
      expect(r.stepMs).toBeGreaterThan(0);
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('times the fused engine on 1 and 2 threads and reports the variant it ran', async () => {
    for (const threads of [1, 2]) {
      const r = await calibrateFused(mlpSpec({ hidden: [64] }), { threads, threadHost: nodeThreadHost }, 50);
      expect(r.steps).toBeGreaterThanOrEqual(2);
      expect(r.stepMs).toBeGreaterThan(0);
      expect(r.variant.threads).toBe(threads);
      expect(r.variant.simd).toMatch(/^(simd128|relaxed-simd)$/);
    }
    const cnn = await calibrateFused(presetSpec('cnn'), { threads: 1 }, 50); // the CNN engine
    expect(cnn.steps).toBeGreaterThanOrEqual(2);
    expect(cnn.variant.threads).toBe(1);
  });
});

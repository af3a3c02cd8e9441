/**
 * The {@link DenseEngine} implementation of both fused engines (dense networks,
 * the preset CNN): owns one WebAssembly instance and its memory (weights,
 * optimizer slots, activations, the uint8 data set) and, when threaded, the
 * helper threads that share that memory. What differs lives in the plan.
 */
import type { DenseEngine, DenseEngineOptions, HelperThread, KernelVariant } from './dense-engine.js';
import type { ModelWeights } from '../models/spec.js';
import type { OptimizerState } from '../train/optimizer.js';
import { CNN_SHAPE, CTRL } from './generated/dense-train-wasm.js';
import { INPUT_WIDTH, packKernel, unpackKernel, type DenseLayerPlan, type EnginePlan } from './engine-layout.js';
import { writeEngineControl, writeLearningRate } from './engine-control.js';
import { BackendError, InvalidOptionError, ModelFormatError } from '../errors.js';
import { ThreadGovernor } from './thread-governor.js';

const PAGE = 65536;

interface Exports {
  train_step(): number;
  forward(rows: number): void;
  stop_helpers?(): void;
  x32_packw_transpose(w: number, k: number, n: number, wt: number, k0: number, k1: number): void;
}

/** Keras shape of a layer's kernel. */
const kernelShape = (l: DenseLayerPlan): number[] => l.kernelShape ?? [l.inUnits, l.units];

export class FusedDenseEngine implements DenseEngine {
  readonly variant: KernelVariant;
  private readonly options: DenseEngineOptions;
  private readonly plan: EnginePlan;
  private readonly memory: WebAssembly.Memory;
  private readonly exports: Exports;
  private readonly helpers: HelperThread[];
  private lr: number;
  private adamStep = 0;
  private count = 0;
  private disposed = false;
  private readonly governor: ThreadGovernor;

  constructor(options: DenseEngineOptions, variant: KernelVariant, memory: WebAssembly.Memory, instance: WebAssembly.Instance, helpers: HelperThread[], plan: EnginePlan) {
    this.options = options;
    this.variant = variant;
    this.memory = memory;
    this.exports = instance.exports as unknown as Exports;
    this.helpers = helpers;
    this.governor = new ThreadGovernor(variant.threads, options.threads === 'auto' || options.threads === undefined);
    this.plan = plan;
    this.lr = options.optimizer.learningRate;
    this.writeControl();
  }

  private get i32(): Int32Array {
    return new Int32Array(this.memory.buffer);
  }
  private get f32(): Float32Array {
    return new Float32Array(this.memory.buffer);
  }

  /** The control block: threads, spins, optimizer constants, normalisation, the layer table (see engine-control.ts). */
  private writeControl(): void {
    writeEngineControl(this.memory, this.options, this.variant, this.plan);
    this.writeLearningRate();
  }

  private writeLearningRate(): void {
    writeLearningRate(this.memory, this.options.optimizer, this.lr, this.adamStep);
  }

  private live(): void {
    if (this.disposed) throw new InvalidOptionError('The fused engine was disposed');
  }

  /** Threads the latest step used and why (with threads: 'auto', measured; see ThreadGovernor). */
  get threadDecision(): string {
    return this.governor.decision;
  }

  setWeights(model: ModelWeights): void {
    this.live();
    const tensors = this.plan.params.flatMap((l) => [
      { l, name: l.kernelName, shape: kernelShape(l) },
      { l, name: l.biasName, shape: [l.units] },
    ]);
    if (!model || !Array.isArray(model.weights) || model.weights.length !== tensors.length) {
      throw new ModelFormatError(`Expected ${tensors.length} weight tensors for the fused engine, got ${model?.weights?.length}`);
    }
    tensors.forEach((t, i) => {
      const got = model.weights[i];
      if (!got || got.shape?.join(',') !== t.shape.join(',') || got.values?.length !== t.shape.reduce((a, b) => a * b, 1)) {
        throw new ModelFormatError(`Expected ${t.name} of shape [${t.shape.join(', ')}], got ${got ? `${got.name} of shape [${got.shape?.join(', ')}]` : 'nothing'}`);
      }
      const bad = got.values.findIndex((v) => !Number.isFinite(v));
      if (bad >= 0) throw new ModelFormatError(`Expected finite values in ${t.name}, got ${got.values[bad]} at index ${bad}`);
    });
    const f32 = this.f32;
    this.plan.params.forEach((l, i) => {
      packKernel(l, model.weights[2 * i].values, f32.subarray(l.w / 4, l.w / 4 + l.k * l.n));
      f32.fill(0, l.b / 4, l.b / 4 + l.n);
      f32.set(model.weights[2 * i + 1].values, l.b / 4);
    });
    // Every dense layer but the first, and the CNN's conv2 kernel, also live transposed (for the dX
    // GEMMs, dCols2 = dC2·W2ᵀ); each step re-packs the rows it updates.
    for (const l of this.plan.layers) if (l.wt) this.exports.x32_packw_transpose(l.w, l.k, l.n, l.wt, 0, l.k);
    const cnn = this.plan.cnn;
    if (cnn) this.exports.x32_packw_transpose(cnn.w2, CNN_SHAPE.k2, CNN_SHAPE.c2, cnn.w2t, 0, CNN_SHAPE.k2);
  }

  getWeights(): ModelWeights {
    this.live();
    const f32 = this.f32;
    const weights = this.plan.params.flatMap((l) => [
      { name: l.kernelName, shape: kernelShape(l), values: unpackKernel(l, f32.subarray(l.w / 4, l.w / 4 + l.k * l.n)) },
      { name: l.biasName, shape: [l.units], values: f32.slice(l.b / 4, l.b / 4 + l.units) },
    ]);
    return { spec: this.options.spec, weights };
  }

  private slotsPerParam(): number {
    const name = this.options.optimizer.name;
    return name === 'adam' ? 2 : name === 'momentum' ? 1 : 0;
  }

  getOptimizerState(): OptimizerState {
    this.live();
    const f32 = this.f32;
    const per = this.slotsPerParam();
    const slots = this.plan.params.flatMap((l) => [
      [l.w1, l.w2].slice(0, per).map((p) => ({ shape: kernelShape(l), values: unpackKernel(l, f32.subarray(p / 4, p / 4 + l.k * l.n)) })),
      [l.b1, l.b2].slice(0, per).map((p) => ({ shape: [l.units], values: f32.slice(p / 4, p / 4 + l.units) })),
    ]);
    return { name: this.options.optimizer.name, step: this.adamStep, slots: per === 0 ? [] : slots };
  }

  setOptimizerState(state: OptimizerState): void {
    this.live();
    const per = this.slotsPerParam();
    const name = this.options.optimizer.name;
    if (!state || state.name !== name) throw new InvalidOptionError(`Expected optimizer state for "${name}", got "${state?.name}"`);
    if (!Number.isInteger(state.step) || state.step < 0) throw new InvalidOptionError(`Expected a step count >= 0, got ${state.step}`);
    const params = this.plan.params.length * 2;
    if (per > 0 && state.slots.length !== params) throw new InvalidOptionError(`Expected slots for ${params} parameters, got ${state.slots.length}`);
    const f32 = this.f32;
    for (const l of this.plan.params) for (const p of [l.w1, l.w2]) f32.fill(0, p / 4, p / 4 + l.k * l.n);
    for (const l of this.plan.params) for (const p of [l.b1, l.b2]) f32.fill(0, p / 4, p / 4 + l.n);
    this.plan.params.forEach((l, i) => {
      [l.w1, l.w2].slice(0, per).forEach((p, s) => {
        const slot = state.slots[2 * i][s];
        if (!slot || slot.values.length !== l.inUnits * l.units || !slot.values.every(Number.isFinite)) throw new InvalidOptionError(`Optimizer slot ${s} of ${l.kernelName}: expected ${l.inUnits * l.units} finite values`);
        packKernel(l, slot.values, f32.subarray(p / 4, p / 4 + l.k * l.n));
      });
      [l.b1, l.b2].slice(0, per).forEach((p, s) => {
        const slot = state.slots[2 * i + 1][s];
        if (!slot || slot.values.length !== l.units || !slot.values.every(Number.isFinite)) throw new InvalidOptionError(`Optimizer slot ${s} of ${l.biasName}: expected ${l.units} finite values`);
        f32.set(slot.values, p / 4);
      });
    });
    this.adamStep = state.step;
    this.writeLearningRate();
  }

  setLearningRate(lr: number): void {
    this.live();
    if (!(lr > 0) || !Number.isFinite(lr)) throw new InvalidOptionError(`Expected learningRate > 0, got ${lr}`);
    this.lr = lr;
    this.writeLearningRate();
  }

  setData(images: Uint8Array, labels: Uint8Array): void {
    this.live();
    if (!(images instanceof Uint8Array) || !(labels instanceof Uint8Array)) throw new InvalidOptionError('Expected images and labels as Uint8Array');
    const count = labels.length;
    if (count === 0 || images.length !== count * INPUT_WIDTH) throw new InvalidOptionError(`Expected ${count} × ${INPUT_WIDTH} image bytes for ${count} labels, got ${images.length}`);
    const bad = labels.findIndex((y) => y > 9);
    if (bad >= 0) throw new InvalidOptionError(`Expected labels 0–9, got ${labels[bad]} at index ${bad}`);
    const labelsAt = this.plan.dataStart;
    const imagesAt = labelsAt + Math.ceil(count / 64) * 64;
    this.ensureBytes(imagesAt + images.length);
    new Uint8Array(this.memory.buffer).set(labels, labelsAt);
    new Uint8Array(this.memory.buffer).set(images, imagesAt);
    const i32 = this.i32;
    i32[CTRL.labelsPtr / 4] = labelsAt;
    i32[CTRL.imagesPtr / 4] = imagesAt;
    this.count = count;
  }

  private ensureBytes(bytes: number): void {
    const have = this.memory.buffer.byteLength;
    if (bytes <= have) return;
    try {
      this.memory.grow(Math.ceil((bytes - have) / PAGE));
    } catch (e) {
      throw new InvalidOptionError(`The data set needs ${Math.ceil(bytes / 2 ** 20)} MiB of engine memory, more than it can grow to (${(e as Error).message})`, { cause: e });
    }
  }

  step(order: Int32Array, start: number, size: number): number {
    this.live();
    if (this.count === 0) throw new InvalidOptionError('Call setData before step');
    if (!(order instanceof Int32Array)) throw new InvalidOptionError('Expected order as an Int32Array');
    if (!Number.isInteger(size) || size < 1 || size > this.plan.maxBatch) throw new InvalidOptionError(`Expected a batch size in 1..${this.plan.maxBatch}, got ${size}`);
    if (!Number.isInteger(start) || start < 0 || start + size > order.length) throw new InvalidOptionError(`Expected start in 0..${order.length - size}, got ${start}`);
    const i32 = this.i32;
    const base = this.plan.order / 4;
    for (let r = 0; r < size; r++) {
      const idx = order[start + r];
      if (!(idx >= 0 && idx < this.count)) throw new InvalidOptionError(`Expected order[${start + r}] in 0..${this.count - 1}, got ${idx}`);
      i32[base + r] = idx;
    }
    i32[CTRL.batch / 4] = size;
    const threads = this.governor.next();
    i32[CTRL.threads / 4] = threads;
    const t0 = performance.now();
    let loss: number;
    try {
      loss = this.exports.train_step();
    } catch (e) {
      // Only a barrier that waited helperTimeoutMs for a helper thread traps; the engine cannot go on.
      this.dispose();
      throw new BackendError(`The fused engine's helper thread stopped answering (${(e as Error).message}); the engine was disposed`, { cause: e });
    }
    this.governor.record(threads, performance.now() - t0);
    if (Number.isFinite(loss) && this.options.optimizer.name === 'adam') {
      this.adamStep++;
      this.writeLearningRate();
    }
    return loss;
  }

  predictLogits(images: Uint8Array, count: number): Float32Array {
    this.live();
    if (!Number.isInteger(count) || count < 0 || !(images instanceof Uint8Array) || images.length !== count * INPUT_WIDTH) {
      throw new InvalidOptionError(`Expected ${count} × ${INPUT_WIDTH} image bytes, got ${images?.length}`);
    }
    const out = new Float32Array(count * 10);
    const last = this.plan.layers[this.plan.layers.length - 1];
    const i32 = this.i32;
    const saved = i32[CTRL.imagesPtr / 4];
    try {
      i32[CTRL.imagesPtr / 4] = this.plan.predictImages;
      for (let r = 0; r < this.plan.maxBatch; r++) i32[this.plan.order / 4 + r] = r;
      for (let at = 0; at < count; at += this.plan.maxBatch) {
        const rows = Math.min(this.plan.maxBatch, count - at);
        new Uint8Array(this.memory.buffer).set(images.subarray(at * INPUT_WIDTH, (at + rows) * INPUT_WIDTH), this.plan.predictImages);
        this.exports.forward(rows);
        const f32 = this.f32;
        for (let r = 0; r < rows; r++) out.set(f32.subarray(last.out / 4 + r * last.n, last.out / 4 + r * last.n + 10), (at + r) * 10);
      }
    } finally {
      i32[CTRL.imagesPtr / 4] = saved;
    }
    return out;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.helpers.length > 0) this.exports.stop_helpers?.();
    for (const h of this.helpers) h.terminate();
  }
}

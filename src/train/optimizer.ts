import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError } from '../errors.js';

import { OPTIMIZER_NAMES, type OptimizerName } from './optimizer-names.js';

export { OPTIMIZER_NAMES, type OptimizerName };

/** Settings of an optimizer. */
export interface OptimizerOptions {
  name: OptimizerName;
  learningRate: number;
  /** Momentum coefficient (momentum: 0.9); Adam's β1 comes from `beta1`. */
  momentum?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /**
   * Decoupled weight decay (AdamW style, `w -= lr·wd·w`) on kernels only,
   * never on biases. 0 disables it.
   */
  weightDecay?: number;
}

/**
 * Updates variables in place from gradients. It owns its slot tensors
 * (momentum, Adam moments) and constants; call {@link dispose} when done.
 */
export interface Optimizer {
  readonly options: Readonly<Required<OptimizerOptions>>;
  /** Applies one step. `decay[i]` says whether `params[i]` takes weight decay. */
  apply(params: tf.Variable[], grads: tf.Tensor[], decay: boolean[]): void;
  /** Changes the learning rate for the following steps (schedules). */
  setLearningRate(lr: number): void;
  /** A copy of the state that steps depend on (step count, momentum or Adam moments), read from any backend. */
  getState(): Promise<OptimizerState>;
  /**
   * Puts back a state from {@link getState}, possibly taken on another
   * backend (after a lost WebGPU device, training goes on exactly).
   * Throws an `InvalidOptionError` if it does not fit this optimizer.
   */
  setState(state: OptimizerState): void;
  dispose(): void;
}

/** What {@link Optimizer.getState} returns: plain numbers, no tensors. */
export interface OptimizerState {
  readonly name: OptimizerName;
  /** Steps taken (Adam's bias correction depends on it). */
  readonly step: number;
  /** Per parameter, its slots (none for SGD; `v` for momentum; `m`, `v` for Adam). */
  readonly slots: readonly (readonly { readonly shape: readonly number[]; readonly values: Float32Array }[])[];
}

/**
 * Creates an SGD, momentum (PyTorch form: `v = μv + g; w -= lr·v`) or Adam optimizer.
 *
 * @example
 * ```ts
 * const opt = createOptimizer({ name: 'adam', learningRate: 1e-3 });
 * ```
 */
export function createOptimizer(options: OptimizerOptions): Optimizer {
  const o: Required<OptimizerOptions> = {
    momentum: 0.9,
    beta1: 0.9,
    beta2: 0.999,
    epsilon: 1e-7,
    weightDecay: 0,
    ...options,
  };
  if (!OPTIMIZER_NAMES.includes(o.name)) throw new InvalidOptionError(`Unknown optimizer "${o.name}": expected one of ${OPTIMIZER_NAMES.join(', ')}`);
  if (!(o.learningRate > 0) || !Number.isFinite(o.learningRate)) throw new InvalidOptionError(`Expected learningRate > 0, got ${o.learningRate}`);
  if (!(o.weightDecay >= 0)) throw new InvalidOptionError(`Expected weightDecay >= 0, got ${o.weightDecay}`);
  if (!(o.momentum >= 0 && o.momentum < 1)) throw new InvalidOptionError(`Expected momentum in [0, 1), got ${o.momentum}`);
  return new TensorOptimizer(o);
}

class TensorOptimizer implements Optimizer {
  readonly options: Required<OptimizerOptions>;
  private slots: tf.Variable[][] = [];
  private step = 0;
  private lr: tf.Scalar;
  private decayFactor: tf.Scalar;

  constructor(options: Required<OptimizerOptions>) {
    this.options = options;
    this.lr = tf.keep(tf.scalar(options.learningRate));
    this.decayFactor = tf.keep(tf.scalar(1 - options.learningRate * options.weightDecay));
  }

  setLearningRate(lr: number): void {
    if (!(lr > 0)) throw new InvalidOptionError(`Expected learningRate > 0, got ${lr}`);
    this.options.learningRate = lr;
    this.lr.dispose();
    this.decayFactor.dispose();
    this.lr = tf.keep(tf.scalar(lr));
    this.decayFactor = tf.keep(tf.scalar(1 - lr * this.options.weightDecay));
  }

  apply(params: tf.Variable[], grads: tf.Tensor[], decay: boolean[]): void {
    const o = this.options;
    this.step++;
    if (this.slots.length === 0 && o.name !== 'sgd') {
      const n = o.name === 'adam' ? 2 : 1;
      this.slots = params.map((p) => Array.from({ length: n }, () => tf.variable(tf.zerosLike(p), false)));
    }
    tf.tidy(() => {
      // Adam's bias correction folded into one step size per step.
      const adamLr = o.name === 'adam' ? tf.scalar((o.learningRate * Math.sqrt(1 - o.beta2 ** this.step)) / (1 - o.beta1 ** this.step)) : null;
      params.forEach((p, i) => {
        const g = grads[i];
        const w: tf.Tensor = o.weightDecay > 0 && decay[i] ? tf.mul(p, this.decayFactor) : p;
        if (o.name === 'sgd') {
          p.assign(tf.sub(w, tf.mul(g, this.lr)));
        } else if (o.name === 'momentum') {
          const [v] = this.slots[i];
          const nv = tf.add(tf.mul(v, o.momentum), g);
          v.assign(nv);
          p.assign(tf.sub(w, tf.mul(nv, this.lr)));
        } else {
          const [m, v] = this.slots[i];
          const nm = tf.add(tf.mul(m, o.beta1), tf.mul(g, 1 - o.beta1));
          const nv = tf.add(tf.mul(v, o.beta2), tf.mul(tf.square(g), 1 - o.beta2));
          m.assign(nm);
          v.assign(nv);
          p.assign(tf.sub(w, tf.mul(adamLr!, tf.div(nm, tf.add(tf.sqrt(nv), o.epsilon)))));
        }
      });
    });
  }

  async getState(): Promise<OptimizerState> {
    const slots = await Promise.all(this.slots.map((s) => Promise.all(s.map(async (v) => ({ shape: v.shape.slice(), values: Float32Array.from((await v.data()) as Float32Array) })))));
    return { name: this.options.name, step: this.step, slots };
  }

  setState(state: OptimizerState): void {
    const perParam = this.options.name === 'adam' ? 2 : this.options.name === 'momentum' ? 1 : 0;
    if (state.name !== this.options.name) throw new InvalidOptionError(`Expected optimizer state for "${this.options.name}", got "${state.name}"`);
    if (!Number.isInteger(state.step) || state.step < 0) throw new InvalidOptionError(`Expected a step count >= 0, got ${state.step}`);
    state.slots.forEach((s, i) => {
      if (s.length !== perParam) throw new InvalidOptionError(`Expected ${perParam} slots for parameter ${i}, got ${s.length}`);
      for (const slot of s) {
        const size = slot.shape.reduce((a, b) => a * b, 1);
        if (slot.values.length !== size || !slot.values.every(Number.isFinite)) throw new InvalidOptionError(`Optimizer slot of parameter ${i}: expected ${size} finite values for shape [${slot.shape.join(', ')}]`);
      }
    });
    for (const s of this.slots) for (const v of s) v.dispose();
    // tidy releases the initial tensors; the variables (which share their data) stay.
    this.slots = tf.tidy(() => state.slots.map((s) => s.map((slot) => tf.variable(tf.tensor(slot.values, slot.shape as number[], 'float32'), false))));
    this.step = state.step;
  }

  dispose(): void {
    for (const s of this.slots) for (const v of s) v.dispose();
    this.slots = [];
    this.lr.dispose();
    this.decayFactor.dispose();
  }
}

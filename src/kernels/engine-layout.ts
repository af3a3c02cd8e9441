/**
 * Where everything of a dense engine lives in its WebAssembly memory, and the
 * conversions between Keras layout (kernel `[in, out]` row-major) and the
 * kernels' 8-column panels (`[out/8][in][8]`, zero padded).
 */
import type { LayerSpec, ModelSpec } from '../models/spec.js';
import { CTRL_END, MAX_LAYERS } from './generated/dense-train-wasm.js';
import { InvalidOptionError } from '../errors.js';

export const INPUT_WIDTH = 784;
const ALIGN = 64;
const align = (n: number): number => Math.ceil(n / ALIGN) * ALIGN;
const pad8 = (n: number): number => Math.ceil(n / 8) * 8;

/** One dense layer of the plan (dropout folded into the dense layer it follows), or a conv layer as its GEMM. */
export interface DenseLayerPlan {
  /** Keras names of its tensors. */
  kernelName: string;
  biasName: string;
  /** Keras shape of the kernel when it is not `[inUnits, units]` (a conv's `[k, k, ci, co]`). */
  kernelShape?: number[];
  /** Real input/output widths and the padded ones the kernels see. */
  inUnits: number;
  units: number;
  k: number;
  n: number;
  relu: boolean;
  dropoutRate: number;
  /** Byte addresses. */
  w: number;
  b: number;
  w1: number;
  w2: number;
  b1: number;
  b2: number;
  out: number;
  grad: number;
  input: number;
  /** Wᵀ in panels `[k/8][n][8]` for the dX GEMM (the updates keep it in step); 0 for the table's first layer. */
  wt: number;
}

/** The whole memory plan. `dataStart` is where setData puts labels then images. */
export interface EnginePlan {
  /** The dense layers of the layer table. */
  layers: DenseLayerPlan[];
  /** Every layer with weights, in the order of the model's weights (convs first, then `layers`). */
  params: DenseLayerPlan[];
  /** CNN engine only: the CNN record's addresses (src/kernels/gen/memory-map.mjs `CNN`). */
  cnn?: Record<string, number>;
  order: number;
  /** f64 per batch row: its loss (the batch's sum is taken in row order). */
  rowLoss: number;
  input: number;
  predictImages: number;
  dataStart: number;
  maxBatch: number;
}

/** A bump allocator of 64-byte aligned blocks from `start`. */
export function allocator(start: number): { take(bytes: number): number; readonly end: number } {
  let at = start;
  return {
    take(bytes: number): number {
      const p = at;
      at = align(at + bytes);
      return p;
    },
    get end() {
      return at;
    },
  };
}

/** Lays out weights, slots, activations and scratch for a dense spec and a batch size. */
export function planEngine(spec: ModelSpec, maxBatch: number): EnginePlan {
  const mem = allocator(CTRL_END);
  const order = mem.take(maxBatch * 4);
  const rowLoss = mem.take(maxBatch * 8);
  const input = mem.take(maxBatch * INPUT_WIDTH * 4);
  const predictImages = mem.take(maxBatch * INPUT_WIDTH);
  const layers = planDenseLayers(spec.layers, maxBatch, mem.take, { units: INPUT_WIDTH, n: INPUT_WIDTH, out: input });
  return { layers, params: layers, order, rowLoss, input, predictImages, dataStart: mem.end, maxBatch };
}

/** The dense/dropout `layers` after an input of `prev.units` (padded `prev.n`) floats per row at `prev.out`. */
export function planDenseLayers(specLayers: readonly LayerSpec[], maxBatch: number, take: (bytes: number) => number, prev: { units: number; n: number; out: number }): DenseLayerPlan[] {
  const layers: DenseLayerPlan[] = [];
  let dense = 0;
  specLayers.forEach((layer) => {
    if (layer.kind === 'dropout') {
      layers[layers.length - 1].dropoutRate = layer.rate;
      return;
    }
    if (layer.kind !== 'dense') throw new InvalidOptionError(`The dense engine takes dense and dropout layers only, got "${layer.kind}"`);
    dense++;
    const k = prev.n;
    const n = pad8(layer.units);
    const wBytes = k * n * 4;
    const l: DenseLayerPlan = {
      kernelName: `dense_${dense}/kernel`,
      biasName: `dense_${dense}/bias`,
      inUnits: prev.units,
      units: layer.units,
      k,
      n,
      relu: layer.activation === 'relu',
      dropoutRate: 0,
      w: take(wBytes),
      b: take(n * 4),
      w1: take(wBytes),
      w2: take(wBytes),
      b1: take(n * 4),
      b2: take(n * 4),
      out: take(maxBatch * n * 4),
      grad: take(maxBatch * n * 4),
      input: prev.out,
      wt: layers.length > 0 ? take(wBytes) : 0,
    };
    layers.push(l);
    prev = { units: layer.units, n, out: l.out };
  });
  if (layers.length > MAX_LAYERS) throw new InvalidOptionError(`The dense engine takes at most ${MAX_LAYERS} dense layers, got ${layers.length}`);
  return layers;
}

/** Keras `[inUnits, units]` → panels `[n/8][k][8]` (padding stays zero). */
export function packKernel(l: DenseLayerPlan, keras: Float32Array, panels: Float32Array): void {
  panels.fill(0);
  for (let i = 0; i < l.inUnits; i++) {
    for (let o = 0; o < l.units; o++) panels[((o >> 3) * l.k + i) * 8 + (o & 7)] = keras[i * l.units + o];
  }
}

/** Panels `[n/8][k][8]` → Keras `[inUnits, units]`. */
export function unpackKernel(l: DenseLayerPlan, panels: Float32Array): Float32Array {
  const out = new Float32Array(l.inUnits * l.units);
  for (let i = 0; i < l.inUnits; i++) {
    for (let o = 0; o < l.units; o++) out[i * l.units + o] = panels[((o >> 3) * l.k + i) * 8 + (o & 7)];
  }
  return out;
}

/** Dropout's keep threshold on a byte (as Network's masks): keep when byte < threshold; scale 256/threshold. */
export function dropoutThreshold(rate: number): number {
  return rate > 0 ? Math.max(1, Math.round((1 - rate) * 256)) : 0;
}

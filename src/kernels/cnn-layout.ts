/**
 * Where everything of the CNN engine lives in its WebAssembly memory: the conv
 * stage of the preset `cnn` (28×28×1 → conv 5×5·16 + ReLU → max-pool 2 →
 * conv 5×5·32 + ReLU → max-pool 2 → flatten 512) with its im2col columns,
 * activations, gradients and optimizer slots, then the dense head as the dense
 * engine lays it out (`planDenseLayers`).
 *
 * Each conv layer is described to the weight I/O as its GEMM: kernel `[k, k, ci, co]`
 * is the matrix `[k·k·ci, co]` (Keras order, rows (kh, kw, ci)), packed in
 * 8-column panels like a dense kernel, with `k` rows padded (25 → 28 for conv1: the dW tiles take 4 rows).
 */
import type { ModelSpec } from '../models/spec.js';
import { CNN, CNN_SHAPE, CTRL_END } from './generated/dense-train-wasm.js';
import { allocator, INPUT_WIDTH, planDenseLayers, type DenseLayerPlan, type EnginePlan } from './engine-layout.js';
import { isDenseHead } from './dense-head.js';

const S = CNN_SHAPE;
const H1 = S.h - S.k + 1; // 24
const Q1 = H1 / 2; // 12
const H2 = Q1 - S.k + 1; // 8
const Q2 = H2 / 2; // 4

/**
 * Whether a spec can train on the CNN engine: the preset's conv stage exactly
 * (any normalisation), then dense/dropout layers ending in 10 logits.
 */
export function isCnnSpec(spec: ModelSpec): boolean {
  const [conv1, pool1, conv2, pool2, flatten, ...head] = spec.layers;
  const conv = (l: typeof conv1, filters: number) =>
    l?.kind === 'conv2d' && l.filters === filters && l.kernelSize === S.k && l.padding === 'valid' && l.activation === 'relu';
  const pool = (l: typeof conv1) => l?.kind === 'maxpool' && l.size === 2;
  return (
    spec.inputShape.length === 3 && spec.inputShape[0] === S.h && spec.inputShape[1] === S.h && spec.inputShape[2] === 1 &&
    conv(conv1, S.c1) && pool(pool1) && conv(conv2, S.c2) && pool(pool2) && flatten?.kind === 'flatten' && isDenseHead(head)
  );
}

/** Lays out the conv stage and the dense head of a CNN spec for a batch size. */
export function planCnnEngine(spec: ModelSpec, maxBatch: number): EnginePlan {
  const mem = allocator(CTRL_END);
  const take = mem.take;
  const order = take(maxBatch * 4);
  const rowLoss = take(maxBatch * 8);
  const input = take(maxBatch * INPUT_WIDTH * 4);
  const predictImages = take(maxBatch * INPUT_WIDTH);
  const f = 4;
  const rows1 = maxBatch * H1 * H1;
  const rows2 = maxBatch * H2 * H2;
  const cnn: Record<keyof typeof CNN, number> = {} as Record<keyof typeof CNN, number>;
  const conv = (name: 'w1' | 'w2', k: number, co: number) => {
    const wBytes = k * co * f;
    cnn[name] = take(wBytes);
    cnn[`${name}s1`] = take(wBytes);
    cnn[`${name}s2`] = take(wBytes);
    const b = name === 'w1' ? 'b1' : 'b2';
    cnn[b] = take(co * f);
    cnn[`${b}s1`] = take(co * f);
    cnn[`${b}s2`] = take(co * f);
    cnn[name === 'w1' ? 'dw1' : 'dw2'] = take(wBytes);
  };
  conv('w1', S.k1, S.c1);
  conv('w2', S.k2, S.c2);
  cnn.w2t = take(S.k2 * S.c2 * f);
  cnn.zero = take(S.k2 * f);
  cnn.cols1 = take(rows1 * S.k1 * f);
  cnn.c1 = take(rows1 * S.c1 * f);
  cnn.dc1 = take(rows1 * S.c1 * f);
  cnn.p1 = take(maxBatch * Q1 * Q1 * S.c1 * f);
  cnn.dp1 = take(maxBatch * Q1 * Q1 * S.c1 * f);
  cnn.cols2 = take(rows2 * S.k2 * f);
  cnn.dcols2 = take(rows2 * S.k2 * f);
  cnn.c2 = take(rows2 * S.c2 * f);
  cnn.dc2 = take(rows2 * S.c2 * f);
  cnn.p2 = take(maxBatch * S.flat * f);
  cnn.dp2 = take(maxBatch * S.flat * f);
  const layers = planDenseLayers(spec.layers.slice(5), maxBatch, take, { units: S.flat, n: S.flat, out: cnn.p2 });
  const convPlan = (i: 1 | 2, ci: number, co: number, k: number): DenseLayerPlan => ({
    kernelName: `conv2d_${i}/kernel`,
    biasName: `conv2d_${i}/bias`,
    kernelShape: [S.k, S.k, ci, co],
    inUnits: S.k * S.k * ci,
    units: co,
    k,
    n: co,
    relu: true,
    dropoutRate: 0,
    w: cnn[`w${i}`],
    b: cnn[`b${i}`],
    w1: cnn[`w${i}s1`],
    w2: cnn[`w${i}s2`],
    b1: cnn[`b${i}s1`],
    b2: cnn[`b${i}s2`],
    out: cnn[`c${i}`],
    grad: cnn[`dc${i}`],
    input: cnn[`cols${i}`],
    wt: 0, // conv2's Wᵀ is the CNN record's w2t, re-packed by the CNN program
  });
  const params = [convPlan(1, 1, S.c1, S.k1), convPlan(2, S.c1, S.c2, S.k2), ...layers];
  return { layers, params, cnn, order, rowLoss, input, predictImages, dataStart: mem.end, maxBatch };
}

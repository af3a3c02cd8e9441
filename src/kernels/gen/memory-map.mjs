// Fixed byte offsets of the engine's control block at the bottom of WASM memory.
// Shared by the WAT generator (src/kernels/gen/) and the TypeScript loader
// (src/kernels/engine-layout.ts re-exports them), so both sides agree.

/** Control block: step handshake, barrier, hyper-parameters, pointers. */
export const CTRL = Object.freeze({
  gen: 0, // i32: step generation, bumped by thread 0 to start helpers
  command: 4, // i32: 1 = run a step, 2 = exit
  batch: 8, // i32: rows of the current step
  threads: 12, // i32: threads taking part
  barrierCount: 16, // i32
  barrierGen: 20, // i32
  step: 24, // i32: step counter (dropout masks)
  seed: 28, // i32
  spin: 32, // i32: most barrier spin rounds before Atomics.wait (the budget adapts below it)
  idleSpin: 40, // i32: most spin rounds of an idle helper before it waits for the next step
  barrierWaits: 36, // i32: 10 ms waits a barrier makes before it traps (a helper that died)
  // Hyper-parameters (written by the loader).
  optKind: 128, // i32: 0 sgd, 1 momentum, 2 adam
  lr: 132, // f32
  decay: 136, // f32: 1 - lr * weightDecay (kernels only)
  momentum: 140, // f32
  beta1: 144, // f32
  oneMinusBeta1: 148, // f32
  beta2: 152, // f32
  oneMinusBeta2: 156, // f32
  epsilon: 160, // f32
  adamLr: 164, // f32: lr * sqrt(1 - beta2^t) / (1 - beta1^t)
  normScale: 168, // f32: 1 / (255 * std)
  normShift: 172, // f32: -mean / std
  layers: 192, // i32: dense layer count
  orderPtr: 196, // i32: batch indices (i32)
  imagesPtr: 200, // i32: uint8 images, 784 per example
  labelsPtr: 204, // i32: uint8 labels
  inputPtr: 208, // i32: gathered, normalised batch [rows, 784] f32
  training: 212, // i32: 1 = dropout on
  spinNow: 220, // i32: the barrier's current spin budget (adaptive, see step-wat.mjs)
  idleSpinNow: 224, // i32: the idle helper's current spin budget
  rowLossPtr: 216, // i32: f64 [batch]: each row's loss (summed in row order: the same on any thread count)
  layerTable: 256, // LAYER_BYTES per dense layer
});

/** Fields of one dense layer's record in the layer table (byte offsets in the record). */
export const LAYER = Object.freeze({
  k: 0, // i32: input width (padded to 8, 784 for the first layer)
  n: 4, // i32: output width padded to 8 (panels = n / 8)
  w: 8, // i32: weights in 8-column panels [n/8][k][8]
  b: 12, // i32: bias [n]
  w1: 16, // i32: first optimizer slot of w (momentum v, Adam m)
  w2: 20, // i32: second slot of w (Adam v)
  b1: 24, // i32
  b2: 28, // i32
  out: 32, // i32: activations [rows, n] (after ReLU and dropout)
  grad: 36, // i32: gradient w.r.t. the pre-activation [rows, n]
  relu: 40, // i32: 1 = ReLU
  dropThreshold: 44, // i32: keep when byte < threshold; 0 = no dropout
  dropScale: 48, // f32: 256 / threshold
  input: 52, // i32: this layer's input [rows, k]
  wt: 56, // i32: Wᵀ in 8-column panels [k/8][n][8] for this layer's dX; 0 for the first layer (no dX)
});
export const LAYER_BYTES = 64;
export const MAX_LAYERS = 24;

/**
 * The CNN engine's record (after the layer table): byte addresses of the conv stage's weights,
 * optimizer slots and activations. The dense head after the flatten lives in the layer table.
 */
export const CNN = Object.freeze({
  cols1: 0, // f32 [rows·576, 28]: im2col of the image, 25 taps zero padded to 28 (the dW tiles take 4 rows)
  w1: 4, // conv1 kernel in 8-column panels [2][28][8]
  b1: 8, // [16]
  w1s1: 12, // optimizer slots of w1 and b1
  w1s2: 16,
  b1s1: 20,
  b1s2: 24,
  c1: 28, // [rows·576, 16]: conv1 + ReLU
  p1: 32, // [rows·144, 16]: max-pooled
  cols2: 36, // [rows·64, 400]: im2col of p1
  w2: 40, // conv2 kernel panels [4][400][8]
  b2: 44, // [32]
  w2s1: 48,
  w2s2: 52,
  b2s1: 56,
  b2s2: 60,
  w2t: 64, // conv2 kernel transposed, panels [50][32][8] (for dCols2 = dC2·W2ᵀ)
  zero: 68, // 400 zeros: the bias of that GEMM
  c2: 72, // [rows·64, 32]: conv2 + ReLU
  p2: 76, // [rows·16, 32] = the flatten [rows, 512]: the dense head's input
  dp2: 80, // its gradient
  dc2: 84, // gradient of conv2's pre-activation
  dcols2: 88, // [rows·64, 400]
  dp1: 92, // [rows·144, 16]
  dc1: 96, // [rows·576, 16]
  dw1: 100, // dW scratch of the row-blocked update, panels of w1
  dw2: 104, // and of w2
});
/** Where the CNN record starts: after the layer table (256 + 24·64). */
export const CNN_TABLE = 1792;
/** The CNN stage's fixed shapes (the preset): 28×28×1 → conv 5×5·16 → pool 2 → conv 5×5·32 → pool 2 → 512. */
export const CNN_SHAPE = Object.freeze({ h: 28, k: 5, c1: 16, c2: 32, k1: 28, k2: 400, flat: 512 });
/** First byte after the control block and layer table. */
export const CTRL_END = 4096;
/** Pixels per example. */
export const INPUT_WIDTH = 784;

/**
 * Scalar references of the dense engine's kernels, in plain TypeScript on
 * Keras layouts, that the SIMD kernels are tested against: the GEMMs, the
 * optimizer updates, the dropout hash, and a whole fused training step.
 */

/** C[M, N] = A[M, K]·W[K, N] + bias (ReLU if asked), accumulated in float64. */
export function refGemm(a: Float32Array, m: number, k: number, w: Float32Array, n: number, bias: Float32Array, relu: boolean): Float32Array {
  const c = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = bias[j];
      for (let t = 0; t < k; t++) s += a[i * k + t] * w[t * n + j];
      c[i * n + j] = relu && s < 0 ? 0 : s;
    }
  }
  return c;
}

/** dX[M, K] = dY[M, N]·W[K, N]ᵀ, then `D > 0 ? v·scale : 0` when relu (else v·scale). */
export function refGemmNt(dy: Float32Array, m: number, n: number, w: Float32Array, k: number, d: Float32Array | null, relu: boolean, scale: number): Float32Array {
  const out = new Float32Array(m * k);
  for (let i = 0; i < m; i++) {
    for (let t = 0; t < k; t++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += dy[i * n + j] * w[t * n + j];
      out[i * k + t] = relu ? (d![i * k + t] > 0 ? s * scale : 0) : s * scale;
    }
  }
  return out;
}

/** dW[K, N] = X[B, K]ᵀ·dY[B, N]. */
export function refGemmTn(x: Float32Array, b: number, k: number, dy: Float32Array, n: number): Float32Array {
  const g = new Float32Array(k * n);
  for (let t = 0; t < k; t++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let r = 0; r < b; r++) s += x[r * k + t] * dy[r * n + j];
      g[t * n + j] = s;
    }
  }
  return g;
}

/** Optimizer hyper-parameters of one step, as the engine derives them. */
export interface RefHyper {
  kind: 'sgd' | 'momentum' | 'adam';
  lr: number;
  /** 1 − lr·weightDecay for kernels, 1 for biases. */
  decay: number;
  momentum: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** lr·√(1−β2ᵗ)/(1−β1ᵗ). */
  adamLr: number;
}

/** In-place update of w (and slots s1, s2) by gradient g: src/train/optimizer.ts, elementwise. */
export function refUpdate(h: RefHyper, w: Float32Array, g: Float32Array, s1: Float32Array, s2: Float32Array): void {
  const f = Math.fround;
  for (let i = 0; i < w.length; i++) {
    const wd = f(w[i] * h.decay);
    if (h.kind === 'sgd') w[i] = f(wd - f(g[i] * h.lr));
    else if (h.kind === 'momentum') {
      s1[i] = f(f(s1[i] * h.momentum) + g[i]);
      w[i] = f(wd - f(s1[i] * h.lr));
    } else {
      s1[i] = f(f(s1[i] * h.beta1) + f(g[i] * f(1 - h.beta1)));
      s2[i] = f(f(s2[i] * h.beta2) + f(f(g[i] * g[i]) * f(1 - h.beta2)));
      w[i] = f(wd - f(h.adamLr * f(s1[i] / f(Math.sqrt(s2[i]) + h.epsilon))));
    }
  }
}

/** MurmurHash3's 32-bit finaliser. */
export function fmix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * The engine's dropout mask of one layer for one step: 1 row per batch row,
 * `units` columns (padded width `n`), values `scale` or 0. Counter-based, so it
 * does not depend on how rows are split between threads.
 */
export function refDropoutMask(seed: number, step: number, layer: number, rows: number, n: number, threshold: number): Float32Array {
  const key = fmix32((seed ^ fmix32((Math.imul(step, 0x9e3779b9) + Math.imul(layer + 1, 0x632be5ab)) >>> 0)) >>> 0);
  const scale = 256 / threshold;
  const m = new Float32Array(rows * n);
  for (let r = 0; r < rows; r++) {
    for (let q = 0; q < n; q += 4) {
      let h = fmix32((key ^ Math.imul(((r * 65536) >>> 0) + q, 0x85ebca77)) >>> 0);
      for (let j = 0; j < 4; j++) {
        m[r * n + q + j] = (h & 255) < threshold ? scale : 0;
        h >>>= 8;
      }
    }
  }
  return m;
}

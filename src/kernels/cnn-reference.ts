/**
 * Scalar references of the CNN engine's data-movement kernels, in plain
 * TypeScript on NHWC arrays, that the SIMD kernels are tested against
 * (`test/core/kernels/cnn-kernels.test.ts`). The GEMMs' references are in
 * `dense-reference.ts`.
 */

/** cols [s·OH·OW, ldc] of samples [0, s): row (s, i, j), column (kh, kw, c); columns past KS·KS·C are 0. */
export function refIm2col(x: Float32Array, s: number, h: number, w: number, c: number, ks: number, ldc: number): Float32Array {
  const oh = h - ks + 1;
  const ow = w - ks + 1;
  const cols = new Float32Array(s * oh * ow * ldc);
  for (let b = 0; b < s; b++) {
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        const row = ((b * oh + i) * ow + j) * ldc;
        for (let kh = 0; kh < ks; kh++) {
          for (let kw = 0; kw < ks; kw++) {
            for (let ch = 0; ch < c; ch++) cols[row + (kh * ks + kw) * c + ch] = x[((b * h + i + kh) * w + j + kw) * c + ch];
          }
        }
      }
    }
  }
  return cols;
}

/** dX [s, h, w, c] = Σ over windows of dCols (the adjoint of {@link refIm2col}), in float64. */
export function refCol2im(dCols: Float32Array, s: number, h: number, w: number, c: number, ks: number, ldc: number): Float32Array {
  const oh = h - ks + 1;
  const ow = w - ks + 1;
  const dx = new Float64Array(s * h * w * c);
  for (let b = 0; b < s; b++) {
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        const row = ((b * oh + i) * ow + j) * ldc;
        for (let kh = 0; kh < ks; kh++) {
          for (let kw = 0; kw < ks; kw++) {
            for (let ch = 0; ch < c; ch++) dx[((b * h + i + kh) * w + j + kw) * c + ch] += dCols[row + (kh * ks + kw) * c + ch];
          }
        }
      }
    }
  }
  return Float32Array.from(dx);
}

/** Index (in x) of each 2×2 window's first maximum, in TensorFlow's scan order; y the maxima. */
function windows(x: Float32Array, s: number, h: number, w: number, c: number, visit: (out: number, best: number) => void): void {
  const oh = h >> 1;
  const ow = w >> 1;
  for (let b = 0; b < s; b++) {
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        for (let ch = 0; ch < c; ch++) {
          let best = ((b * h + 2 * i) * w + 2 * j) * c + ch;
          for (const [di, dj] of [[0, 1], [1, 0], [1, 1]]) {
            const at = ((b * h + 2 * i + di) * w + 2 * j + dj) * c + ch;
            if (x[at] > x[best]) best = at;
          }
          visit(((b * oh + i) * ow + j) * c + ch, best);
        }
      }
    }
  }
}

/** Y [s, h/2, w/2, c]: max of each 2×2 window (stride 2). */
export function refMaxPool2(x: Float32Array, s: number, h: number, w: number, c: number): Float32Array {
  const y = new Float32Array(s * (h >> 1) * (w >> 1) * c);
  windows(x, s, h, w, c, (o, best) => (y[o] = x[best]));
  return y;
}

/** dX [s, h, w, c]: dY at each window's first maximum, 0 elsewhere; then 0 where x <= 0 (the ReLU before the pool). */
export function refMaxPool2BackwardRelu(x: Float32Array, dy: Float32Array, s: number, h: number, w: number, c: number): Float32Array {
  const dx = new Float32Array(x.length);
  windows(x, s, h, w, c, (o, best) => (dx[best] = x[best] > 0 ? dy[o] : 0));
  return dx;
}

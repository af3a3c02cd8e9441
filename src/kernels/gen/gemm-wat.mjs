// WAT generators of the three GEMM micro-kernels of the dense engine, XNNPACK style:
// one template, variants by register tile and instruction set.
//   f32-gemm-4x8-<isa>            C = A·W + bias (+ReLU), W in 8-column panels (forward)
//   f32-gemm-nt-4x2-wasmsimd      dX = dY·Wᵀ, masked by the previous layer's ReLU/dropout (mul + add in both modules)
//   f32-gemm-dx-4x8-<isa>         the same dX on a transposed copy of W (Wᵀ in 8-column panels): the
//                                 forward kernel's tile, the mask in the epilogue (the dense layers' dX)
//   x32-packw-transpose-x8        rows of W into that copy (each thread re-packs the rows it updates)
//   f32-gemm-tn-update-4x8-<isa>  dW = Xᵀ·dY folded into the optimizer update (dW never stored)
// <isa> is `wasmsimd` (mul + add) or `wasmrelaxedsimd-fma` (f32x4.relaxed_madd).

/** `a·b + c` on f32x4 in the chosen instruction set. */
export function fma(isa, a, b, c) {
  return isa === 'relaxed' ? `(f32x4.relaxed_madd ${a} ${b} ${c})` : `(f32x4.add (f32x4.mul ${a} ${b}) ${c})`;
}

const range = (n) => Array.from({ length: n }, (_, i) => i);
const loc = (names, type) => names.map((n) => `(local $${n} ${type})`).join(' ');

/**
 * Forward GEMM over rows [r0, r1) and every panel: C[r, :] = A[r, :]·W + bias, ReLU if asked.
 * Tile: `mr` rows × 8 columns (2 f32x4 per row), k loop not unrolled (it spills otherwise).
 * With `lda` fixed (the input layer's 784 floats), one row pointer and immediate offsets
 * replace `mr` pointers: 3 fewer adds per k in the hottest loop.
 */
export function gemmNn(isa, mr, lda) {
  const rowPtr = (i) => (lda ? 'a0' : `a${i}`);
  const rowOff = (i) => (lda ? ` offset=${i * lda}` : '');
  const ptrs = lda ? 1 : mr;
  const acc = range(mr).flatMap((i) => [`c${i}0`, `c${i}1`]);
  const body = [];
  body.push(`(local.set $w (i32.add (local.get $W) (i32.mul (local.get $p) (i32.mul (local.get $K) (i32.const 32)))))`);
  body.push(`(local.set $wend (i32.add (local.get $w) (i32.mul (local.get $K) (i32.const 32))))`);
  for (const i of range(ptrs)) body.push(`(local.set $a${i} (i32.add (local.get $A) (i32.mul (i32.add (local.get $m) (i32.const ${i})) (local.get $lda))))`);
  for (const i of range(mr)) {
    body.push(`(local.set $c${i}0 (v128.load (i32.add (local.get $bias) (i32.shl (local.get $p) (i32.const 5)))))`);
    body.push(`(local.set $c${i}1 (v128.load offset=16 (i32.add (local.get $bias) (i32.shl (local.get $p) (i32.const 5)))))`);
  }
  const inner = [`(local.set $w0 (v128.load (local.get $w)))`, `(local.set $w1 (v128.load offset=16 (local.get $w)))`];
  for (const i of range(mr)) {
    inner.push(`(local.set $x (v128.load32_splat${rowOff(i)} (local.get $${rowPtr(i)})))`);
    inner.push(`(local.set $c${i}0 ${fma(isa, '(local.get $x)', '(local.get $w0)', `(local.get $c${i}0)`)})`);
    inner.push(`(local.set $c${i}1 ${fma(isa, '(local.get $x)', '(local.get $w1)', `(local.get $c${i}1)`)})`);
  }
  for (const i of range(ptrs)) inner.push(`(local.set $a${i} (i32.add (local.get $a${i}) (i32.const 4)))`);
  inner.push(`(local.set $w (i32.add (local.get $w) (i32.const 32)))`);
  body.push(`(loop $k ${inner.join('\n    ')}\n    (br_if $k (i32.lt_u (local.get $w) (local.get $wend))))`);
  for (const i of range(mr)) {
    body.push(`(local.set $o (i32.add (i32.add (local.get $C) (i32.mul (i32.add (local.get $m) (i32.const ${i})) (local.get $ldc))) (i32.shl (local.get $p) (i32.const 5))))`);
    for (const h of [0, 1]) {
      const v = `(local.get $c${i}${h})`;
      body.push(`(v128.store offset=${h * 16} (local.get $o) (if (result v128) (local.get $relu) (then (f32x4.max ${v} (v128.const f32x4 0 0 0 0))) (else ${v})))`);
    }
  }
  return `
  ;; f32-gemm-${mr}x8${lda ? ` (lda ${lda} bytes)` : ''}: rows m..m+${mr} of one panel p
  (func $gemm_${mr}x8${lda ? `_lda${lda}` : ''} (param $A i32) (param $lda i32) (param $K i32) (param $W i32) (param $bias i32) (param $C i32) (param $ldc i32) (param $relu i32) (param $m i32) (param $p i32)
    (local $w i32) (local $wend i32) (local $o i32) ${loc(range(ptrs).map((i) => `a${i}`), 'i32')}
    (local $x v128) (local $w0 v128) (local $w1 v128) ${loc(acc, 'v128')}
    ${body.join('\n    ')})`;
}

/**
 * dX over rows m..m+mr of one panel p of Wᵀ: C[r, 8p..8p+8] = mask(D[r, 8p..8p+8]) · scale · A[r, :]·Wᵀ,
 * where A is dY [rows, K] (K: the layer's padded units, the reduction), WT the transposed kernel in
 * panels [P][K][8], and mask `D > 0` (the previous layer's ReLU; dropout zeros count as masked) or 1.
 * The forward kernel's 4×8 tile and k loop; the sums run over dY's columns in order.
 */
export function gemmDx(isa, mr) {
  const acc = range(mr).flatMap((i) => [`c${i}0`, `c${i}1`]);
  const body = [];
  body.push(`(local.set $w (i32.add (local.get $W) (i32.mul (local.get $p) (i32.mul (local.get $K) (i32.const 32)))))`);
  body.push(`(local.set $wend (i32.add (local.get $w) (i32.mul (local.get $K) (i32.const 32))))`);
  for (const i of range(mr)) body.push(`(local.set $a${i} (i32.add (local.get $A) (i32.mul (i32.add (local.get $m) (i32.const ${i})) (local.get $lda))))`);
  for (const a of acc) body.push(`(local.set $${a} (v128.const f32x4 0 0 0 0))`);
  const inner = [`(local.set $w0 (v128.load (local.get $w)))`, `(local.set $w1 (v128.load offset=16 (local.get $w)))`];
  for (const i of range(mr)) {
    inner.push(`(local.set $x (v128.load32_splat (local.get $a${i})))`);
    inner.push(`(local.set $c${i}0 ${fma(isa, '(local.get $x)', '(local.get $w0)', `(local.get $c${i}0)`)})`);
    inner.push(`(local.set $c${i}1 ${fma(isa, '(local.get $x)', '(local.get $w1)', `(local.get $c${i}1)`)})`);
  }
  for (const i of range(mr)) inner.push(`(local.set $a${i} (i32.add (local.get $a${i}) (i32.const 4)))`);
  inner.push(`(local.set $w (i32.add (local.get $w) (i32.const 32)))`);
  body.push(`(loop $k ${inner.join('\n    ')}\n    (br_if $k (i32.lt_u (local.get $w) (local.get $wend))))`);
  body.push(`(local.set $s (f32x4.splat (local.get $scale)))`);
  for (const i of range(mr)) {
    body.push(`(local.set $o (i32.add (i32.mul (i32.add (local.get $m) (i32.const ${i})) (local.get $ldc)) (i32.shl (local.get $p) (i32.const 5))))`);
    for (const h of [0, 1]) {
      const v = `(f32x4.mul (local.get $c${i}${h}) (local.get $s))`;
      const mask = `(f32x4.gt (v128.load offset=${h * 16} (i32.add (local.get $D) (local.get $o))) (v128.const f32x4 0 0 0 0))`;
      body.push(`(v128.store offset=${h * 16} (i32.add (local.get $C) (local.get $o)) (if (result v128) (local.get $relu) (then (v128.and ${v} ${mask})) (else ${v})))`);
    }
  }
  return `
  ;; f32-gemm-dx-${mr}x8: rows m..m+${mr} of dX, columns 8p..8p+8 (panel p of Wᵀ)
  (func $gemm_dx_${mr}x8 (param $A i32) (param $lda i32) (param $K i32) (param $W i32) (param $C i32) (param $ldc i32) (param $D i32) (param $relu i32) (param $scale f32) (param $m i32) (param $p i32)
    (local $w i32) (local $wend i32) (local $o i32) ${loc(range(mr).map((i) => `a${i}`), 'i32')}
    (local $x v128) (local $w0 v128) (local $w1 v128) (local $s v128) ${loc(acc, 'v128')}
    ${body.join('\n    ')})`;
}

/** Driver of dX on Wᵀ: every panel of Wᵀ (P = dX width / 8), rows [r0, r1) in tiles of 4 then 1. D and C share ldc. */
export function gemmDxDriver() {
  const call = (mr) => `(call $gemm_dx_${mr}x8 (local.get $A) (local.get $lda) (local.get $K) (local.get $W) (local.get $C) (local.get $ldc) (local.get $D) (local.get $relu) (local.get $scale) (local.get $m) (local.get $p))`;
  return `
  (func $gemm_dx (export "f32_gemm_dx_4x8") (param $A i32) (param $lda i32) (param $K i32) (param $W i32) (param $C i32) (param $ldc i32) (param $P i32) (param $D i32) (param $relu i32) (param $scale f32) (param $r0 i32) (param $r1 i32)
    (local $p i32) (local $m i32)
    (block $done (loop $panels
      (br_if $done (i32.ge_u (local.get $p) (local.get $P)))
      (local.set $m (local.get $r0))
      (block $b4 (loop $l4
        (br_if $b4 (i32.gt_s (i32.add (local.get $m) (i32.const 4)) (local.get $r1)))
        ${call(4)}
        (local.set $m (i32.add (local.get $m) (i32.const 4)))
        (br $l4)))
      (block $b1 (loop $l1
        (br_if $b1 (i32.ge_s (local.get $m) (local.get $r1)))
        ${call(1)}
        (local.set $m (i32.add (local.get $m) (i32.const 1)))
        (br $l1)))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $panels))))`;
}

/** x32-packw-transpose-x8: rows [k0, k1) of W (panels [N/8][K][8]) into Wᵀ (panels [K/8][N][8]). */
export function packwTranspose() {
  return `
  (func $packw_transpose (export "x32_packw_transpose") (param $W i32) (param $K i32) (param $N i32) (param $WT i32) (param $k0 i32) (param $k1 i32)
    (local $k i32) (local $n i32)
    (local.set $k (local.get $k0))
    (block $kd (loop $kl
      (br_if $kd (i32.ge_s (local.get $k) (local.get $k1)))
      (local.set $n (i32.const 0))
      (block $nd (loop $nl
        (br_if $nd (i32.ge_s (local.get $n) (local.get $N)))
        (i32.store (i32.add (local.get $WT) (i32.shl (i32.add (i32.shl (i32.add (i32.mul (i32.shr_u (local.get $k) (i32.const 3)) (local.get $N)) (local.get $n)) (i32.const 3)) (i32.and (local.get $k) (i32.const 7))) (i32.const 2)))
          (i32.load (i32.add (local.get $W) (i32.shl (i32.add (i32.shl (i32.add (i32.mul (i32.shr_u (local.get $n) (i32.const 3)) (local.get $K)) (local.get $k)) (i32.const 3)) (i32.and (local.get $n) (i32.const 7))) (i32.const 2)))))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $nl)))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $kl))))`;
}

/** Row stride (bytes) of the input layer's A, which gets its own 4×8 kernel. */
export const INPUT_LDA = 784 * 4;

/**
 * Rows of A per block of the driver: a block's rows of A stay in cache across the panels
 * (the conv GEMMs have up to 36,864 rows; panels-outer re-read all of A per panel). 256: the dense
 * engine's batches (up to 256) stay one block, as before.
 */
export const GEMM_ROW_BLOCK = 256;

/** Driver: rows [r0, r1) in blocks of GEMM_ROW_BLOCK; per block every panel, in tiles of 4 then 1 rows. */
export function gemmNnDriver() {
  const call = (name) => `(call $${name} (local.get $A) (local.get $lda) (local.get $K) (local.get $W) (local.get $bias) (local.get $C) (local.get $ldc) (local.get $relu) (local.get $m) (local.get $p))`;
  return `
  (func $gemm_nn (export "f32_gemm_4x8") (param $A i32) (param $lda i32) (param $K i32) (param $W i32) (param $bias i32) (param $C i32) (param $ldc i32) (param $P i32) (param $relu i32) (param $r0 i32) (param $r1 i32)
    (local $p i32) (local $m i32) (local $mb i32) (local $me i32)
    (local.set $mb (local.get $r0))
    (block $blocks (loop $bl
      (br_if $blocks (i32.ge_s (local.get $mb) (local.get $r1)))
      (local.set $me (select (local.get $r1) (i32.add (local.get $mb) (i32.const ${GEMM_ROW_BLOCK}))
        (i32.lt_s (local.get $r1) (i32.add (local.get $mb) (i32.const ${GEMM_ROW_BLOCK})))))
      (local.set $p (i32.const 0))
      (block $done (loop $panels
        (br_if $done (i32.ge_u (local.get $p) (local.get $P)))
        (local.set $m (local.get $mb))
        (block $b4 (loop $l4
          (br_if $b4 (i32.gt_s (i32.add (local.get $m) (i32.const 4)) (local.get $me)))
          (if (i32.eq (local.get $lda) (i32.const ${INPUT_LDA}))
            (then ${call(`gemm_4x8_lda${INPUT_LDA}`)})
            (else ${call('gemm_4x8')}))
          (local.set $m (i32.add (local.get $m) (i32.const 4)))
          (br $l4)))
        (block $b1 (loop $l1
          (br_if $b1 (i32.ge_s (local.get $m) (local.get $me)))
          ${call('gemm_1x8')}
          (local.set $m (i32.add (local.get $m) (i32.const 1)))
          (br $l1)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $panels)))
      (local.set $mb (local.get $me))
      (br $bl))))`;
}

/**
 * dX = dY·Wᵀ over rows [r0, r1): dY [rows, P·8], W panels [P][K][8], dX [rows, K].
 * Tile: `mr` rows × 2 columns of dX, dot products along the panel's 8 lanes, reduced at the end.
 * Epilogue: the previous layer's mask, `D > 0 ? v·scale : 0` (ReLU + inverted dropout),
 * or `v·scale` when that layer is linear.
 */
export function gemmNt(isa, mr) {
  const acc = range(mr).flatMap((i) => [`c${i}0`, `c${i}1`]);
  const body = [];
  for (const a of acc) body.push(`(local.set $${a} (v128.const f32x4 0 0 0 0))`);
  for (const i of range(mr)) body.push(`(local.set $g${i} (i32.add (local.get $G) (i32.mul (i32.add (local.get $m) (i32.const ${i})) (local.get $ldg))))`);
  body.push(`(local.set $w (i32.add (local.get $W) (i32.shl (local.get $k) (i32.const 5))))`);
  body.push(`(local.set $p (i32.const 0))`);
  const inner = [];
  for (const h of [0, 1]) {
    inner.push(`(local.set $w0 (v128.load offset=${h * 16} (local.get $w)))`);
    inner.push(`(local.set $w1 (v128.load offset=${32 + h * 16} (local.get $w)))`);
    for (const i of range(mr)) {
      inner.push(`(local.set $y (v128.load offset=${h * 16} (local.get $g${i})))`);
      // mul + add in both variants: V8's relaxed_madd measured 3× slower in this kernel (bench:kernels).
      inner.push(`(local.set $c${i}0 ${fma('simd', '(local.get $y)', '(local.get $w0)', `(local.get $c${i}0)`)})`);
      inner.push(`(local.set $c${i}1 ${fma('simd', '(local.get $y)', '(local.get $w1)', `(local.get $c${i}1)`)})`);
    }
  }
  for (const i of range(mr)) inner.push(`(local.set $g${i} (i32.add (local.get $g${i}) (i32.const 32)))`);
  inner.push(`(local.set $w (i32.add (local.get $w) (local.get $panel)))`);
  inner.push(`(local.set $p (i32.add (local.get $p) (i32.const 1)))`);
  body.push(`(loop $n ${inner.join('\n    ')}\n    (br_if $n (i32.lt_u (local.get $p) (local.get $P))))`);
  const hsum = (v) => `(f32.add (f32.add (f32x4.extract_lane 0 ${v}) (f32x4.extract_lane 1 ${v})) (f32.add (f32x4.extract_lane 2 ${v}) (f32x4.extract_lane 3 ${v})))`;
  for (const i of range(mr)) {
    for (const j of [0, 1]) {
      body.push(`(local.set $o (i32.add (i32.mul (i32.add (local.get $m) (i32.const ${i})) (local.get $ldo)) (i32.shl (i32.add (local.get $k) (i32.const ${j})) (i32.const 2))))`);
      body.push(`(local.set $v (f32.mul ${hsum(`(local.get $c${i}${j})`)} (local.get $scale)))`);
      body.push(`(f32.store (i32.add (local.get $O) (local.get $o)) (if (result f32) (local.get $relu) (then (select (local.get $v) (f32.const 0) (f32.gt (f32.load (i32.add (local.get $D) (local.get $o))) (f32.const 0)))) (else (local.get $v))))`);
    }
  }
  return `
  ;; f32-gemm-nt-${mr}x2: rows m..m+${mr}, dX columns k, k+1
  (func $gemm_nt_${mr}x2 (param $G i32) (param $ldg i32) (param $P i32) (param $W i32) (param $panel i32) (param $O i32) (param $ldo i32) (param $D i32) (param $relu i32) (param $scale f32) (param $m i32) (param $k i32)
    (local $w i32) (local $p i32) (local $o i32) (local $v f32) ${loc(range(mr).map((i) => `g${i}`), 'i32')}
    (local $y v128) (local $w0 v128) (local $w1 v128) ${loc(acc, 'v128')}
    ${body.join('\n    ')})`;
}

/** Driver of dX: rows [r0, r1) (tiles of 4 then 1) × every pair of K columns. D and O share the row stride ldo. */
export function gemmNtDriver() {
  const args = '(local.get $G) (local.get $ldg) (local.get $P) (local.get $W) (local.get $panel) (local.get $O) (local.get $ldo) (local.get $D) (local.get $relu) (local.get $scale) (local.get $m) (local.get $k)';
  const rows = (mr, cond) => `
      (block $bk${mr} (loop $lk${mr}
        (br_if $bk${mr} (i32.ge_u (local.get $k) (local.get $K)))
        (call $gemm_nt_${mr}x2 ${args})
        (local.set $k (i32.add (local.get $k) (i32.const 2)))
        (br $lk${mr})))`;
  return `
  (func $gemm_nt (export "f32_gemm_nt_4x2") (param $G i32) (param $ldg i32) (param $P i32) (param $W i32) (param $K i32) (param $O i32) (param $ldo i32) (param $D i32) (param $relu i32) (param $scale f32) (param $r0 i32) (param $r1 i32)
    (local $m i32) (local $k i32) (local $panel i32)
    (local.set $panel (i32.shl (local.get $K) (i32.const 5)))
    (local.set $m (local.get $r0))
    (block $b4 (loop $l4
      (br_if $b4 (i32.gt_s (i32.add (local.get $m) (i32.const 4)) (local.get $r1)))
      (local.set $k (i32.const 0))${rows(4)}
      (local.set $m (i32.add (local.get $m) (i32.const 4)))
      (br $l4)))
    (block $b1 (loop $l1
      (br_if $b1 (i32.ge_s (local.get $m) (local.get $r1)))
      (local.set $k (i32.const 0))${rows(1)}
      (local.set $m (i32.add (local.get $m) (i32.const 1)))
      (br $l1))))`;
}

/**
 * The machine's peak for this instruction set: `iters` rounds of 12 independent chains
 * `c = c·a + b` (12 chains hide the multiply-add latency on two pipes; a chain cannot be hoisted
 * or shared), 96 flops per round, nothing loaded. c converges to 1: no denormals.
 */
export function peakFma(isa) {
  const acc = range(12).map((i) => `c${i}`);
  return `
  (func (export "f32_peak_fma") (param $iters i32) (result f32)
    (local $a v128) (local $b v128) ${loc(acc, 'v128')}
    (local.set $a (v128.const f32x4 0.999 0.999 0.999 0.999))
    (local.set $b (v128.const f32x4 0.001 0.001 0.001 0.001))
    (loop $l
      ${acc.map((c) => `(local.set $${c} ${fma(isa, '(local.get $' + c + ')', '(local.get $a)', '(local.get $b)')})`).join('\n      ')}
      (local.set $iters (i32.sub (local.get $iters) (i32.const 1)))
      (br_if $l (i32.gt_s (local.get $iters) (i32.const 0))))
    (f32x4.extract_lane 0 ${acc.slice(1).reduce((s, c) => `(f32x4.add ${s} (local.get $${c}))`, '(local.get $c0)')}))`;
}

// WAT generators of the CNN engine's data-movement kernels (no multiply-adds: the same code in
// both instruction sets; the arithmetic runs in the GEMMs of gemm-wat.mjs / update-wat.mjs):
//   f32-im2col-wasmsimd                 cols[row, (kh, kw, c)] = X[s, i+kh, j+kw, c] (valid, stride 1)
//   f32-col2im-wasmsimd                 dX[s, i+kh, j+kw, c] += dCols[row, (kh, kw, c)] (dX zeroed first)
//   f32-maxpool-2x2-wasmsimd            Y = max over 2×2 windows, stride 2 (NHWC, C a multiple of 4)
//   f32-maxpool-2x2-backward-relu-wasmsimd  dX = dY at each window's first maximum, masked by X > 0
// (x32-packw-transpose-x8, conv2's Wᵀ, lives in gemm-wat.mjs: the dense layers' dX uses it too.)
// All take samples [s0, s1) of NHWC tensors (byte addresses), so threads split by samples.

/** dst ← src (bytes, a multiple of 4): f32x4 while 16 bytes are left, then f32. `add`: dst += src. */
function copyLoop(name, add) {
  const v = add ? '(f32x4.add (v128.load (local.get $dst)) (v128.load (local.get $src)))' : '(v128.load (local.get $src))';
  const f = add ? '(f32.add (f32.load (local.get $dst)) (f32.load (local.get $src)))' : '(f32.load (local.get $src))';
  return `
  (func $${name} (param $src i32) (param $dst i32) (param $bytes i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $src) (local.get $bytes)))
    (block $vd (loop $vl
      (br_if $vd (i32.gt_u (i32.add (local.get $src) (i32.const 16)) (local.get $end)))
      (v128.store (local.get $dst) ${v})
      (local.set $src (i32.add (local.get $src) (i32.const 16)))
      (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
      (br $vl)))
    (block $sd (loop $sl
      (br_if $sd (i32.ge_u (local.get $src) (local.get $end)))
      (f32.store (local.get $dst) ${f})
      (local.set $src (i32.add (local.get $src) (i32.const 4)))
      (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
      (br $sl))))`;
}

/**
 * The window walk shared by im2col and col2im: for every output pixel (row) of samples [s0, s1),
 * for every kh, the KS·C contiguous floats of input row i+kh starting at column j.
 */
function windowWalk(name, exportName, body, prologue = '') {
  return `
  (func $${name} (export "${exportName}") (param $cols i32) (param $ldc i32) (param $X i32) (param $H i32) (param $W i32) (param $C i32) (param $KS i32) (param $s0 i32) (param $s1 i32)
    (local $OH i32) (local $OW i32) (local $s i32) (local $i i32) (local $j i32) (local $kh i32) (local $row i32) (local $src i32) (local $dst i32) (local $seg i32) (local $lineBytes i32) (local $short i32)
    (local.set $OH (i32.add (i32.sub (local.get $H) (local.get $KS)) (i32.const 1)))
    (local.set $OW (i32.add (i32.sub (local.get $W) (local.get $KS)) (i32.const 1)))
    (local.set $seg (i32.shl (i32.mul (local.get $KS) (local.get $C)) (i32.const 2)))
    (local.set $lineBytes (i32.shl (i32.mul (local.get $W) (local.get $C)) (i32.const 2)))
    ;; Short segments (conv1: 5 floats) with room in the row: copied as 32 bytes (the overshoot is
    ;; rewritten by the next segment or zeroed with the padding; it reads up to 28 bytes past X's rows).
    (local.set $short (i32.and (i32.le_u (local.get $seg) (i32.const 32))
      (i32.ge_s (i32.sub (local.get $ldc) (i32.mul (i32.sub (local.get $KS) (i32.const 1)) (local.get $seg))) (i32.const 32))))
    ${prologue}
    (local.set $s (local.get $s0))
    (block $sd (loop $sl
      (br_if $sd (i32.ge_s (local.get $s) (local.get $s1)))
      (local.set $i (i32.const 0))
      (block $id (loop $il
        (br_if $id (i32.ge_s (local.get $i) (local.get $OH)))
        (local.set $j (i32.const 0))
        (block $jd (loop $jl
          (br_if $jd (i32.ge_s (local.get $j) (local.get $OW)))
          (local.set $row (i32.add (i32.mul (i32.add (i32.mul (local.get $s) (local.get $OH)) (local.get $i)) (local.get $OW)) (local.get $j)))
          (local.set $dst (i32.add (local.get $cols) (i32.mul (local.get $row) (local.get $ldc))))
          (local.set $src (i32.add (local.get $X) (i32.shl (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $s) (local.get $H)) (local.get $i)) (local.get $W)) (local.get $j)) (local.get $C)) (i32.const 2))))
          (local.set $kh (i32.const 0))
          (block $kd (loop $kl
            (br_if $kd (i32.ge_s (local.get $kh) (local.get $KS)))
            ${body}
            (local.set $src (i32.add (local.get $src) (local.get $lineBytes)))
            (local.set $dst (i32.add (local.get $dst) (local.get $seg)))
            (local.set $kh (i32.add (local.get $kh) (i32.const 1)))
            (br $kl)))
          ${name === 'im2col' ? '(call $zero_f32 (local.get $dst) (i32.sub (i32.add (local.get $cols) (i32.mul (i32.add (local.get $row) (i32.const 1)) (local.get $ldc))) (local.get $dst)))' : ''}
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $jl)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $il)))
      (local.set $s (i32.add (local.get $s) (i32.const 1)))
      (br $sl))))`;
}

/** 2×2 windows of samples [s0, s1): `body` sees $a (top-left of the window in X), $o (its output offset in bytes), $c (channel byte). */
function poolWalk(name, exportName, params, body) {
  return `
  (func $${name} (export "${exportName}") ${params} (param $H i32) (param $W i32) (param $C i32) (param $s0 i32) (param $s1 i32)
    (local $OH i32) (local $OW i32) (local $s i32) (local $i i32) (local $j i32) (local $c i32) (local $a i32) (local $o i32) (local $cb i32) (local $line i32)
    (local $m v128) (local $g v128) (local $x v128) (local $taken v128) (local $hit v128)
    (local.set $OH (i32.shr_u (local.get $H) (i32.const 1)))
    (local.set $OW (i32.shr_u (local.get $W) (i32.const 1)))
    (local.set $cb (i32.shl (local.get $C) (i32.const 2)))
    (local.set $line (i32.mul (local.get $W) (local.get $cb)))
    (local.set $s (local.get $s0))
    (block $sd (loop $sl
      (br_if $sd (i32.ge_s (local.get $s) (local.get $s1)))
      (local.set $i (i32.const 0))
      (block $id (loop $il
        (br_if $id (i32.ge_s (local.get $i) (local.get $OH)))
        (local.set $j (i32.const 0))
        (block $jd (loop $jl
          (br_if $jd (i32.ge_s (local.get $j) (local.get $OW)))
          (local.set $a (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $s) (local.get $H)) (i32.shl (local.get $i) (i32.const 1))) (local.get $W)) (i32.shl (local.get $j) (i32.const 1))) (local.get $cb)))
          (local.set $o (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $s) (local.get $OH)) (local.get $i)) (local.get $OW)) (local.get $j)) (local.get $cb)))
          (local.set $c (i32.const 0))
          (block $cd (loop $cl
            (br_if $cd (i32.ge_u (local.get $c) (local.get $cb)))
            ${body}
            (local.set $c (i32.add (local.get $c) (i32.const 16)))
            (br $cl)))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $jl)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $il)))
      (local.set $s (i32.add (local.get $s) (i32.const 1)))
      (br $sl))))`;
}

/** The four window positions in TensorFlow's scan order (first maximum wins): byte offsets from $a + $c. */
const POSITIONS = ['(i32.const 0)', '(local.get $cb)', '(local.get $line)', '(i32.add (local.get $line) (local.get $cb))'];
const at = (base, pos) => `(i32.add (i32.add (local.get ${base}) (i32.add (local.get $a) (local.get $c))) ${pos})`;

export function convWat() {
  const maxpool = poolWalk('maxpool', 'f32_maxpool_2x2', '(param $X i32) (param $Y i32)', `(v128.store (i32.add (i32.add (local.get $Y) (local.get $o)) (local.get $c))
              (f32x4.max (f32x4.max (v128.load ${at('$X', POSITIONS[0])}) (v128.load ${at('$X', POSITIONS[1])}))
                         (f32x4.max (v128.load ${at('$X', POSITIONS[2])}) (v128.load ${at('$X', POSITIONS[3])}))))`);
  const back = [
    `(local.set $m (v128.load (i32.add (i32.add (local.get $Y) (local.get $o)) (local.get $c))))`,
    `(local.set $g (v128.load (i32.add (i32.add (local.get $dY) (local.get $o)) (local.get $c))))`,
    `(local.set $taken (v128.const i32x4 0 0 0 0))`,
  ];
  for (const pos of POSITIONS) {
    back.push(`(local.set $x (v128.load ${at('$X', pos)}))`);
    back.push(`(local.set $hit (v128.andnot (f32x4.eq (local.get $x) (local.get $m)) (local.get $taken)))`);
    back.push(`(local.set $taken (v128.or (local.get $taken) (local.get $hit)))`);
    back.push(`(v128.store ${at('$dX', pos)} (v128.and (local.get $g) (v128.and (local.get $hit) (f32x4.gt (local.get $x) (v128.const f32x4 0 0 0 0)))))`);
  }
  const maxpoolBack = poolWalk('maxpool_back', 'f32_maxpool_2x2_backward_relu', '(param $X i32) (param $Y i32) (param $dY i32) (param $dX i32)', back.join('\n            '));
  return `${copyLoop('copy_f32', false)}
${copyLoop('add_f32', true)}

  ;; dst[0 .. bytes) ← 0
  (func $zero_f32 (param $dst i32) (param $bytes i32)
    (memory.fill (local.get $dst) (i32.const 0) (local.get $bytes)))

  ;; f32-im2col-wasmsimd: cols [rows, ldc/4], row = (s·OH + i)·OW + j, columns (kh, kw, c), the rest of the row zeroed
${windowWalk('im2col', 'f32_im2col', `(if (local.get $short)
              (then (v128.store (local.get $dst) (v128.load (local.get $src))) (v128.store offset=16 (local.get $dst) (v128.load offset=16 (local.get $src))))
              (else (call $copy_f32 (local.get $src) (local.get $dst) (local.get $seg))))`)}

  ;; f32-col2im-wasmsimd: dX (samples [s0, s1), zeroed first) += every window's column slice
${windowWalk('col2im', 'f32_col2im', '(call $add_f32 (local.get $dst) (local.get $src) (local.get $seg))',
    `(call $zero_f32 (i32.add (local.get $X) (i32.mul (local.get $s0) (i32.mul (local.get $H) (local.get $lineBytes))))
      (i32.mul (i32.sub (local.get $s1) (local.get $s0)) (i32.mul (local.get $H) (local.get $lineBytes))))`)}

  ;; f32-maxpool-2x2-wasmsimd: Y [s, H/2, W/2, C] = max of each 2×2 window of X [s, H, W, C]
${maxpool}

  ;; f32-maxpool-2x2-backward-relu-wasmsimd: dX [s, H, W, C] = dY at the window's first X == Y, 0 elsewhere and where X <= 0
${maxpoolBack}`;
}

// WAT generators of the optimizer-fused kernels of the dense engine:
//   f32-gemm-tn-update-4x8-<isa>  dW = Xᵀ·dY for 4 rows × 8 columns of W, then the update of those
//                                 32 weights in registers (SGD, momentum, Adam; decoupled decay)
//   f32-gemm-tn-update-4x8-rb128-<isa>  the same for many rows (the conv layers' B·576 and B·64):
//                                 rows in blocks of 128, partial sums kept in a dW scratch between
//                                 blocks, the update in the last block's epilogue (same sums, same order)
//   f32-bias-update-<isa>         db = Σ_rows dY, then the same update without decay
// The update formulas follow src/train/optimizer.ts operation by operation.
import { CTRL } from './memory-map.mjs';
import { fma } from './gemm-wat.mjs';

const range = (n) => Array.from({ length: n }, (_, i) => i);
const HYPER = ['lr', 'decay', 'momentum', 'beta1', 'oneMinusBeta1', 'beta2', 'oneMinusBeta2', 'epsilon', 'adamLr'];

/** Locals holding the splatted hyper-parameters, loaded once per call. */
function hyperLocals() {
  return HYPER.map((h) => `(local $${h} v128)`).join(' ');
}
function loadHyper(decayOne) {
  return HYPER.map((h) =>
    h === 'decay' && decayOne
      ? `(local.set $decay (v128.const f32x4 1 1 1 1))`
      : `(local.set $${h} (f32x4.splat (f32.load (i32.const ${CTRL[h]}))))`,
  ).join('\n    ');
}

const get = (n) => `(local.get $${n})`;
const mul = (a, b) => `(f32x4.mul ${a} ${b})`;
const add = (a, b) => `(f32x4.add ${a} ${b})`;
const sub = (a, b) => `(f32x4.sub ${a} ${b})`;

/**
 * The update of one f32x4 of weights at byte address `addr` (a WAT expression) with gradient
 * local `g`; slots at the same offset from `s1`/`s2` bases. kind: 'sgd' | 'momentum' | 'adam'.
 */
function update(kind, addr, g, off) {
  const w = `(v128.load offset=${off} ${addr.w})`;
  const wd = mul(w, get('decay'));
  if (kind === 'sgd') return `(v128.store offset=${off} ${addr.w} ${sub(wd, mul(get(g), get('lr')))})`;
  if (kind === 'momentum') {
    return `(local.set $t ${add(mul(`(v128.load offset=${off} ${addr.s1})`, get('momentum')), get(g))})
      (v128.store offset=${off} ${addr.s1} (local.get $t))
      (v128.store offset=${off} ${addr.w} ${sub(wd, mul(get('t'), get('lr')))})`;
  }
  return `(local.set $t ${add(mul(`(v128.load offset=${off} ${addr.s1})`, get('beta1')), mul(get(g), get('oneMinusBeta1')))})
      (local.set $u ${add(mul(`(v128.load offset=${off} ${addr.s2})`, get('beta2')), mul(mul(get(g), get(g)), get('oneMinusBeta2')))})
      (v128.store offset=${off} ${addr.s1} (local.get $t))
      (v128.store offset=${off} ${addr.s2} (local.get $u))
      (v128.store offset=${off} ${addr.w} ${sub(wd, mul(get('adamLr'), `(f32x4.div ${get('t')} ${add('(f32x4.sqrt (local.get $u))', get('epsilon'))})`))})`;
}

/** The three optimizers' epilogues behind one branch on CTRL.optKind (taken once per tile). */
function dispatch(pieces) {
  const [sgd, momentum, adam] = ['sgd', 'momentum', 'adam'].map(pieces);
  return `(if (i32.eqz (local.get $kind)) (then ${sgd})
      (else (if (i32.eq (local.get $kind) (i32.const 1)) (then ${momentum}) (else ${adam}))))`;
}

/**
 * dW = Xᵀ·dY and update, for W rows [k0, k1) (multiples of 4) and every panel; reduction over
 * rows [0, B) of X [B, K] (stride ldx) and dY [B, P·8] (stride ldg).
 */
export function gemmTnUpdate(isa) {
  const inner = [`(local.set $y0 (v128.load (local.get $yp)))`, `(local.set $y1 (v128.load offset=16 (local.get $yp)))`];
  for (const i of range(4)) {
    inner.push(`(local.set $x (v128.load32_splat offset=${i * 4} (local.get $xp)))`);
    inner.push(`(local.set $c${i}0 ${fma(isa, get('x'), get('y0'), get(`c${i}0`))})`);
    inner.push(`(local.set $c${i}1 ${fma(isa, get('x'), get('y1'), get(`c${i}1`))})`);
  }
  inner.push(`(local.set $xp (i32.add (local.get $xp) (local.get $ldx)))`);
  inner.push(`(local.set $yp (i32.add (local.get $yp) (local.get $ldg)))`);
  const addr = { w: get('wa'), s1: `(i32.add (local.get $wa) (local.get $d1))`, s2: `(i32.add (local.get $wa) (local.get $d2))` };
  const epilogue = dispatch((kind) => range(4).flatMap((i) => [0, 1].map((h) => update(kind, addr, `c${i}${h}`, i * 32 + h * 16))).join('\n      '));
  return `
  ;; f32-gemm-tn-update-4x8: W[k..k+4, 8p..8p+8] -= update(Σ_b X[b, k..k+4]ᵀ·dY[b, 8p..8p+8])
  (func $gemm_tn_update (export "f32_gemm_tn_update_4x8") (param $X i32) (param $ldx i32) (param $G i32) (param $ldg i32) (param $B i32) (param $W i32) (param $S1 i32) (param $S2 i32) (param $K i32) (param $P i32) (param $k0 i32) (param $k1 i32)
    (local $k i32) (local $p i32) (local $xp i32) (local $yp i32) (local $yend i32) (local $wa i32) (local $d1 i32) (local $d2 i32) (local $kind i32)
    (local $x v128) (local $y0 v128) (local $y1 v128) (local $t v128) (local $u v128)
    ${range(4).flatMap((i) => [`(local $c${i}0 v128)`, `(local $c${i}1 v128)`]).join(' ')}
    ${hyperLocals()}
    ${loadHyper(false)}
    (local.set $kind (i32.load (i32.const ${CTRL.optKind})))
    (local.set $d1 (i32.sub (local.get $S1) (local.get $W)))
    (local.set $d2 (i32.sub (local.get $S2) (local.get $W)))
    (if (i32.le_s (local.get $B) (i32.const 0)) (then (return)))
    (local.set $k (local.get $k0))
    (block $kd (loop $kl
      (br_if $kd (i32.ge_u (local.get $k) (local.get $k1)))
      (local.set $p (i32.const 0))
      (block $pd (loop $pl
        (br_if $pd (i32.ge_u (local.get $p) (local.get $P)))
        ${range(4).flatMap((i) => [`(local.set $c${i}0 (v128.const f32x4 0 0 0 0))`, `(local.set $c${i}1 (v128.const f32x4 0 0 0 0))`]).join(' ')}
        (local.set $xp (i32.add (local.get $X) (i32.shl (local.get $k) (i32.const 2))))
        (local.set $yp (i32.add (local.get $G) (i32.shl (local.get $p) (i32.const 5))))
        (local.set $yend (i32.add (local.get $yp) (i32.mul (local.get $B) (local.get $ldg))))
        (loop $b
          ${inner.join('\n          ')}
          (br_if $b (i32.lt_u (local.get $yp) (local.get $yend))))
        (local.set $wa (i32.add (i32.add (local.get $W) (i32.mul (local.get $p) (i32.shl (local.get $K) (i32.const 5)))) (i32.shl (local.get $k) (i32.const 5))))
        ${epilogue}
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $pl)))
      (local.set $k (i32.add (local.get $k) (i32.const 4)))
      (br $kl))))`;
}

/** Rows per block of the row-blocked update: a block of X and dY stays in L1/L2 across the tiles. */
export const TN_ROW_BLOCK = 128;

/**
 * dW = Xᵀ·dY and update for W rows [k0, k1) (multiples of 4), rows of X/dY in blocks of
 * TN_ROW_BLOCK; D is a dW scratch in W's panel layout (only rows [k0, k1) are touched).
 */
export function gemmTnUpdateBlocked(isa) {
  const inner = [`(local.set $y0 (v128.load (local.get $yp)))`, `(local.set $y1 (v128.load offset=16 (local.get $yp)))`];
  for (const i of range(4)) {
    inner.push(`(local.set $x (v128.load32_splat offset=${i * 4} (local.get $xp)))`);
    inner.push(`(local.set $c${i}0 ${fma(isa, get('x'), get('y0'), get(`c${i}0`))})`);
    inner.push(`(local.set $c${i}1 ${fma(isa, get('x'), get('y1'), get(`c${i}1`))})`);
  }
  inner.push(`(local.set $xp (i32.add (local.get $xp) (local.get $ldx)))`);
  inner.push(`(local.set $yp (i32.add (local.get $yp) (local.get $ldg)))`);
  const acc = range(4).flatMap((i) => [0, 1].map((h) => [`c${i}${h}`, i * 32 + h * 16]));
  const addr = { w: get('wa'), s1: `(i32.add (local.get $wa) (local.get $d1))`, s2: `(i32.add (local.get $wa) (local.get $d2))` };
  const epilogue = dispatch((kind) => acc.map(([c, off]) => update(kind, addr, c, off)).join('\n      '));
  const dAddr = '(i32.add (local.get $wa) (local.get $dd))';
  return `
  ;; f32-gemm-tn-update-4x8-rb${TN_ROW_BLOCK}: as f32-gemm-tn-update-4x8, rows in blocks, partial dW in D between blocks
  (func $gemm_tn_update_blocked (export "f32_gemm_tn_update_4x8_rb") (param $X i32) (param $ldx i32) (param $G i32) (param $ldg i32) (param $B i32) (param $W i32) (param $S1 i32) (param $S2 i32) (param $K i32) (param $P i32) (param $k0 i32) (param $k1 i32) (param $D i32)
    (local $k i32) (local $p i32) (local $xp i32) (local $yp i32) (local $yend i32) (local $wa i32) (local $d1 i32) (local $d2 i32) (local $dd i32) (local $kind i32)
    (local $rb i32) (local $re i32)
    (local $x v128) (local $y0 v128) (local $y1 v128) (local $t v128) (local $u v128)
    ${acc.map(([c]) => `(local $${c} v128)`).join(' ')}
    ${hyperLocals()}
    ${loadHyper(false)}
    (local.set $kind (i32.load (i32.const ${CTRL.optKind})))
    (local.set $d1 (i32.sub (local.get $S1) (local.get $W)))
    (local.set $d2 (i32.sub (local.get $S2) (local.get $W)))
    (local.set $dd (i32.sub (local.get $D) (local.get $W)))
    (if (i32.le_s (local.get $B) (i32.const 0)) (then (return)))
    (block $rd (loop $rl
      (br_if $rd (i32.ge_s (local.get $rb) (local.get $B)))
      (local.set $re (select (local.get $B) (i32.add (local.get $rb) (i32.const ${TN_ROW_BLOCK}))
        (i32.lt_s (local.get $B) (i32.add (local.get $rb) (i32.const ${TN_ROW_BLOCK})))))
      (local.set $k (local.get $k0))
      (block $kd (loop $kl
        (br_if $kd (i32.ge_u (local.get $k) (local.get $k1)))
        (local.set $p (i32.const 0))
        (block $pd (loop $pl
          (br_if $pd (i32.ge_u (local.get $p) (local.get $P)))
          (local.set $wa (i32.add (i32.add (local.get $W) (i32.mul (local.get $p) (i32.shl (local.get $K) (i32.const 5)))) (i32.shl (local.get $k) (i32.const 5))))
          (if (i32.eqz (local.get $rb))
            (then ${acc.map(([c]) => `(local.set $${c} (v128.const f32x4 0 0 0 0))`).join(' ')})
            (else ${acc.map(([c, off]) => `(local.set $${c} (v128.load offset=${off} ${dAddr}))`).join(' ')}))
          (local.set $xp (i32.add (i32.add (local.get $X) (i32.mul (local.get $rb) (local.get $ldx))) (i32.shl (local.get $k) (i32.const 2))))
          (local.set $yp (i32.add (i32.add (local.get $G) (i32.mul (local.get $rb) (local.get $ldg))) (i32.shl (local.get $p) (i32.const 5))))
          (local.set $yend (i32.add (i32.add (local.get $G) (i32.mul (local.get $re) (local.get $ldg))) (i32.shl (local.get $p) (i32.const 5))))
          (loop $b
            ${inner.join('\n            ')}
            (br_if $b (i32.lt_u (local.get $yp) (local.get $yend))))
          (if (i32.ge_s (local.get $re) (local.get $B))
            (then ${epilogue})
            (else ${acc.map(([c, off]) => `(v128.store offset=${off} ${dAddr} (local.get $${c}))`).join(' ')}))
          (local.set $p (i32.add (local.get $p) (i32.const 1)))
          (br $pl)))
        (local.set $k (i32.add (local.get $k) (i32.const 4)))
        (br $kl)))
      (local.set $rb (local.get $re))
      (br $rl))))`;
}

/** db = Σ_b dY[b, :] over rows [0, B), then the optimizer update of bias [N] (no decay). */
export function biasUpdate() {
  const addr = { w: get('wa'), s1: `(i32.add (local.get $wa) (local.get $d1))`, s2: `(i32.add (local.get $wa) (local.get $d2))` };
  return `
  (func $bias_update (export "f32_bias_update") (param $G i32) (param $ldg i32) (param $B i32) (param $bias i32) (param $S1 i32) (param $S2 i32) (param $N i32)
    (local $n i32) (local $b i32) (local $yp i32) (local $wa i32) (local $d1 i32) (local $d2 i32) (local $kind i32)
    (local $g v128) (local $t v128) (local $u v128)
    ${hyperLocals()}
    ${loadHyper(true)}
    (local.set $kind (i32.load (i32.const ${CTRL.optKind})))
    (local.set $d1 (i32.sub (local.get $S1) (local.get $bias)))
    (local.set $d2 (i32.sub (local.get $S2) (local.get $bias)))
    (block $nd (loop $nl
      (br_if $nd (i32.ge_u (local.get $n) (local.get $N)))
      (local.set $g (v128.const f32x4 0 0 0 0))
      (local.set $yp (i32.add (local.get $G) (i32.shl (local.get $n) (i32.const 2))))
      (local.set $b (i32.const 0))
      (block $bd (loop $bl
        (br_if $bd (i32.ge_s (local.get $b) (local.get $B)))
        (local.set $g (f32x4.add (local.get $g) (v128.load (local.get $yp))))
        (local.set $yp (i32.add (local.get $yp) (local.get $ldg)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $bl)))
      (local.set $wa (i32.add (local.get $bias) (i32.shl (local.get $n) (i32.const 2))))
      ${dispatch((kind) => update(kind, addr, 'g', 0))}
      (local.set $n (i32.add (local.get $n) (i32.const 4)))
      (br $nl))))`;
}

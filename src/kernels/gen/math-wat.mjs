// WAT of the scalar math the engine needs and WebAssembly lacks: exp and log in f64
// (range reduction + polynomial), and the softmax cross-entropy of one batch slice.

/** 1/k! for the Taylor polynomial of exp on |r| <= ln2/2 (degree 12: error < 2e-16 relative). */
const EXP_COEFFS = Array.from({ length: 13 }, (_, k) => 1 / [...Array(k).keys()].reduce((a, i) => a * (i + 1), 1));

/** Horner form of Σ c_k·r^k as nested WAT. */
function horner(coeffs, r) {
  let expr = `(f64.const ${coeffs[coeffs.length - 1]})`;
  for (let k = coeffs.length - 2; k >= 0; k--) expr = `(f64.add (f64.const ${coeffs[k]}) (f64.mul ${r} ${expr}))`;
  return expr;
}

/** The logit columns the loss reads (10 digits). */
const CLASSES = Array.from({ length: 10 }, (_, c) => c);

export function mathWat() {
  // log(m), m in [sqrt(1/2), sqrt(2)]: 2·atanh(t), t = (m-1)/(m+1), |t| <= 0.1716; odd terms to t^17.
  const atanh = [1, 1 / 3, 1 / 5, 1 / 7, 1 / 9, 1 / 11, 1 / 13, 1 / 15, 1 / 17];
  let series = `(f64.const ${atanh[atanh.length - 1]})`;
  for (let k = atanh.length - 2; k >= 0; k--) series = `(f64.add (f64.const ${atanh[k]}) (f64.mul (local.get $t2) ${series}))`;
  return `
  ;; exp(x) in f64: x clamped to [-708, 709] (finite, never Inf), NaN stays NaN.
  (func $exp (export "exp_f64") (param $x f64) (result f64)
    (local $n f64) (local $r f64)
    (local.set $x (f64.min (f64.max (local.get $x) (f64.const -708)) (f64.const 709)))
    (local.set $n (f64.nearest (f64.mul (local.get $x) (f64.const ${Math.LOG2E}))))
    (local.set $r (f64.sub (f64.sub (local.get $x) (f64.mul (local.get $n) (f64.const 0.6931471803691238))) (f64.mul (local.get $n) (f64.const 1.9082149292705877e-10))))
    (f64.mul ${horner(EXP_COEFFS, '(local.get $r)')}
      (f64.reinterpret_i64 (i64.shl (i64.add (i64.trunc_sat_f64_s (local.get $n)) (i64.const 1023)) (i64.const 52)))))

  ;; log(x) in f64 for finite x > 0 (the softmax's sum, >= 1).
  (func $log (export "log_f64") (param $x f64) (result f64)
    (local $bits i64) (local $e f64) (local $m f64) (local $t f64) (local $t2 f64)
    (local.set $bits (i64.reinterpret_f64 (local.get $x)))
    (local.set $e (f64.convert_i64_s (i64.sub (i64.and (i64.shr_u (local.get $bits) (i64.const 52)) (i64.const 0x7ff)) (i64.const 1023))))
    (local.set $m (f64.reinterpret_i64 (i64.or (i64.and (local.get $bits) (i64.const 0xfffffffffffff)) (i64.const 0x3ff0000000000000))))
    (if (f64.gt (local.get $m) (f64.const ${Math.SQRT2})) (then
      (local.set $m (f64.mul (local.get $m) (f64.const 0.5)))
      (local.set $e (f64.add (local.get $e) (f64.const 1)))))
    (local.set $t (f64.div (f64.sub (local.get $m) (f64.const 1)) (f64.add (local.get $m) (f64.const 1))))
    (local.set $t2 (f64.mul (local.get $t) (local.get $t)))
    (f64.add (f64.mul (local.get $e) (f64.const ${Math.LN2})) (f64.mul (f64.mul (f64.const 2) (local.get $t)) ${series})))

  ;; Softmax cross-entropy of rows [r0, r1) of the logits Z [rows, ldz/4] (first 10 columns):
  ;; writes (softmax − onehot)/B into G (padding columns 0), returns Σ loss of these rows.
  (func $softmax_ce (export "f32_softmax_ce") (param $Z i32) (param $G i32) (param $ld i32) (param $r0 i32) (param $r1 i32) (param $B i32) (param $order i32) (param $labels i32) (result f64)
    (local $r i32) (local $c i32) (local $z i32) (local $g i32) (local $y i32)
    (local $max f64) (local $s f64) (local $total f64) (local $invB f64) (local $inv f64) ${CLASSES.map((c) => `(local $e${c} f64)`).join(' ')}
    (local.set $invB (f64.div (f64.const 1) (f64.convert_i32_s (local.get $B))))
    (local.set $r (local.get $r0))
    (block $rd (loop $rl
      (br_if $rd (i32.ge_s (local.get $r) (local.get $r1)))
      (local.set $z (i32.add (local.get $Z) (i32.mul (local.get $r) (local.get $ld))))
      (local.set $g (i32.add (local.get $G) (i32.mul (local.get $r) (local.get $ld))))
      (local.set $y (i32.load8_u (i32.add (local.get $labels) (i32.load (i32.add (local.get $order) (i32.shl (local.get $r) (i32.const 2)))))))
      (local.set $max (f64.promote_f32 (f32.load (local.get $z))))
      (local.set $c (i32.const 1))
      (block $md (loop $ml
        (br_if $md (i32.ge_u (local.get $c) (i32.const 10)))
        (local.set $max (f64.max (local.get $max) (f64.promote_f32 (f32.load (i32.add (local.get $z) (i32.shl (local.get $c) (i32.const 2)))))))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $ml)))
      ;; Σ exp(z - max), each exp kept for the gradient (the same value, computed once)
      (local.set $s (f64.const 0))
${CLASSES.map((c) => `      (local.set $e${c} (call $exp (f64.sub (f64.promote_f32 (f32.load offset=${c * 4} (local.get $z))) (local.get $max))))
      (local.set $s (f64.add (local.get $s) (local.get $e${c})))`).join('\n')}
      ;; loss = log Σ exp(z - max) - (z_y - max)
      (local.set $total (f64.add (local.get $total) (f64.sub (call $log (local.get $s))
        (f64.sub (f64.promote_f32 (f32.load (i32.add (local.get $z) (i32.shl (local.get $y) (i32.const 2))))) (local.get $max)))))
      (local.set $inv (f64.div (local.get $invB) (local.get $s)))
${CLASSES.map((c) => `      (f32.store offset=${c * 4} (local.get $g) (f32.demote_f64 (f64.sub (f64.mul (local.get $e${c}) (local.get $inv))
        (select (local.get $invB) (f64.const 0) (i32.eq (local.get $y) (i32.const ${c}))))))`).join('\n')}
      ;; the padding columns: 0
      (local.set $c (i32.const ${CLASSES.length}))
      (block $gd (loop $gl
        (br_if $gd (i32.ge_u (i32.shl (local.get $c) (i32.const 2)) (local.get $ld)))
        (f32.store (i32.add (local.get $g) (i32.shl (local.get $c) (i32.const 2))) (f32.const 0))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $gl)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rl)))
    (local.get $total))`;
}

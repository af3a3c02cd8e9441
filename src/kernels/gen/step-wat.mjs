// WAT of the fused training step: gather + normalise, forward (GEMM, bias, ReLU, dropout),
// softmax cross-entropy, backward (dX GEMMs), then every optimizer update — one call per batch.
// With threads, thread t runs the same program on its share: rows of the batch for the forward
// and dX passes, rows of each W for the updates; two barriers per step.
import { CTRL, LAYER, LAYER_BYTES, INPUT_WIDTH } from './memory-map.mjs';

/** The least spin budget (~0.6 µs): a partner that arrives at once is still caught without a futex wait. */
const MIN_SPIN = 2000;

const lf = (field) => `(i32.load offset=${LAYER[field]} (local.get $L))`;
const layerAt = (l) => `(i32.add (i32.const ${CTRL.layerTable}) (i32.mul ${l} (i32.const ${LAYER_BYTES})))`;

/** MurmurHash3's finaliser: a well-mixed 32-bit value per (seed, step, layer, group of 4 units). */
const FMIX = `
  (func $fmix (param $h i32) (result i32)
    (local.set $h (i32.mul (i32.xor (local.get $h) (i32.shr_u (local.get $h) (i32.const 16))) (i32.const 0x85ebca6b)))
    (local.set $h (i32.mul (i32.xor (local.get $h) (i32.shr_u (local.get $h) (i32.const 13))) (i32.const 0xc2b2ae35)))
    (i32.xor (local.get $h) (i32.shr_u (local.get $h) (i32.const 16))))`;

/**
 * What every training module shares: the dropout hash, the uint8 gather, dropout, the dense
 * layers' forward/backward/update over the layer table, the thread share and the barrier, and
 * (threaded) the helpers' loop, which runs the module's own `$run_step`.
 */
export function stepCommonWat({ threads }) {
  const atomics = threads
    ? `
  ;; Adaptive spin budgets (CTRL.spinNow, CTRL.idleSpinNow): a spin that saw its partner arrive doubles
  ;; the budget (up to its maximum, CTRL.spin / CTRL.idleSpin); one that ran out halves it (down to
  ;; ${MIN_SPIN} rounds). On an idle machine the partner arrives within a few µs and the budget stays at
  ;; its maximum, so barriers almost never sleep; on a busy one the partner is often descheduled for
  ;; milliseconds, the budget shrinks, and little CPU time is burnt spinning for it.
  (func $spin_won (param $at i32) (param $max i32) (param $spin i32)
    (if (i32.lt_u (local.get $spin) (local.get $max))
      (then (i32.store (local.get $at) (select (local.get $max) (i32.shl (local.get $spin) (i32.const 1))
        (i32.gt_u (i32.shl (local.get $spin) (i32.const 1)) (local.get $max)))))))
  (func $spin_lost (param $at i32) (param $spin i32)
    (i32.store (local.get $at) (select (i32.const ${MIN_SPIN}) (i32.shr_u (local.get $spin) (i32.const 1))
      (i32.lt_u (i32.shr_u (local.get $spin) (i32.const 1)) (i32.const ${MIN_SPIN})))))

  ;; Barrier of the threads of one step: spin (CTRL.spinNow rounds), then Atomics.wait.
  (func $barrier (param $nt i32)
    (local $g i32) (local $i i32) (local $spin i32)
    (if (i32.le_s (local.get $nt) (i32.const 1)) (then (return)))
    (local.set $g (i32.atomic.load (i32.const ${CTRL.barrierGen})))
    (if (i32.eq (i32.atomic.rmw.add (i32.const ${CTRL.barrierCount}) (i32.const 1)) (i32.sub (local.get $nt) (i32.const 1)))
      (then
        (i32.atomic.store (i32.const ${CTRL.barrierCount}) (i32.const 0))
        (drop (i32.atomic.rmw.add (i32.const ${CTRL.barrierGen}) (i32.const 1)))
        (drop (memory.atomic.notify (i32.const ${CTRL.barrierGen}) (i32.const -1)))
        (return)))
    (local.set $spin (i32.load (i32.const ${CTRL.spinNow})))
    (block $done (loop $s
      (br_if $done (i32.ge_u (local.get $i) (local.get $spin)))
      (if (i32.ne (i32.atomic.load (i32.const ${CTRL.barrierGen})) (local.get $g))
        (then (call $spin_won (i32.const ${CTRL.spinNow}) (i32.load (i32.const ${CTRL.spin})) (local.get $spin)) (return)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $s)))
    (call $spin_lost (i32.const ${CTRL.spinNow}) (local.get $spin))
    ;; Waits of 10 ms; after CTRL.barrierWaits of them (a thread that died) trap instead of hanging.
    (local.set $i (i32.const 0))
    (block $out (loop $w
      (br_if $out (i32.ne (i32.atomic.load (i32.const ${CTRL.barrierGen})) (local.get $g)))
      (if (i32.eq (memory.atomic.wait32 (i32.const ${CTRL.barrierGen}) (local.get $g) (i64.const 10000000)) (i32.const 2))
        (then
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (if (i32.ge_u (local.get $i) (i32.load (i32.const ${CTRL.barrierWaits}))) (then unreachable))))
      (br $w))))

  ;; An idle helper until thread 0 starts a step (the generation moves on from last): spin CTRL.idleSpin
  ;; rounds, then Atomics.wait. Its own function, so that V8 tiers it up (helper_loop is called once and
  ;; runs in baseline code forever, ~10× slower a spin round).
  (func $wait_for_step (param $last i32)
    (local $i i32) (local $spin i32)
    (local.set $spin (i32.load (i32.const ${CTRL.idleSpinNow})))
    (block $spun (loop $s
      (br_if $spun (i32.ge_u (local.get $i) (local.get $spin)))
      (if (i32.ne (i32.atomic.load (i32.const ${CTRL.gen})) (local.get $last))
        (then (call $spin_won (i32.const ${CTRL.idleSpinNow}) (i32.load (i32.const ${CTRL.idleSpin})) (local.get $spin)) (return)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $s)))
    (call $spin_lost (i32.const ${CTRL.idleSpinNow}) (local.get $spin))
    (block $started (loop $w
      (br_if $started (i32.ne (i32.atomic.load (i32.const ${CTRL.gen})) (local.get $last)))
      (drop (memory.atomic.wait32 (i32.const ${CTRL.gen}) (local.get $last) (i64.const -1)))
      (br $w))))

  ;; A helper thread's life: wait for a step, run its share, barrier; until told to exit.
  (func (export "helper_loop") (param $tid i32)
    (local $last i32)
    (loop $steps
      (call $wait_for_step (local.get $last))
      (local.set $last (i32.atomic.load (i32.const ${CTRL.gen})))
      (if (i32.eq (i32.load (i32.const ${CTRL.command})) (i32.const 2)) (then (return)))
      (drop (call $run_step (local.get $tid) (i32.load (i32.const ${CTRL.threads}))))
      (call $barrier (i32.load (i32.const ${CTRL.threads})))
      (br $steps)))

  ;; Wakes the helpers for one step.
  (func $start_helpers
    (i32.store (i32.const ${CTRL.command}) (i32.const 1))
    (drop (i32.atomic.rmw.add (i32.const ${CTRL.gen}) (i32.const 1)))
    (drop (memory.atomic.notify (i32.const ${CTRL.gen}) (i32.const -1))))

  (func (export "stop_helpers")
    (i32.store (i32.const ${CTRL.command}) (i32.const 2))
    (drop (i32.atomic.rmw.add (i32.const ${CTRL.gen}) (i32.const 1)))
    (drop (memory.atomic.notify (i32.const ${CTRL.gen}) (i32.const -1))))`
    : `
  (func $barrier (param $nt i32))
  (func $start_helpers)`;

  return `${FMIX}
  ;; Gathers rows [r0, r1) of the batch: uint8 image order[r] → (p·scale + shift) as f32 in the input.
  (func $gather (export "f32_gather_u8") (param $r0 i32) (param $r1 i32)
    (local $src i32) (local $dst i32) (local $end i32) (local $v v128) (local $lo v128) (local $hi v128) (local $a v128) (local $c v128)
    (local.set $a (f32x4.splat (f32.load (i32.const ${CTRL.normScale}))))
    (local.set $c (f32x4.splat (f32.load (i32.const ${CTRL.normShift}))))
    (block $rd (loop $rl
      (br_if $rd (i32.ge_s (local.get $r0) (local.get $r1)))
      (local.set $src (i32.add (i32.load (i32.const ${CTRL.imagesPtr}))
        (i32.mul (i32.load (i32.add (i32.load (i32.const ${CTRL.orderPtr})) (i32.shl (local.get $r0) (i32.const 2)))) (i32.const ${INPUT_WIDTH}))))
      (local.set $dst (i32.add (i32.load (i32.const ${CTRL.inputPtr})) (i32.mul (local.get $r0) (i32.const ${INPUT_WIDTH * 4}))))
      (local.set $end (i32.add (local.get $src) (i32.const ${INPUT_WIDTH})))
      (loop $j
        (local.set $v (v128.load (local.get $src)))
        (local.set $lo (i16x8.extend_low_i8x16_u (local.get $v)))
        (local.set $hi (i16x8.extend_high_i8x16_u (local.get $v)))
        (v128.store offset=0 (local.get $dst) (f32x4.add (f32x4.mul (f32x4.convert_i32x4_u (i32x4.extend_low_i16x8_u (local.get $lo))) (local.get $a)) (local.get $c)))
        (v128.store offset=16 (local.get $dst) (f32x4.add (f32x4.mul (f32x4.convert_i32x4_u (i32x4.extend_high_i16x8_u (local.get $lo))) (local.get $a)) (local.get $c)))
        (v128.store offset=32 (local.get $dst) (f32x4.add (f32x4.mul (f32x4.convert_i32x4_u (i32x4.extend_low_i16x8_u (local.get $hi))) (local.get $a)) (local.get $c)))
        (v128.store offset=48 (local.get $dst) (f32x4.add (f32x4.mul (f32x4.convert_i32x4_u (i32x4.extend_high_i16x8_u (local.get $hi))) (local.get $a)) (local.get $c)))
        (local.set $src (i32.add (local.get $src) (i32.const 16)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 64)))
        (br_if $j (i32.lt_u (local.get $src) (local.get $end))))
      (local.set $r0 (i32.add (local.get $r0) (i32.const 1)))
      (br $rl))))

  ;; Inverted dropout on rows [r0, r1) of layer l's output [rows, n]: each 32-bit hash of
  ;; (seed, step, layer, row, group of 4 units) decides 4 units, one byte each: kept (×scale) when byte < threshold.
  (func $dropout (export "f32_dropout") (param $L i32) (param $l i32) (param $r0 i32) (param $r1 i32)
    (local $key i32) (local $n i32) (local $j i32) (local $q i32) (local $h i32) (local $p i32) (local $thr i32) (local $scale f32)
    (local.set $thr ${lf('dropThreshold')})
    (local.set $scale (f32.load offset=${LAYER.dropScale} (local.get $L)))
    (local.set $n ${lf('n')})
    (local.set $key (call $fmix (i32.xor (i32.load (i32.const ${CTRL.seed}))
      (call $fmix (i32.add (i32.mul (i32.load (i32.const ${CTRL.step})) (i32.const 0x9e3779b9)) (i32.mul (i32.add (local.get $l) (i32.const 1)) (i32.const 0x632be5ab)))))))
    (block $rd (loop $rl
      (br_if $rd (i32.ge_s (local.get $r0) (local.get $r1)))
      (local.set $p (i32.add ${lf('out')} (i32.mul (local.get $r0) (i32.shl (local.get $n) (i32.const 2)))))
      (local.set $q (i32.const 0))
      (block $qd (loop $ql
        (br_if $qd (i32.ge_u (local.get $q) (local.get $n)))
        (local.set $h (call $fmix (i32.xor (local.get $key) (i32.mul (i32.add (i32.mul (local.get $r0) (i32.const 65536)) (local.get $q)) (i32.const 0x85ebca77)))))
        (local.set $j (i32.const 0))
        (block $jd (loop $jl
          (br_if $jd (i32.ge_u (local.get $j) (i32.const 4)))
          (f32.store (local.get $p) (select (f32.mul (f32.load (local.get $p)) (local.get $scale)) (f32.const 0)
            (i32.lt_u (i32.and (local.get $h) (i32.const 255)) (local.get $thr))))
          (local.set $h (i32.shr_u (local.get $h) (i32.const 8)))
          (local.set $p (i32.add (local.get $p) (i32.const 4)))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $jl)))
        (local.set $q (i32.add (local.get $q) (i32.const 4)))
        (br $ql)))
      (local.set $r0 (i32.add (local.get $r0) (i32.const 1)))
      (br $rl))))

  ;; Forward pass of rows [r0, r1) through every dense layer of the table (dropout when CTRL.training).
  (func $layers_forward (param $r0 i32) (param $r1 i32)
    (local $l i32) (local $L i32) (local $nl i32)
    (local.set $nl (i32.load (i32.const ${CTRL.layers})))
    (block $d (loop $ls
      (br_if $d (i32.ge_u (local.get $l) (local.get $nl)))
      (local.set $L ${layerAt('(local.get $l)')})
      (call $gemm_nn ${lf('input')} (i32.shl ${lf('k')} (i32.const 2)) ${lf('k')} ${lf('w')} ${lf('b')} ${lf('out')} (i32.shl ${lf('n')} (i32.const 2))
        (i32.shr_u ${lf('n')} (i32.const 3)) ${lf('relu')} (local.get $r0) (local.get $r1))
      (if (i32.and (i32.load (i32.const ${CTRL.training})) (i32.ne ${lf('dropThreshold')} (i32.const 0)))
        (then (call $dropout (local.get $L) (local.get $l) (local.get $r0) (local.get $r1))))
      (local.set $l (i32.add (local.get $l) (i32.const 1)))
      (br $ls))))

  ;; Loss and dLogits of rows [r0, r1) (the last layer's output), then dX of every layer but the
  ;; first, top down, with the old weights (their transposed copies, kept in step by the updates).
  ;; Each row's loss goes to CTRL.rowLossPtr, so the batch's sum is the same on any thread count.
  (func $layers_backward (param $tid i32) (param $r0 i32) (param $r1 i32) (param $B i32) (result f64)
    (local $l i32) (local $L i32) (local $P i32) (local $nl i32) (local $r i32) (local $row f64) (local $loss f64)
    (local.set $nl (i32.load (i32.const ${CTRL.layers})))
    (local.set $L ${layerAt('(i32.sub (local.get $nl) (i32.const 1))')})
    (local.set $r (local.get $r0))
    (block $rd (loop $rl
      (br_if $rd (i32.ge_s (local.get $r) (local.get $r1)))
      (local.set $row (call $softmax_ce ${lf('out')} ${lf('grad')} (i32.shl ${lf('n')} (i32.const 2)) (local.get $r) (i32.add (local.get $r) (i32.const 1)) (local.get $B)
        (i32.load (i32.const ${CTRL.orderPtr})) (i32.load (i32.const ${CTRL.labelsPtr}))))
      (f64.store (i32.add (i32.load (i32.const ${CTRL.rowLossPtr})) (i32.shl (local.get $r) (i32.const 3))) (local.get $row))
      (local.set $loss (f64.add (local.get $loss) (local.get $row)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rl)))
    ;; dX of every layer but the first
    (local.set $l (i32.sub (local.get $nl) (i32.const 1)))
    (block $bd (loop $bl
      (br_if $bd (i32.le_s (local.get $l) (i32.const 0)))
      (local.set $L ${layerAt('(local.get $l)')})
      (local.set $P ${layerAt('(i32.sub (local.get $l) (i32.const 1))')})
      (call $gemm_dx ${lf('grad')} (i32.shl ${lf('n')} (i32.const 2)) ${lf('n')} ${lf('wt')}
        (i32.load offset=${LAYER.grad} (local.get $P)) (i32.shl ${lf('k')} (i32.const 2)) (i32.shr_u ${lf('k')} (i32.const 3))
        (i32.load offset=${LAYER.out} (local.get $P)) (i32.load offset=${LAYER.relu} (local.get $P))
        (if (result f32) (i32.load offset=${LAYER.dropThreshold} (local.get $P)) (then (f32.load offset=${LAYER.dropScale} (local.get $P))) (else (f32.const 1)))
        (local.get $r0) (local.get $r1))
      (local.set $l (i32.sub (local.get $l) (i32.const 1)))
      (br $bl)))
    (local.get $loss))

  ;; The loss of the whole batch (after a barrier): its rows' losses summed in row order.
  (func $batch_loss (param $B i32) (result f64)
    (local $p i32) (local $end i32) (local $total f64)
    (local.set $p (i32.load (i32.const ${CTRL.rowLossPtr})))
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $B) (i32.const 3))))
    (block $sd (loop $sl
      (br_if $sd (i32.ge_u (local.get $p) (local.get $end)))
      (local.set $total (f64.add (local.get $total) (f64.load (local.get $p))))
      (local.set $p (i32.add (local.get $p) (i32.const 8)))
      (br $sl)))
    (local.get $total))

  ;; The updates of every dense layer: this thread's rows of every W; thread 0 also the biases.
  (func $layers_update (param $tid i32) (param $nt i32) (param $B i32)
    (local $l i32) (local $L i32) (local $nl i32)
    (local.set $nl (i32.load (i32.const ${CTRL.layers})))
    (block $ud (loop $ul
      (br_if $ud (i32.ge_u (local.get $l) (local.get $nl)))
      (local.set $L ${layerAt('(local.get $l)')})
      (call $gemm_tn_update ${lf('input')} (i32.shl ${lf('k')} (i32.const 2)) ${lf('grad')} (i32.shl ${lf('n')} (i32.const 2)) (local.get $B)
        ${lf('w')} ${lf('w1')} ${lf('w2')} ${lf('k')} (i32.shr_u ${lf('n')} (i32.const 3))
        (call $share ${lf('k')} (local.get $tid) (local.get $nt)) (call $share ${lf('k')} (i32.add (local.get $tid) (i32.const 1)) (local.get $nt)))
      ;; the same rows of Wᵀ, for the next step's dX
      (if ${lf('wt')} (then
        (call $packw_transpose ${lf('w')} ${lf('k')} ${lf('n')} ${lf('wt')}
          (call $share ${lf('k')} (local.get $tid) (local.get $nt)) (call $share ${lf('k')} (i32.add (local.get $tid) (i32.const 1)) (local.get $nt)))))
      (if (i32.eqz (local.get $tid)) (then
        (call $bias_update ${lf('grad')} (i32.shl ${lf('n')} (i32.const 2)) (local.get $B) ${lf('b')} ${lf('b1')} ${lf('b2')} ${lf('n')})))
      (local.set $l (i32.add (local.get $l) (i32.const 1)))
      (br $ul))))

  ;; Rows of thread tid of nt: multiples of 4 so the row tiles stay whole.
  (func $share (param $n i32) (param $tid i32) (param $nt i32) (result i32)
    (if (result i32) (i32.ge_s (local.get $tid) (local.get $nt)) (then (local.get $n))
      (else (i32.and (i32.div_u (i32.mul (local.get $n) (local.get $tid)) (local.get $nt)) (i32.const -4)))))

${atomics}`;
}

/** The dense engine's program: gather, the layers, two barriers per step. */
export function denseProgramWat() {
  return `
  ;; Forward pass of rows [r0, r1): gather + normalise, then every layer.
  (func $forward (param $r0 i32) (param $r1 i32)
    (call $gather (local.get $r0) (local.get $r1))
    (call $layers_forward (local.get $r0) (local.get $r1)))

  ;; One thread's share of a training step; returns the total loss (all threads) of the batch.
  (func $run_step (param $tid i32) (param $nt i32) (result f64)
    (local $B i32) (local $r0 i32) (local $r1 i32) (local $total f64)
    (local.set $B (i32.load (i32.const ${CTRL.batch})))
    (local.set $r0 (call $share (local.get $B) (local.get $tid) (local.get $nt)))
    (local.set $r1 (call $share (local.get $B) (i32.add (local.get $tid) (i32.const 1)) (local.get $nt)))
    ;; 1. forward, loss, dLogits and dX of this thread's rows
    (call $forward (local.get $r0) (local.get $r1))
    (drop (call $layers_backward (local.get $tid) (local.get $r0) (local.get $r1) (local.get $B)))
    (call $barrier (local.get $nt))
    ;; 2. the loss of the whole batch; a non-finite one leaves the weights as they were
    (local.set $total (call $batch_loss (local.get $B)))
    (if (i32.eqz (f64.lt (f64.abs (local.get $total)) (f64.const inf))) (then (return (local.get $total))))
    ;; 3. the updates
    (call $layers_update (local.get $tid) (local.get $nt) (local.get $B))
    (local.get $total))
${trainStepExports()}`;
}

/** \`train_step\` (thread 0 starts the helpers, runs its share, waits) and \`forward\` (inference, this thread). */
export function trainStepExports() {
  return `
  ;; The fused training step on CTRL.batch rows (order at CTRL.orderPtr): returns the mean loss.
  (func (export "train_step") (result f64)
    (local $nt i32) (local $total f64)
    (local.set $nt (i32.load (i32.const ${CTRL.threads})))
    (i32.store (i32.const ${CTRL.training}) (i32.const 1))
    (if (i32.gt_s (local.get $nt) (i32.const 1)) (then (call $start_helpers)))
    (local.set $total (call $run_step (i32.const 0) (local.get $nt)))
    (call $barrier (local.get $nt))
    (i32.store (i32.const ${CTRL.step}) (i32.add (i32.load (i32.const ${CTRL.step})) (i32.const 1)))
    (f64.div (local.get $total) (f64.convert_i32_s (i32.load (i32.const ${CTRL.batch})))))

  ;; Inference: forward of CTRL.batch rows without dropout (this thread only).
  (func (export "forward") (param $rows i32)
    (i32.store (i32.const ${CTRL.training}) (i32.const 0))
    (call $forward (i32.const 0) (local.get $rows)))`;
}

/** The dense engine's whole step module body. */
export function stepWat({ threads }) {
  return stepCommonWat({ threads }) + denseProgramWat();
}

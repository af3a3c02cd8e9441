// WAT of the CNN engine's fused training step (the preset `cnn`): one call per batch.
//   forward   gather → im2col → conv1 GEMM (+bias, ReLU) → max-pool → im2col → conv2 GEMM → max-pool
//             → the dense head of the layer table (GEMMs, ReLU, dropout)
//   backward  softmax-CE, the head's dX GEMMs, dP2 = dZ·W3ᵀ → pool/ReLU backward → dCols2 = dC2·W2ᵀ
//             (GEMM on a transposed copy of W2) → col2im → pool/ReLU backward = dC1
//   update    every W as its row-blocked dW GEMM with the optimizer in the epilogue, the biases
// Threads: samples of the batch for forward/backward, rows of every W for the updates (each
// thread also re-packs its rows of W2ᵀ); a barrier between, so 1 and 2 threads give the same bits.
import { CTRL, LAYER, CNN, CNN_TABLE, CNN_SHAPE } from './memory-map.mjs';
import { trainStepExports } from './step-wat.mjs';

const S = CNN_SHAPE;
const H1 = S.h - S.k + 1; // 24: conv1 output
const Q1 = H1 / 2; // 12: pool1 output
const H2 = Q1 - S.k + 1; // 8
const Q2 = H2 / 2; // 4
const ROWS1 = H1 * H1; // 576 GEMM rows per sample
const ROWS2 = H2 * H2; // 64
const c = (field) => `(i32.load (i32.const ${CNN_TABLE + CNN[field]}))`;
const i = (n) => `(i32.const ${n})`;
const get = (n) => `(local.get $${n})`;
const mul = (a, b) => `(i32.mul ${a} ${b})`;
const layer0 = (field) => `(i32.load (i32.const ${CTRL.layerTable + LAYER[field]}))`;

/** The CNN program: `$forward`, `$run_step` and the step exports. */
export function cnnProgramWat() {
  if (Q2 * Q2 * S.c2 !== S.flat || S.k1 < S.k * S.k || S.k2 !== S.k * S.k * S.c1) throw new Error('CNN_SHAPE is inconsistent');
  return `
  ;; Forward pass of samples [r0, r1): conv stage, then the dense head (dropout when CTRL.training).
  (func $forward (param $r0 i32) (param $r1 i32)
    (call $gather ${get('r0')} ${get('r1')})
    (call $im2col ${c('cols1')} ${i(S.k1 * 4)} (i32.load (i32.const ${CTRL.inputPtr})) ${i(S.h)} ${i(S.h)} ${i(1)} ${i(S.k)} ${get('r0')} ${get('r1')})
    (call $gemm_nn ${c('cols1')} ${i(S.k1 * 4)} ${i(S.k1)} ${c('w1')} ${c('b1')} ${c('c1')} ${i(S.c1 * 4)} ${i(S.c1 / 8)} ${i(1)} ${mul(get('r0'), i(ROWS1))} ${mul(get('r1'), i(ROWS1))})
    (call $maxpool ${c('c1')} ${c('p1')} ${i(H1)} ${i(H1)} ${i(S.c1)} ${get('r0')} ${get('r1')})
    (call $im2col ${c('cols2')} ${i(S.k2 * 4)} ${c('p1')} ${i(Q1)} ${i(Q1)} ${i(S.c1)} ${i(S.k)} ${get('r0')} ${get('r1')})
    (call $gemm_nn ${c('cols2')} ${i(S.k2 * 4)} ${i(S.k2)} ${c('w2')} ${c('b2')} ${c('c2')} ${i(S.c2 * 4)} ${i(S.c2 / 8)} ${i(1)} ${mul(get('r0'), i(ROWS2))} ${mul(get('r1'), i(ROWS2))})
    (call $maxpool ${c('c2')} ${c('p2')} ${i(H2)} ${i(H2)} ${i(S.c2)} ${get('r0')} ${get('r1')})
    (call $layers_forward ${get('r0')} ${get('r1')}))

  ;; The update of one conv layer's rows [k0, k1) of this thread (row-blocked dW GEMM + optimizer).
  (func $conv_update (param $cols i32) (param $K i32) (param $G i32) (param $N i32) (param $rows i32) (param $W i32) (param $S1 i32) (param $S2 i32) (param $D i32) (param $tid i32) (param $nt i32)
    (call $gemm_tn_update_blocked ${get('cols')} (i32.shl ${get('K')} ${i(2)}) ${get('G')} (i32.shl ${get('N')} ${i(2)}) ${get('rows')}
      ${get('W')} ${get('S1')} ${get('S2')} ${get('K')} (i32.shr_u ${get('N')} ${i(3)})
      (call $share ${get('K')} ${get('tid')} ${get('nt')}) (call $share ${get('K')} (i32.add ${get('tid')} ${i(1)}) ${get('nt')}) ${get('D')}))

  ;; One thread's share of a training step; returns the total loss (all threads) of the batch.
  (func $run_step (param $tid i32) (param $nt i32) (result f64)
    (local $B i32) (local $r0 i32) (local $r1 i32) (local $total f64)
    (local.set $B (i32.load (i32.const ${CTRL.batch})))
    (local.set $r0 (call $share ${get('B')} ${get('tid')} ${get('nt')}))
    (local.set $r1 (call $share ${get('B')} (i32.add ${get('tid')} ${i(1)}) ${get('nt')}))
    ;; 1. forward, loss, the head's dX (this thread's samples)
    (call $forward ${get('r0')} ${get('r1')})
    (drop (call $layers_backward ${get('tid')} ${get('r0')} ${get('r1')} ${get('B')}))
    ;; 2. dP2 = dZ1·W3ᵀ (no mask: the pool's), then pool + ReLU backward into dC2
    (call $gemm_nt ${layer0('grad')} (i32.shl ${layer0('n')} ${i(2)}) (i32.shr_u ${layer0('n')} ${i(3)}) ${layer0('w')} ${i(S.flat)}
      ${c('dp2')} ${i(S.flat * 4)} ${c('dp2')} ${i(0)} (f32.const 1) ${get('r0')} ${get('r1')})
    (call $maxpool_back ${c('c2')} ${c('p2')} ${c('dp2')} ${c('dc2')} ${i(H2)} ${i(H2)} ${i(S.c2)} ${get('r0')} ${get('r1')})
    ;; 3. dCols2 = dC2·W2ᵀ, col2im into dP1, pool + ReLU backward into dC1
    (call $gemm_nn ${c('dc2')} ${i(S.c2 * 4)} ${i(S.c2)} ${c('w2t')} ${c('zero')} ${c('dcols2')} ${i(S.k2 * 4)} ${i(S.k2 / 8)} ${i(0)} ${mul(get('r0'), i(ROWS2))} ${mul(get('r1'), i(ROWS2))})
    (call $col2im ${c('dcols2')} ${i(S.k2 * 4)} ${c('dp1')} ${i(Q1)} ${i(Q1)} ${i(S.c1)} ${i(S.k)} ${get('r0')} ${get('r1')})
    (call $maxpool_back ${c('c1')} ${c('p1')} ${c('dp1')} ${c('dc1')} ${i(H1)} ${i(H1)} ${i(S.c1)} ${get('r0')} ${get('r1')})
    (call $barrier ${get('nt')})
    ;; 4. the loss of the whole batch; a non-finite one leaves the weights as they were
    (local.set $total (call $batch_loss ${get('B')}))
    (if (i32.eqz (f64.lt (f64.abs ${get('total')}) (f64.const inf))) (then (return ${get('total')})))
    ;; 5. the updates: this thread's rows of every W (and of W2ᵀ); thread 0 the biases
    (call $conv_update ${c('cols1')} ${i(S.k1)} ${c('dc1')} ${i(S.c1)} ${mul(get('B'), i(ROWS1))} ${c('w1')} ${c('w1s1')} ${c('w1s2')} ${c('dw1')} ${get('tid')} ${get('nt')})
    (call $conv_update ${c('cols2')} ${i(S.k2)} ${c('dc2')} ${i(S.c2)} ${mul(get('B'), i(ROWS2))} ${c('w2')} ${c('w2s1')} ${c('w2s2')} ${c('dw2')} ${get('tid')} ${get('nt')})
    (call $packw_transpose ${c('w2')} ${i(S.k2)} ${i(S.c2)} ${c('w2t')}
      (call $share ${i(S.k2)} ${get('tid')} ${get('nt')}) (call $share ${i(S.k2)} (i32.add ${get('tid')} ${i(1)}) ${get('nt')}))
    (call $layers_update ${get('tid')} ${get('nt')} ${get('B')})
    (if (i32.eqz ${get('tid')}) (then
      (call $bias_update ${c('dc1')} ${i(S.c1 * 4)} ${mul(get('B'), i(ROWS1))} ${c('b1')} ${c('b1s1')} ${c('b1s2')} ${i(S.c1)})
      (call $bias_update ${c('dc2')} ${i(S.c2 * 4)} ${mul(get('B'), i(ROWS2))} ${c('b2')} ${c('b2s1')} ${c('b2s2')} ${i(S.c2)})))
    ${get('total')})
${trainStepExports()}`;
}

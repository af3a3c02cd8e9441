/**
 * Chooses the tfjs backend in the worker at run time and says why.
 *
 * `auto` starts every candidate it can:
 * - WebGPU, when `navigator.gpu.requestAdapter()` gives a hardware adapter and
 *   a small self-test (a fused dense layer, read back) matches plain JS;
 * - WASM: threaded SIMD on a cross-origin isolated page (whose worker policy
 *   allows the blob: URLs its threads start from) when it would run more
 *   than one thread and its threads start in time (see wasm-threads.ts),
 *   else SIMD, else plain; and,
 *   for dense models, the fused SIMD-WASM training engine on top of it;
 * then times a few training steps of the model on each (see
 * `calibrate-backends.ts`, ~300 ms in all) and takes the fastest, reporting
 * every measurement. WebGPU wins only when it measures faster. The pure-JS CPU
 * backend runs only when nothing else starts.
 * A backend named explicitly must start, or this throws a {@link BackendError}.
 */
/// <reference types="@webgpu/types" />
import * as tf from '@tensorflow/tfjs-core';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import '../src/backend/register-backends.js';
import { useBackend, type BackendName } from '../src/backend/use-backend.js';
import { BackendError, InvalidOptionError } from '../src/errors.js';
import { isDenseSpec } from '../src/kernels/dense-engine.js';
import { isCnnSpec } from '../src/kernels/cnn-engine.js';
import { presetSpec } from '../src/models/presets.js';
import type { ModelSpec } from '../src/models/spec.js';
import type { TrainingEngineName } from '../src/train/trainer.js';
import { CALIBRATION_BUDGET_MS, calibrateFused, calibrateTfjs, type FusedCandidate } from './calibrate-backends.js';
import type { AdapterReport, BackendChoice, BackendReport, Calibration, PassedOver, WorkerInitOptions } from './protocol.js';
import { defaultWasmPaths } from './wasm-paths.js';
import { defaultWasmThreads, startWasm } from './wasm-threads.js';

const CHOICES: readonly BackendChoice[] = ['auto', 'webgpu', 'wasm', 'cpu'];

/** The binary tfjs loads for each WASM variant. */
const WASM_FILES = { plain: 'tfjs-backend-wasm.wasm', simd: 'tfjs-backend-wasm-simd.wasm', 'threaded-simd': 'tfjs-backend-wasm-threaded-simd.wasm' } as const;

/** The WebGPU device in use, so the worker can watch for its loss. */
export interface SelectedBackend {
  report: BackendReport;
  device?: GPUDevice;
  /** `auto` only: the training engine that measured fastest on the chosen backend. */
  engine?: TrainingEngineName;
}

/** What `auto` calibrates with: the model to train and the fused engine's thread options. */
export interface CalibrationTarget {
  spec: ModelSpec;
  fused?: FusedCandidate;
}

/**
 * Starts `options.backend` (default `auto`) and reports what runs.
 *
 * @example
 * ```ts
 * const { report } = await selectBackend({ backend: 'auto' });
 * report.name; // 'wasm'
 * report.passedOver; // [{ backend: 'webgpu', reason: 'navigator.gpu.requestAdapter() returned no adapter' }]
 * ```
 */
export async function selectBackend(options: WorkerInitOptions = {}, target: CalibrationTarget = { spec: presetSpec('mlp') }): Promise<SelectedBackend> {
  const choice = options.backend ?? 'auto';
  if (!CHOICES.includes(choice)) throw new InvalidOptionError(`Unknown backend "${String(choice)}": expected one of ${CHOICES.join(', ')}`);
  if (options.wasmThreads !== undefined && (!Number.isInteger(options.wasmThreads) || options.wasmThreads < 1)) {
    throw new InvalidOptionError(`Expected wasmThreads to be an integer >= 1, got ${String(options.wasmThreads)}`);
  }
  if (options.wasmThreadStartMs !== undefined && !(Number.isFinite(options.wasmThreadStartMs) && options.wasmThreadStartMs > 0)) {
    throw new InvalidOptionError(`Expected wasmThreadStartMs to be a positive number of milliseconds, got ${String(options.wasmThreadStartMs)}`);
  }
  const t0 = performance.now();
  const passedOver: PassedOver[] = [];
  if (choice === 'auto') {
    const measured = await selectByMeasurement(options, target, passedOver);
    if (measured) return { ...measured, report: { ...measured.report, requested: choice, initMs: performance.now() - t0, passedOver } };
  }
  const order: BackendName[] = choice === 'auto' ? ['cpu'] : [choice];
  for (const name of order) {
    try {
      const started = await start(name, choice, options, passedOver);
      return { ...started, report: { ...started.report, requested: choice, initMs: performance.now() - t0, passedOver } };
    } catch (error) {
      if (choice !== 'auto') throw error instanceof BackendError ? error : new BackendError(`Backend "${name}" failed to start: ${message(error)}`, { cause: error });
      passedOver.push({ backend: name, reason: message(error) });
    }
  }
  throw new BackendError(`No backend could start: ${passedOver.map((p) => `${p.backend}: ${p.reason}`).join('; ')}`);
}

type Started = Omit<SelectedBackend, 'report'> & { report: Omit<BackendReport, 'requested' | 'passedOver'> };

/**
 * `auto`: starts WebGPU and WASM, times the model's training step on each (and
 * on the fused engine for a dense model), activates the fastest and reports
 * them all. Null when neither starts (the caller falls back to the CPU).
 */
async function selectByMeasurement(options: WorkerInitOptions, target: CalibrationTarget, passedOver: PassedOver[]): Promise<Started | null> {
  const started = new Map<BackendName, Started>();
  for (const name of ['webgpu', 'wasm'] as const) {
    try {
      started.set(name, await start(name, 'auto', options, passedOver));
    } catch (error) {
      passedOver.push({ backend: name, reason: message(error) });
    }
  }
  if (started.size === 0) return null;
  const fusedToo = started.has('wasm') && (isDenseSpec(target.spec) || isCnnSpec(target.spec));
  const budget = CALIBRATION_BUDGET_MS / (started.size + (fusedToo ? 1 : 0));
  const entries: Calibration[] = [];
  for (const [name, s] of started) {
    await tf.setBackend(name);
    const variant = name === 'webgpu' ? s.report.adapter?.description || s.report.adapter?.vendor || undefined : s.report.wasmVariant;
    try {
      entries.push({ backend: name, engine: 'tfjs', ...(variant ? { variant } : {}), ...(await calibrateTfjs(target.spec, budget)) });
    } catch (error) {
      passedOver.push({ backend: name, reason: `its calibration step failed: ${message(error)}` });
    }
    if (name === 'wasm' && fusedToo) {
      try {
        const r = await calibrateFused(target.spec, target.fused ?? {}, budget);
        entries.push({ backend: 'wasm', engine: 'fused', variant: `${r.variant.simd}, ${r.variant.threads} thread${r.variant.threads === 1 ? '' : 's'}`, stepMs: r.stepMs, steps: r.steps });
      } catch (error) {
        passedOver.push({ backend: 'wasm', engine: 'fused', reason: `the fused engine did not start: ${message(error)}` });
      }
    }
  }
  entries.sort((a, b) => a.stepMs - b.stepMs);
  const best = entries[0] ?? { backend: started.has('wasm') ? 'wasm' : 'webgpu', engine: 'tfjs', stepMs: NaN, steps: 0 };
  const label = (c: Calibration) => `${c.engine === 'fused' ? 'the fused engine' : `tfjs ${c.backend}`}${c.variant ? ` (${c.variant})` : ''}`;
  for (const c of entries.slice(1)) {
    passedOver.push({ backend: c.backend, ...(c.engine === 'fused' ? { engine: 'fused' as const } : {}), reason: `measured ${c.stepMs.toFixed(2)} ms per training step, against ${best.stepMs.toFixed(2)} ms for ${label(best)}` });
  }
  await tf.setBackend(best.backend);
  if (best.backend !== 'webgpu' && started.has('webgpu')) tf.removeBackend('webgpu'); // releases the device
  const chosen = started.get(best.backend)!;
  return { ...chosen, device: best.backend === 'webgpu' ? chosen.device : undefined, engine: best.engine, report: { ...chosen.report, calibration: entries } };
}

async function start(name: BackendName, choice: BackendChoice, options: WorkerInitOptions, passedOver: PassedOver[]): Promise<Started> {
  const coi = globalThis.crossOriginIsolated === true;
  if (name === 'webgpu') {
    const { adapter, device } = await startWebGpu(choice === 'auto' && !options.allowFallbackAdapter);
    return { report: { name, adapter, crossOriginIsolated: coi, initMs: 0 }, device };
  }
  if (name === 'wasm') {
    const threads = options.wasmThreads ?? defaultWasmThreads();
    setThreadsCount(threads);
    const paths = options.wasmPaths ?? defaultWasmPaths();
    // WASM threads start from blob: URLs; a policy that forbids them would leave tfjs waiting forever for its threads.
    const blocked = coi && (await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) && !(await blobWorkersAllowed());
    if (blocked) {
      tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
      passedOver.push({ backend: 'wasm', variant: 'threaded-simd', reason: "the worker's Content-Security-Policy forbids blob: workers and scripts, which WebAssembly threads start from (allow blob: in its worker-src and script-src)" });
    }
    const info = await startWasm({ threads, paths, passedOver, startMs: options.wasmThreadStartMs });
    const file = WASM_FILES[info.wasmVariant ?? 'plain'];
    if (info.wasmVariant !== 'threaded-simd' && !passedOver.some((p) => p.variant === 'threaded-simd')) {
      passedOver.push({ backend: 'wasm', variant: 'threaded-simd', reason: coi ? 'WebAssembly threads are unavailable in this browser' : 'needs a cross-origin isolated page (Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)' });
    }
    if (info.wasmVariant === 'plain') passedOver.push({ backend: 'wasm', variant: 'simd', reason: 'WebAssembly SIMD is unavailable in this browser' });
    const wasmUrl = typeof paths === 'string' ? paths + file : paths[file];
    return { report: { name, wasmVariant: info.wasmVariant, threads: info.threads, wasmUrl, crossOriginIsolated: coi, initMs: 0 } };
  }
  await useBackend('cpu');
  return { report: { name, crossOriginIsolated: coi, initMs: 0 } };
}

let blobWorkers: Promise<boolean> | null = null;

/**
 * Whether this worker may start a worker from a blob: URL which
 * importScripts() another blob: URL, as tfjs's WASM threads do (Emscripten
 * pthreads). A Content-Security-Policy without `blob:` forbids it; the answer
 * is asked once, by trying: an error event is a no, and so is no answer within
 * 15 s (a blob: worker starts in well under a second, even on a busy machine).
 */
function blobWorkersAllowed(timeoutMs = 15_000): Promise<boolean> {
  blobWorkers ??= (async () => {
    if (typeof Worker === 'undefined' || typeof Blob === 'undefined' || typeof URL.createObjectURL !== 'function') return false;
    const inner = URL.createObjectURL(new Blob(['self.probed = true;'], { type: 'text/javascript' }));
    const outer = URL.createObjectURL(new Blob([`importScripts(${JSON.stringify(inner)}); postMessage(self.probed === true);`], { type: 'text/javascript' }));
    let worker: Worker | undefined;
    try {
      return await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), timeoutMs);
        const done = (ok: boolean) => {
          clearTimeout(timer);
          resolve(ok);
        };
        try {
          worker = new Worker(outer);
        } catch {
          done(false);
          return;
        }
        worker.onmessage = (e: MessageEvent) => done(e.data === true);
        worker.onerror = (e: ErrorEvent) => {
          e.preventDefault();
          done(false);
        };
      });
    } finally {
      worker?.terminate();
      URL.revokeObjectURL(inner);
      URL.revokeObjectURL(outer);
    }
  })();
  return blobWorkers;
}

/** Starts tfjs-backend-webgpu (loaded on demand) on a checked adapter and runs the self-test. */
async function startWebGpu(hardwareOnly: boolean): Promise<{ adapter: AdapterReport; device: GPUDevice }> {
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) throw new BackendError('WebGPU is unavailable: navigator.gpu is missing (an older browser, an insecure context, or WebGPU disabled)');
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new BackendError('navigator.gpu.requestAdapter() returned no adapter (no usable GPU, or WebGPU blocked for it)');
  const report = await adapterReport(adapter);
  if (hardwareOnly && report.isFallbackAdapter) {
    throw new BackendError(`the only adapter is a software fallback (${report.description || report.vendor || 'SwiftShader'}), slower than WASM; pass allowFallbackAdapter: true to use it`);
  }
  await import('./webgpu-backend.js'); // registers 'webgpu' with tfjs
  try {
    await useBackend('webgpu');
    await selfTest();
  } catch (error) {
    if (tf.findBackend('webgpu')) tf.removeBackend('webgpu'); // releases the device
    throw error;
  }
  const device = (tf.backend() as unknown as { device: GPUDevice }).device;
  return { adapter: report, device };
}

async function adapterReport(adapter: GPUAdapter): Promise<AdapterReport> {
  type Info = GPUAdapterInfo & { isFallbackAdapter?: boolean };
  const a = adapter as GPUAdapter & { info?: Info; isFallbackAdapter?: boolean; requestAdapterInfo?: () => Promise<Info> };
  const info: Info | undefined = a.info ?? (await a.requestAdapterInfo?.());
  return {
    vendor: info?.vendor ?? '',
    architecture: info?.architecture ?? '',
    device: info?.device ?? '',
    description: info?.description ?? '',
    isFallbackAdapter: Boolean(info?.isFallbackAdapter ?? a.isFallbackAdapter),
  };
}

/** A 16×24 · 24×8 dense layer with bias and ReLU, then a sum, checked against plain JS. */
async function selfTest(): Promise<void> {
  const [m, k, n] = [16, 24, 8];
  const a = Float32Array.from({ length: m * k }, (_, i) => Math.sin(i) * 0.5);
  const b = Float32Array.from({ length: k * n }, (_, i) => Math.cos(i * 0.7) * 0.5);
  const bias = Float32Array.from({ length: n }, (_, i) => (i - n / 2) * 0.05);
  const out = tf.tidy(() => tf.fused.matMul({ a: tf.tensor2d(a, [m, k]), b: tf.tensor2d(b, [k, n]), bias: tf.tensor1d(bias), activation: 'relu' }));
  const got = await out.data();
  out.dispose();
  let worst = 0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = bias[j];
      for (let p = 0; p < k; p++) s += a[i * k + p] * b[p * n + j];
      worst = Math.max(worst, Math.abs(Math.max(0, s) - got[i * n + j]));
    }
  }
  if (!(worst < 1e-3)) throw new BackendError(`the WebGPU self-test failed: a dense layer differs from plain JavaScript by ${worst}`);
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

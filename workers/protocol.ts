/**
 * What crosses the worker boundary besides comlink's own messages: the types
 * shared by the page-side client and the worker. Types only, plus the
 * handshake message the worker posts once it is listening.
 */
import type { BackendInfo, BackendName } from '../src/backend/use-backend.js';
import type { TrainingWarning } from '../src/train/diagnostics.js';
import type { BatchProgress, EpochResult, FailurePoint, TrainingEngineName, TrainingEngineReport } from '../src/train/trainer.js';

/** The backend to train on: `auto` picks the fastest one that really works. */
export type BackendChoice = 'auto' | BackendName;

/** The GPU adapter WebGPU runs on (from `GPUAdapter.info`). */
export interface AdapterReport {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** A software adapter (SwiftShader): correct, but much slower than WASM. */
  isFallbackAdapter: boolean;
}

/** A backend, or one of its variants, that was not used, and why. */
export interface PassedOver {
  backend: BackendName;
  variant?: 'threaded-simd' | 'simd';
  /** Set when the candidate was a training engine on `backend` (`fused`: the fused SIMD-WASM engine). */
  engine?: TrainingEngineName;
  reason: string;
}

/** One candidate's measured training step in `auto`'s calibration (the model to train, batch 64). */
export interface Calibration {
  backend: BackendName;
  /** `fused`: the fused SIMD-WASM engine; `tfjs`: tfjs ops on `backend`. */
  engine: TrainingEngineName;
  /** tfjs WASM: its binary; fused: SIMD level and threads; WebGPU: the adapter. */
  variant?: string;
  /** Median milliseconds per training step. */
  stepMs: number;
  /** Timed steps (after one warm-up). */
  steps: number;
}

/**
 * What runs in the worker, and why the others do not: the core's
 * `BackendInfo` (what `useBackend` returns: `name`, `wasmVariant`, `threads`,
 * `initMs`, here the time spent choosing and starting the backend, self-test
 * included) and what only the worker knows.
 */
export interface BackendReport extends BackendInfo {
  /** What was asked for. */
  requested: BackendChoice;
  /** WASM only: the URL of the binary that loaded. */
  wasmUrl?: string;
  /** WebGPU only: the adapter. */
  adapter?: AdapterReport;
  /** Whether the page is cross-origin isolated (needed for threaded WASM). */
  crossOriginIsolated: boolean;
  /** Faster backends or variants that were not used, best first, each with its reason. */
  passedOver: PassedOver[];
  /** `auto` only: every candidate that started, with its measured step time, fastest first. */
  calibration?: Calibration[];
  /** What trains the model (the fused engine or tfjs ops), on which variant, and why. */
  trainingEngine?: TrainingEngineReport;
}

/** Sent when training moves to another backend mid-run (a lost WebGPU device). */
export interface BackendChange {
  from: BackendReport;
  to: BackendReport;
  reason: string;
  /** The failed step; training resumed from the batch before it. `batch` 0: the evaluation after `epoch`. */
  at: FailurePoint;
}

/** Events of one `fit`, sent by the worker through a single comlink proxy. */
export type TrainingEvent =
  /** Every batch is reported, several to a message (see {@link WorkerFitOptions.batchEventsEveryMs}). */
  | { type: 'batches'; progress: BatchProgress[] }
  | { type: 'epoch'; result: EpochResult }
  | { type: 'warning'; warning: TrainingWarning }
  | { type: 'backend-change'; change: BackendChange };

/** Options of the worker's `init`. */
export interface WorkerInitOptions {
  backend?: BackendChoice;
  /** Where the three tfjs `.wasm` files are: a folder URL ending in `/`, or a map of file name to URL. */
  wasmPaths?: string | Record<string, string>;
  /** WASM threads when the page is cross-origin isolated (default: tfjs's choice, half the cores, at most 4). One thread loads the single-threaded build. */
  wasmThreads?: number;
  /** How long threaded WASM's worker threads may take to start before the single-threaded build is used instead (default 20,000 ms). */
  wasmThreadStartMs?: number;
  /** Let `auto` take a software WebGPU adapter (SwiftShader), which is slower than WASM. Default false. */
  allowFallbackAdapter?: boolean;
}

/** Options of the worker's `fit` (callbacks travel separately, as one proxied listener). */
export interface WorkerFitOptions {
  /** Report batches (the client sets this when there is an `onBatch`). */
  batchEvents?: boolean;
  /**
   * Batches are sent in groups at most this often (ms, default 50; the first at once):
   * a message per batch would cost the worker a quarter of its WASM speed on the MLP.
   */
  batchEventsEveryMs?: number;
  /** Hand control back to the worker's event loop this often, so pause/abort land quickly (ms). */
  yieldEveryMs?: number;
}

/** tfjs memory in the worker. */
export interface MemoryReport {
  numTensors: number;
  numBytes: number;
  backend: BackendName | null;
}

/** Counts of the sets the worker holds. */
export interface DataCounts {
  train: number;
  test: number;
}

/** The worker's first message (and its answer to a hello): it listens, and holds a Web Lock named `lock` for as long as it lives. */
export interface ReadyMessage {
  type: 'digit-classifier:ready';
  lock: string | null;
}

export const READY_TYPE: ReadyMessage['type'] = 'digit-classifier:ready';

/** Sent by the page when it attaches, in case it missed the first ready message (a worker started earlier). */
export const HELLO_TYPE = 'digit-classifier:hello';

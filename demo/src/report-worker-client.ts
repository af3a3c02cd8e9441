/**
 * The page side of the demo's helper worker (`report-worker.ts`): started on
 * first use, shared by every panel.
 */
import { proxy, transfer, wrap, type Remote } from 'comlink';
import type { DownloadProgress, MnistSet } from '../../workers/index.js';
import type { CalibrationReport } from './calibration-report.js';
import type { ReportWorkerApi } from './report-worker.js';

let remote: Remote<ReportWorkerApi> | null = null;

function helper(): Remote<ReportWorkerApi> {
  remote ??= wrap<ReportWorkerApi>(new Worker(new URL('./report-worker.js', import.meta.url), { type: 'module', name: 'digit-classifier-demo-helper' }));
  return remote;
}

/** Downloads and decodes the MNIST test split off the main thread. */
export function loadTestSetOffThread(baseUrl: URL, onProgress: (p: DownloadProgress) => void): Promise<MnistSet> {
  return helper().loadTestSet(baseUrl.href, proxy(onProgress)) as Promise<MnistSet>;
}

/** The calibration report of `count` logit rows, computed off the main thread (the logits are copied, then moved). */
export function calibrateOffThread(logits: Float32Array, labels: Uint8Array, count: number): Promise<CalibrationReport> {
  const l = logits.slice(0, count * 10);
  const y = labels.slice(0, count);
  return helper().calibrate(transfer(l, [l.buffer]), transfer(y, [y.buffer]), count) as Promise<CalibrationReport>;
}

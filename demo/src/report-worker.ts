/**
 * The demo's helper worker: the two pieces of page-side work heavy enough to
 * cost frames while the trainer runs. Downloading and decompressing the MNIST
 * test split (`DecompressionStream` inflates on the thread that reads it) and
 * fitting the temperature for the calibration report (ten passes over 5,000
 * logit rows). No tfjs: the core's pure data and metric functions only.
 * The page talks to it with comlink (`report-worker-client.ts`).
 */
import { expose, releaseProxy, transfer, type Remote } from 'comlink';
import { fetchMnist, type DownloadProgress, type MnistSet } from '../../workers/index.js';
import { calibrationReport, type CalibrationReport } from './calibration-report.js';

const api = {
  /** The 10,000 MNIST test digits from `baseUrl`, moved (not copied) to the page. */
  async loadTestSet(baseUrl: string, onProgress?: (p: DownloadProgress) => void): Promise<MnistSet> {
    try {
      const { test } = await fetchMnist({ baseUrl, split: 'test', onProgress: onProgress ? (p) => void onProgress(p) : undefined });
      return transfer(test!, [test!.images.buffer as ArrayBuffer, test!.labels.buffer as ArrayBuffer]);
    } finally {
      (onProgress as Partial<Remote<unknown>> | undefined)?.[releaseProxy]?.(); // the page's comlink proxy
    }
  },

  /** {@link calibrationReport} of held-out logits (fit on the first half, measure on the second). */
  calibrate(logits: Float32Array, labels: Uint8Array, count: number): CalibrationReport {
    return calibrationReport(logits, labels, count);
  },
};

export type ReportWorkerApi = typeof api;

expose(api);

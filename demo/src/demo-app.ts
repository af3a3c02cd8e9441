/**
 * What the demo's panels share: the URL options, where the worker script and
 * MNIST are served, the page's copy of the MNIST test split (downloaded once,
 * on demand), "your model" (trained, restored or loaded from files) and which
 * long job, if any, is running. Panels listen for `model` and `busy` events.
 */
import type { DownloadProgress, MnistSet, ModelWeights } from '../../workers/index.js';
import { loadTestSetOffThread } from './report-worker-client.js';
import type { DemoUrlOptions } from './url-options.js';

/** The model the user made or brought, as the draw, keep and report panels see it. */
export interface DemoModel {
  readonly weights: ModelWeights;
  /** E.g. "Lesson MLP, epoch 3 of 5 on 60,000 images". */
  readonly label: string;
  readonly origin: 'trained' | 'saved' | 'file' | 'adapted';
  /** Held-out accuracy, when known. */
  readonly accuracy?: number;
}

/** The long job running: panels disable what would compete with it. */
export type BusyJob = 'training' | 'comparing' | 'evaluating' | 'adapting' | null;

/** `model` event detail: whether the draw panel should switch to the new model. */
export interface ModelEventDetail {
  readonly select: boolean;
}

const MODEL_NAMES: Readonly<Record<string, string>> = { mlp: 'Lesson MLP', 'mlp-deep': 'Deeper MLP', cnn: 'CNN' };

/** A readable architecture name: "Lesson MLP" for `mlp`. */
export function modelName(specName: string): string {
  return MODEL_NAMES[specName] ?? `“${specName}”`;
}

export class DemoApp extends EventTarget {
  /** The worker script of the build (dist/trainer-worker/), beside the demo's folder. */
  readonly workerUrl = new URL('../trainer-worker/trainer-worker.js', import.meta.url);
  /** The gzip MNIST files of the build (dist/mnist/). */
  readonly mnistUrl = new URL('../mnist/', import.meta.url);
  model: DemoModel | null = null;
  busy: BusyJob = null;
  private test: Promise<MnistSet> | null = null;
  private readonly testProgress = new Set<(p: DownloadProgress) => void>();

  constructor(readonly options: DemoUrlOptions) {
    super();
  }

  /** Makes `model` "your model"; `select` asks the draw panel to switch to it. */
  setModel(model: DemoModel, select = true): void {
    this.model = model;
    this.dispatchEvent(new CustomEvent<ModelEventDetail>('model', { detail: { select } }));
  }

  setBusy(job: BusyJob): void {
    this.busy = job;
    this.dispatchEvent(new Event('busy'));
  }

  /**
   * The 10,000 MNIST test digits on the page (for example images, calibration
   * and the backend comparison), downloaded on first use, off the main thread. A failed download is
   * forgotten so the next call retries.
   */
  testSet(onProgress?: (p: DownloadProgress) => void): Promise<MnistSet> {
    if (onProgress) this.testProgress.add(onProgress);
    // Downloaded and inflated in the helper worker: gzip inflation runs on the thread that reads the stream.
    this.test ??= loadTestSetOffThread(this.mnistUrl, (p) => this.testProgress.forEach((f) => f(p)))
      .catch((error: unknown) => {
        this.test = null;
        throw error;
      });
    const done = () => onProgress && this.testProgress.delete(onProgress);
    return this.test.finally(done);
  }
}

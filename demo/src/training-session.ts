/**
 * The training worker behind the train panel: one `TrainerClient`, kept
 * between runs while the backend and the training-set size stay the same (a
 * new run only resets the model, no new download), replaced when they change,
 * and forgotten if the worker dies.
 */
import { createTrainer, type BackendChoice, type DownloadProgress, type Evaluation, type ModelWeights, type TrainerClient, type TrainerOptions } from '../../workers/index.js';

/** MNIST's training-set size. */
export const MNIST_TRAIN_COUNT = 60_000;

/** MNIST training digits a worker loads to rehearse while adapting, when it holds none yet. */
export const ADAPT_REPLAY_COUNT = 10_000;

/** What decides whether a worker can be reused. */
export interface SessionConfig {
  readonly backend: BackendChoice;
  /** Training images, the first N of MNIST's 60,000. */
  readonly trainSize: number;
}

export class TrainingSession {
  private client: TrainerClient | null = null;
  private backend: BackendChoice | null = null;
  private trainSize = 0;
  private hasTest = false;

  constructor(
    private readonly workerUrl: URL,
    private readonly mnistUrl: URL,
  ) {}

  /** The current worker client, if one is up. */
  get current(): TrainerClient | null {
    return this.client;
  }

  /**
   * A worker on `config.backend` holding the training subset and the test set,
   * with a fresh model made from `options`. Downloads what it does not hold yet.
   */
  async prepare(config: SessionConfig, options: TrainerOptions, onProgress: (p: DownloadProgress) => void): Promise<TrainerClient> {
    const client = await this.ensure(config.backend, options);
    if (this.trainSize !== config.trainSize) {
      this.trainSize = 0;
      const limit = config.trainSize < MNIST_TRAIN_COUNT ? config.trainSize : undefined;
      await client.loadMnist({ baseUrl: this.mnistUrl, split: 'train', limit, onProgress });
      this.trainSize = config.trainSize;
    }
    await this.giveTest(client);
    return client;
  }

  /** Held-out scores of `model` on the test set, computed in a worker (started on `backend` if none is up). */
  async evaluate(model: ModelWeights, backend: BackendChoice): Promise<Evaluation> {
    const client = await this.ensure(this.client ? this.backend! : backend, { model });
    await this.giveTest(client);
    return client.evaluate();
  }

  /**
   * A worker on `backend` holding `model` (the one the pad reads with), the
   * test set (to measure it before and after) and MNIST training digits to
   * rehearse while adapting: the training subset it already holds, else the
   * first {@link ADAPT_REPLAY_COUNT}.
   */
  async prepareAdapt(model: ModelWeights, backend: BackendChoice): Promise<TrainerClient> {
    const client = await this.ensure(this.client ? this.backend! : backend, { model });
    if (this.trainSize === 0) {
      await client.loadMnist({ baseUrl: this.mnistUrl, split: 'train', limit: ADAPT_REPLAY_COUNT });
      this.trainSize = ADAPT_REPLAY_COUNT;
    }
    await this.giveTest(client);
    return client;
  }

  /** Ends the worker. */
  async terminate(): Promise<void> {
    const client = this.client;
    this.forget();
    await client?.terminate();
  }

  /** A live client on `backend` with a fresh model from `options`. */
  private async ensure(backend: BackendChoice, options: TrainerOptions): Promise<TrainerClient> {
    if (this.client && this.backend === backend) {
      await this.client.reset(options);
      return this.client;
    }
    await this.terminate();
    const client = await createTrainer({ ...options, backend, workerUrl: this.workerUrl });
    this.client = client;
    this.backend = backend;
    void client.stopped.then(() => {
      if (this.client === client) this.forget();
    });
    return client;
  }

  /**
   * Has the worker fetch the test split itself, once per worker: the page
   * holds the same file's digits (same order, so the worker's predictions
   * index the page's images), and neither a 7.8 MB copy nor its gzip
   * inflation touches the main thread (a second fetch of the file is an HTTP
   * revalidation).
   */
  private async giveTest(client: TrainerClient): Promise<void> {
    if (this.hasTest) return;
    await client.loadMnist({ baseUrl: this.mnistUrl, split: 'test' });
    this.hasTest = true;
  }

  private forget(): void {
    this.client = null;
    this.backend = null;
    this.trainSize = 0;
    this.hasTest = false;
  }
}

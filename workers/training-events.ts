/**
 * The worker's side of `fit`'s progress: every event goes to the page's
 * listener (a comlink proxy) over one port, in order; batch reports wait and
 * leave together, at most every `everyMs`, and any other event sends the
 * waiting batches first. `settled()` resolves once the page has answered the
 * last event sent, so a run ends only after the page has seen all of them.
 *
 * @example
 * ```ts
 * const events = new TrainingEvents(listener, 50);
 * events.batch(progress);                  // queued
 * await events.send({ type: 'epoch', result });
 * events.flush();
 * await events.settled();
 * ```
 */
import type { BatchProgress } from '../src/train/fit-types.js';
import type { TrainingEvent } from './protocol.js';

export class TrainingEvents {
  private last: Promise<unknown> = Promise.resolve();
  private queued: BatchProgress[] = [];
  private flushedAt = -Infinity;

  constructor(
    private readonly listener: ((event: TrainingEvent) => void | Promise<void>) | undefined,
    private readonly everyMs: number,
  ) {}

  /** Queues a batch report; sends the queue when `everyMs` have passed since the last send. */
  batch(progress: BatchProgress): void {
    this.queued.push(progress);
    if (performance.now() - this.flushedAt >= this.everyMs) this.flush();
  }

  /** Sends the queued batches (if any) now. */
  flush(): void {
    if (this.queued.length) void this.emit({ type: 'batches', progress: this.queued });
    this.queued = [];
    this.flushedAt = performance.now();
  }

  /** Sends `event` after the queued batches; resolves when the page has handled it (a listener's error is dropped). */
  send(event: TrainingEvent): Promise<unknown> {
    this.flush();
    return this.emit(event);
  }

  /** Resolves when the page has handled the last event sent. */
  settled(): Promise<unknown> {
    return this.last;
  }

  private emit(event: TrainingEvent): Promise<unknown> {
    if (this.listener) this.last = Promise.resolve(this.listener(event)).catch(() => undefined);
    return this.last;
  }
}

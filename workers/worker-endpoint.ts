/**
 * A comlink endpoint over a `Worker` that never lets a call hang on a dead
 * worker. comlink keeps its pending calls private and waits forever for
 * replies; this endpoint remembers which calls are in flight and, when the
 * worker dies, answers each of them itself with a rejection (comlink's own
 * wire format for a thrown error), and answers every later call the same way.
 *
 * Death is seen three ways:
 * 1. an `error` event: the script failed to load, or threw an uncaught error;
 * 2. a `messageerror` event: a reply could not be deserialised;
 * 3. a Web Lock the worker holds for its whole life is released: it closed
 *    itself or was killed without an event (how a page learns that is
 *    otherwise impossible);
 * 4. while {@link WorkerEndpoint.watch} watches a call, the worker leaves a
 *    hello unanswered for too long: its thread is blocked (it can no longer
 *    run its own timers or read a message), so it is ended.
 */
import type { Endpoint } from 'comlink';
import { thrownWireValue } from './error-transfer.js';
import { WorkerCrashedError } from './errors.js';
import { HELLO_TYPE, READY_TYPE, type ReadyMessage } from './protocol.js';

type Listener = EventListenerOrEventListenerObject;

export class WorkerEndpoint implements Endpoint {
  /** Resolves when the worker has started and listens; rejects if it dies first. */
  readonly ready: Promise<void>;
  /** Resolves with the error that ended the worker (a crash or {@link fail}). */
  readonly stopped: Promise<Error>;
  private readonly worker: Worker;
  private readonly pending = new Set<string>();
  private readonly listeners = new Set<Listener>();
  private readonly lockRequest = new AbortController();
  private failure: Error | null = null;
  /** Set by {@link refuseNewCalls}: later calls reject with it, while replies to earlier ones still arrive. */
  private refusal: Error | null = null;
  private started = false;
  /** Set when {@link watch} ended the worker for not answering. */
  private stall: WorkerCrashedError | null = null;
  private resolveStopped!: (e: Error) => void;
  private settleReady!: { resolve: () => void; reject: (e: Error) => void };

  constructor(worker: Worker, private readonly scriptUrl: string) {
    this.worker = worker;
    this.stopped = new Promise((resolve) => (this.resolveStopped = resolve));
    this.ready = new Promise((resolve, reject) => (this.settleReady = { resolve, reject }));
    this.ready.catch(() => undefined); // observed through stopped/calls as well
    worker.addEventListener('message', this.onMessage);
    worker.addEventListener('error', this.onError);
    worker.addEventListener('messageerror', this.onMessageError);
    // A worker started earlier may have said ready before anyone listened: ask again.
    worker.postMessage({ type: HELLO_TYPE });
  }

  /** Fails with a {@link WorkerCrashedError} unless the worker is ready within `ms`. */
  startWithin(ms: number): Promise<void> {
    const timer = setTimeout(() => this.crash(new WorkerCrashedError(`The training worker at ${this.scriptUrl} did not start within ${ms} ms (is it digit-classifier's worker script?)`)), ms);
    return this.ready.finally(() => clearTimeout(timer));
  }

  /**
   * Runs `work` (a call to the worker) while checking that the worker's thread
   * still answers: a hello every second, and if one goes unanswered for
   * `ms`, the worker is ended with a {@link WorkerCrashedError} naming `what`,
   * which `work` and every later call reject with. A page whose timers run
   * late only notices later; a busy but live worker answers between its tasks.
   */
  watch<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
    let unanswered: number | null = null;
    const heard = () => (unanswered = null);
    this.worker.addEventListener('message', heard);
    const tick = setInterval(() => {
      if (this.failure) return;
      const now = performance.now();
      if (unanswered !== null && now - unanswered > ms) {
        this.stall = new WorkerCrashedError(`The training worker stopped answering during ${what}: no reply for ${Math.round((now - unanswered) / 1000)} s, its thread is blocked; it was ended`);
        this.crash(this.stall);
        return;
      }
      unanswered ??= now;
      this.worker.postMessage({ type: HELLO_TYPE });
    }, Math.min(1000, ms / 4));
    return work.finally(() => {
      clearInterval(tick);
      this.worker.removeEventListener('message', heard);
    });
  }

  /** The error {@link watch} ended the worker with, if it did. */
  get stalled(): WorkerCrashedError | null {
    return this.stall;
  }

  postMessage(message: { id?: string }, transfer: Transferable[] = []): void {
    if (this.failure ?? this.refusal) {
      const failure = (this.failure ?? this.refusal)!;
      if (message.id) queueMicrotask(() => this.reply(message.id!, failure));
      return;
    }
    if (message.id) this.pending.add(message.id);
    this.worker.postMessage(message, transfer);
  }

  addEventListener(type: string, listener: Listener): void {
    if (type === 'message') this.listeners.add(listener);
  }

  removeEventListener(type: string, listener: Listener): void {
    if (type === 'message') this.listeners.delete(listener);
  }

  /** Whether the worker is gone (crashed, or {@link fail} was called). */
  get failed(): Error | null {
    return this.failure;
  }

  /** Rejects the calls in flight with `error`; the worker stays usable for later calls. */
  rejectPending(error: Error): void {
    for (const id of this.pending) this.reply(id, error);
    this.pending.clear();
  }

  /** Every later call rejects with `error` (the worker is being ended); calls already sent still get their replies. */
  refuseNewCalls(error: Error): void {
    this.refusal ??= error;
  }

  /** Marks the worker dead: every call in flight and every later call rejects with `error`. */
  fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    this.rejectPending(error);
    this.settleReady.reject(error);
    this.lockRequest.abort();
    this.worker.removeEventListener('message', this.onMessage);
    this.worker.removeEventListener('error', this.onError);
    this.worker.removeEventListener('messageerror', this.onMessageError);
    this.resolveStopped(error);
  }

  private readonly onMessage = (event: MessageEvent): void => {
    const data = event.data as { id?: string; type?: string } | null;
    if (data?.type === READY_TYPE && !data.id) {
      this.onReady(data as ReadyMessage);
      return;
    }
    if (data?.id) this.pending.delete(data.id);
    this.dispatch(event);
  };

  private onReady(message: ReadyMessage): void {
    if (this.started) return; // the answer to our hello, after the first ready
    this.started = true;
    this.settleReady.resolve();
    const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
    if (!message.lock || !locks) return;
    // Granted only once the worker's context is gone and the lock with it.
    locks
      .request(message.lock, { signal: this.lockRequest.signal }, () => {
        this.crash(new WorkerCrashedError('The training worker stopped without an error (it closed itself or the browser killed it, e.g. for lack of memory)'));
      })
      .catch(() => undefined); // aborted by fail(): nothing to report
  }

  private readonly onError = (event: Event): void => {
    const e = event as ErrorEvent;
    event.preventDefault(); // handled here: not also an uncaught error of the page
    if (!this.started) {
      const detail = e.message ? `: ${e.message}` : '';
      this.crash(new WorkerCrashedError(`The training worker failed to load from ${this.scriptUrl}${detail} (is the file served, as JavaScript, from the same origin?)`));
      return;
    }
    const where = e.filename ? ` (${e.filename}:${e.lineno})` : '';
    this.crash(new WorkerCrashedError(`The training worker crashed: ${e.message || 'uncaught error'}${where}`, { cause: e.error }));
  };

  private readonly onMessageError = (): void => {
    this.crash(new WorkerCrashedError('The training worker sent a message that could not be deserialised'));
  };

  private crash(error: WorkerCrashedError): void {
    if (this.failure) return;
    this.fail(error);
    this.worker.terminate(); // an uncaught error may leave it half alive: end it for sure
  }

  private reply(id: string, error: Error): void {
    this.dispatch(new MessageEvent('message', { data: { id, ...thrownWireValue(error) } }));
  }

  private dispatch(event: MessageEvent): void {
    for (const l of this.listeners) {
      if (typeof l === 'function') l(event);
      else l.handleEvent(event);
    }
  }
}

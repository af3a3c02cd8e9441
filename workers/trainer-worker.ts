/**
 * The worker script: `expose(new WorkerTrainer())`, plus the handshake that
 * lets the page notice if this worker ever dies silently. Start it as a module
 * worker; `createTrainer` does.
 */
import { expose, type Endpoint } from 'comlink';
import { registerErrorTransfer, thrownWireValue } from './error-transfer.js';
import { HELLO_TYPE, READY_TYPE, type ReadyMessage } from './protocol.js';
import { WorkerTrainer } from './worker-trainer.js';

interface WorkerScope {
  name: string;
  postMessage(message: unknown): void;
}

registerErrorTransfer();
expose(new WorkerTrainer(), apiOnlyEndpoint());
announceReady();

/**
 * The trainer's own API: the only methods a message may call. The client
 * (workers/client.ts) only ever sends comlink `APPLY` for these, and `RELEASE`.
 */
const API_METHODS: ReadonlySet<string> = new Set<keyof WorkerTrainer>([
  'init', 'backend', 'reset', 'setData', 'loadMnist', 'fit', 'adapt', 'pause', 'resume', 'abort', 'evaluate', 'predict', 'predictBatch', 'getWeights', 'memory', 'dispose',
]);

/** Whether `data` is a call of the trainer's API (or comlink's release), and nothing else: no GET, SET, CONSTRUCT, ENDPOINT, no deep paths. */
function isApiMessage(data: unknown): boolean {
  if (typeof data !== 'object' || data === null) return false;
  const { type, path, id } = data as { type?: unknown; path?: unknown; id?: unknown };
  if (typeof id !== 'string') return false;
  if (type === 'RELEASE') return path === undefined || (Array.isArray(path) && path.length === 0);
  return type === 'APPLY' && Array.isArray(path) && path.length === 1 && typeof path[0] === 'string' && API_METHODS.has(path[0]) && Array.isArray((data as { argumentList?: unknown }).argumentList);
}

/**
 * The worker's global scope as comlink's endpoint, passing on only messages of
 * the trainer's API. Anything else posted to the worker (a foreign object, a
 * comlink GET/SET/CONSTRUCT, a path such as ["constructor"] or ["__proto__"],
 * a method name outside the API) never reaches comlink; a call-shaped one
 * (with a string id) is answered with a rejection so its sender does not hang.
 */
function apiOnlyEndpoint(): Endpoint {
  const scope = globalThis as unknown as Endpoint;
  const wrapped = new WeakMap<EventListenerOrEventListenerObject, (event: Event) => void>();
  return {
    postMessage: (message: unknown, transfer?: Transferable[]) => scope.postMessage(message, transfer),
    addEventListener(type: string, listener: EventListenerOrEventListenerObject) {
      const filter = (event: Event) => {
        const data = (event as MessageEvent).data as { id?: unknown; type?: unknown } | null;
        if (isApiMessage(data)) {
          if (typeof listener === 'function') listener(event);
          else listener.handleEvent(event);
        } else if (data?.type !== HELLO_TYPE && typeof data?.id === 'string' && typeof data.type === 'string') {
          scope.postMessage({ id: data.id, ...thrownWireValue(new TypeError(`The training worker refused a message outside its API (${data.type})`)) });
        }
      };
      wrapped.set(listener, filter);
      scope.addEventListener(type, filter);
    },
    removeEventListener(type: string, listener: EventListenerOrEventListenerObject) {
      const filter = wrapped.get(listener);
      if (filter) scope.removeEventListener(type, filter);
    },
  };
}

/**
 * Holds a Web Lock for the worker's whole life, then tells the page its name
 * (again whenever the page says hello): the page asks for the same lock and is
 * granted it only when this worker's context is gone (crashed, closed, killed).
 */
function announceReady(): void {
  const scope = globalThis as unknown as WorkerScope & { addEventListener(type: 'message', l: (e: MessageEvent) => void): void };
  const locks = globalThis.navigator?.locks;
  const ready = (lock: string | null) => scope.postMessage({ type: READY_TYPE, lock } satisfies ReadyMessage);
  const held = new Promise<string | null>((resolve) => {
    if (!locks) return resolve(null);
    const lock = `digit-classifier-trainer/${scope.name || ''}/${crypto.randomUUID()}`;
    locks
      .request(lock, () => {
        resolve(lock);
        return new Promise<never>(() => undefined); // held until the worker ends
      })
      .catch(() => resolve(null));
  });
  void held.then(ready);
  scope.addEventListener('message', (event) => {
    if ((event.data as { type?: unknown } | null)?.type === HELLO_TYPE) void held.then(ready);
  });
}
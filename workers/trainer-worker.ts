/**
 * The worker script: `expose(new WorkerTrainer())`, plus the handshake that
 * lets the page notice if this worker ever dies silently. Start it as a module
 * worker; `createTrainer` does.
 */
import { expose } from 'comlink';
import { registerErrorTransfer } from './error-transfer.js';
import { HELLO_TYPE, READY_TYPE, type ReadyMessage } from './protocol.js';
import { WorkerTrainer } from './worker-trainer.js';

interface WorkerScope {
  name: string;
  postMessage(message: unknown): void;
}

registerErrorTransfer();
expose(new WorkerTrainer());
announceReady();

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
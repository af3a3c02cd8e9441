/**
 * Keeps one trained model in the browser (IndexedDB) so it survives a page
 * refresh, stored as the tfjs Layers files (model.json + weights.bin bytes).
 *
 * A save is one IndexedDB write in one `readwrite` transaction with strict
 * durability: IndexedDB commits a transaction completely or not at all, so a
 * save that fails (quota, a model that cannot be serialised) or is interrupted
 * (the tab closes, the signal aborts) leaves the previous save exactly as it
 * was. Everything that can fail before the write (serialising, checking) runs
 * before the transaction opens; a checksum, checked on load, catches bytes
 * damaged at rest.
 *
 * @example
 * ```ts
 * await saveModel(weights, { label: 'mlp, 5 epochs', accuracy: 0.97 });
 * const saved = await loadSavedModel(); // after a refresh
 * if (saved) pad.model = saved.model;
 * ```
 */
import { fromLayersModelArtifacts, toLayersModelArtifacts, type LayersModelJson } from '../../src/io/layers-model.js';
import type { ModelWeights } from '../../src/models/spec.js';
import { openStore } from './open-store.js';

const DB_NAME = 'digit-classifier-demo';
const STORE = 'models';
/** The one slot the demo keeps. */
const KEY = 'latest';

/** What is shown about a saved model. */
export interface SavedModelInfo {
  /** A human description, e.g. "Lesson MLP, 5 epochs on 60,000 images". */
  readonly label: string;
  /** Held-out accuracy when it was saved, if known. */
  readonly accuracy?: number;
  /** ISO time of the save. */
  readonly savedAt: string;
  /** Bytes of weights.bin. */
  readonly bytes: number;
}

/** The stored record: the two Layers files and their description. */
interface StoredModel extends SavedModelInfo {
  readonly format: 1;
  readonly modelJson: LayersModelJson;
  readonly weightData: ArrayBuffer;
  /** FNV-1a of weightData, checked on load. */
  readonly checksum: number;
}

/** Options of {@link saveModel}. */
export interface SaveModelOptions {
  /** Aborting before the write commits rolls the transaction back: the previous save stays. */
  signal?: AbortSignal;
}

/**
 * Saves `model` as the browser's kept model, replacing the previous one only
 * if the whole write commits. Rejects (and keeps the previous save) when the
 * model cannot be serialised, the write fails, or `signal` aborts first.
 */
export async function saveModel(model: ModelWeights, meta: { label: string; accuracy?: number }, options: SaveModelOptions = {}): Promise<SavedModelInfo> {
  // 1. Serialise and check first: a bad model never reaches the database.
  const { modelJson, weightData } = toLayersModelArtifacts(model);
  const record: StoredModel = {
    format: 1,
    label: meta.label,
    ...(meta.accuracy !== undefined ? { accuracy: meta.accuracy } : {}),
    savedAt: new Date().toISOString(),
    bytes: weightData.byteLength,
    modelJson,
    weightData,
    checksum: fnv1a(new Uint8Array(weightData)),
  };
  // 2. One put in one transaction: all or nothing.
  const db = await openStore(DB_NAME, STORE);
  try {
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction(STORE, 'readwrite', { durability: 'strict' });
      const { signal } = options;
      const onAbort = () => {
        try {
          tx.abort();
        } catch {
          // already finished
        }
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const request = tx.objectStore(STORE).put(record, KEY);
      // A signal that aborted while the write was queued still wins: roll back.
      request.onsuccess = () => {
        if (signal?.aborted) onAbort();
      };
      tx.oncomplete = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      tx.onabort = tx.onerror = () => {
        signal?.removeEventListener('abort', onAbort);
        const why = signal?.aborted ? 'the save was interrupted' : whyWriteFailed(tx.error ?? request.error);
        reject(new Error(`Not saved (${why}); the previous save is unchanged`));
      };
    });
  } finally {
    db.close();
  }
  return info(record);
}

/**
 * The kept model, read back and checked, or null when there is none.
 * Rejects with a message naming the problem when the stored bytes are damaged.
 */
export async function loadSavedModel(): Promise<{ model: ModelWeights; info: SavedModelInfo } | null> {
  const db = await openStore(DB_NAME, STORE);
  let record: StoredModel | undefined;
  try {
    record = await new Promise<StoredModel | undefined>((resolve, reject) => {
      const request = db.transaction(STORE, 'readonly').objectStore(STORE).get(KEY);
      request.onsuccess = () => resolve(request.result as StoredModel | undefined);
      request.onerror = () => reject(request.error ?? new Error('IndexedDB read failed'));
    });
  } finally {
    db.close();
  }
  if (!record) return null;
  if (record.format !== 1 || !(record.weightData instanceof ArrayBuffer)) throw new Error('The saved model is in an unknown format');
  if (fnv1a(new Uint8Array(record.weightData)) !== record.checksum) throw new Error('The saved model is damaged (checksum mismatch)');
  const model = fromLayersModelArtifacts(record.modelJson, record.weightData, 'the model saved in this browser');
  return { model, info: info(record) };
}

/** Removes the kept model. */
export async function deleteSavedModel(): Promise<void> {
  const db = await openStore(DB_NAME, STORE);
  try {
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction(STORE, 'readwrite');
      tx.objectStore(STORE).delete(KEY);
      tx.oncomplete = () => resolve();
      tx.onabort = tx.onerror = () => reject(tx.error ?? new Error('IndexedDB delete failed'));
    });
  } finally {
    db.close();
  }
}

/** Words for a failed write: Chromium's QuotaExceededError, for one, comes with an empty message. */
function whyWriteFailed(error: DOMException | null): string {
  if (!error) return 'the write failed';
  if (error.name === 'QuotaExceededError') return "the browser's storage quota for this site is full (QuotaExceededError)";
  return error.message ? `${error.name}: ${error.message}` : error.name;
}


function info(record: StoredModel): SavedModelInfo {
  return { label: record.label, accuracy: record.accuracy, savedAt: record.savedAt, bytes: record.bytes };
}

/** 32-bit FNV-1a: cheap, and enough to notice damaged bytes. */
function fnv1a(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i];
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

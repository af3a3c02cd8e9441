/**
 * The reader's corrections, kept in the browser (IndexedDB) so they survive a
 * refresh: each is the 784 pixels the pad read (floats in [0, 1], exactly
 * what the model saw), the digit the reader says it is, and what the model
 * read. "Adapt" fine-tunes on them.
 *
 * A database of its own (not the model store's), so neither has to migrate
 * the other's schema.
 *
 * @example
 * ```ts
 * await addCorrection({ pixels: reading.pixels, label: 5, readAs: reading.digit });
 * const kept = await listCorrections();
 * await removeCorrection(kept[0].id);
 * ```
 */
import { InvalidOptionError } from '../../src/errors.js';
import { openStore } from './open-store.js';

const DB_NAME = 'digit-classifier-demo-corrections';
const STORE = 'corrections';

/** One kept correction. */
export interface Correction {
  /** Key in the store, increasing in the order they were kept. */
  readonly id: number;
  /** What the model saw: 784 floats in [0, 1], row-major, ink 1. */
  readonly pixels: Float32Array;
  /** The digit the reader says it is, 0–9. */
  readonly label: number;
  /** What the model read it as (a digit 0–9), or -1 when it said "not a digit". */
  readonly readAs: number;
  /** ISO time it was kept. */
  readonly keptAt: string;
}

/** What {@link addCorrection} takes. */
export interface NewCorrection {
  readonly pixels: Float32Array;
  readonly label: number;
  readonly readAs: number;
}

/**
 * Keeps one correction; resolves with it (its `id` assigned).
 *
 * @throws InvalidOptionError for pixels that are not 784 floats in [0, 1] or a label that is not a digit 0–9.
 */
export async function addCorrection(correction: NewCorrection): Promise<Correction> {
  const { pixels, label, readAs } = correction;
  if (!(pixels instanceof Float32Array) || pixels.length !== 784) {
    throw new InvalidOptionError(`addCorrection: expected pixels as a Float32Array of 784 values, got ${pixels instanceof Float32Array ? `${pixels.length} values` : typeof pixels}`);
  }
  const bad = pixels.findIndex((v) => !(v >= 0 && v <= 1));
  if (bad >= 0) throw new InvalidOptionError(`addCorrection: expected pixels in [0, 1], got ${pixels[bad]} at index ${bad}`);
  if (!Number.isInteger(label) || label < 0 || label > 9) throw new InvalidOptionError(`addCorrection: expected label to be a digit 0–9, got ${String(label)}`);
  const record = { pixels: pixels.slice(), label, readAs, keptAt: new Date().toISOString() };
  const id = await inStore('readwrite', (store) => store.add(record));
  return { ...record, id: id as number };
}

/** Every kept correction, oldest first. */
export async function listCorrections(): Promise<Correction[]> {
  const db = await openStore(DB_NAME, STORE, { autoIncrement: true });
  try {
    return await new Promise<Correction[]>((resolve, reject) => {
      const found: Correction[] = [];
      const request = db.transaction(STORE, 'readonly').objectStore(STORE).openCursor();
      request.onsuccess = () => {
        const cursor = request.result;
        if (!cursor) return resolve(found);
        const value = cursor.value as Omit<Correction, 'id'>;
        found.push({ ...value, id: cursor.key as number });
        cursor.continue();
      };
      request.onerror = () => reject(request.error ?? new Error('IndexedDB read failed'));
    });
  } finally {
    db.close();
  }
}

/** Removes the correction with `id` (nothing if there is none). */
export async function removeCorrection(id: number): Promise<void> {
  await inStore('readwrite', (store) => store.delete(id));
}

/** Removes every correction. */
export async function clearCorrections(): Promise<void> {
  await inStore('readwrite', (store) => store.clear());
}

/** Runs one request in one transaction; resolves with its result once the transaction commits. */
async function inStore(mode: IDBTransactionMode, make: (store: IDBObjectStore) => IDBRequest): Promise<unknown> {
  const db = await openStore(DB_NAME, STORE, { autoIncrement: true });
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = make(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(request.result);
      tx.onabort = tx.onerror = () => {
        const error = tx.error ?? request.error;
        reject(new Error(`The corrections could not be written (${error ? `${error.name}: ${error.message}` : 'IndexedDB failed'})`));
      };
    });
  } finally {
    db.close();
  }
}

/**
 * Opens one of the demo's IndexedDB databases (version 1), creating its one
 * object store on first use. Rejects with words a user can act on where
 * IndexedDB is missing (some private modes), fails, or is held by another tab.
 */
export function openStore(name: string, store: string, options: IDBObjectStoreParameters = {}): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    if (typeof indexedDB === 'undefined') {
      reject(new Error('IndexedDB is unavailable in this browser (private mode?)'));
      return;
    }
    const request = indexedDB.open(name, 1);
    request.onupgradeneeded = () => {
      if (!request.result.objectStoreNames.contains(store)) request.result.createObjectStore(store, options);
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB could not be opened'));
    request.onblocked = () => reject(new Error('IndexedDB is blocked by another tab of this demo'));
  });
}

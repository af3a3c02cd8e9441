/**
 * `o` without its `undefined` fields, so that spreading it over defaults
 * keeps the default where a caller passed `{ epochs: undefined }`.
 *
 * @example
 * ```ts
 * ({ ...DEFAULT_TRAIN_CONFIG, ...stripUndefined({ epochs: undefined, seed: 3 }) }); // epochs stays 5
 * ```
 */
export function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

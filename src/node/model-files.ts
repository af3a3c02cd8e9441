/**
 * Model files on disk (Node only): a TensorFlow.js Layers folder
 * (model.json + weights.bin) written atomically, and a loader that also reads
 * the compact `.dcm` format. Files are untrusted: the loader checks sizes
 * before reading and every error names the file.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ModelFileError, ModelFormatError } from '../errors.js';
import { COMPACT_MAGIC, decodeCompactModel } from '../io/compact-model.js';
import { LAYERS_WEIGHTS_FILE, fromLayersModelArtifacts, layersWeightPaths, toLayersModelArtifacts } from '../io/layers-model.js';
import { MAX_MODEL_BYTES } from '../io/model-checks.js';
import { parseJsonText } from '../io/untrusted-json.js';
import type { ModelWeights } from '../models/spec.js';
import { concatBytes } from '../util/concat-bytes.js';
import { fsReason } from './fs-reason.js';

/** Name of the topology file in a model folder. */
export const MODEL_JSON_FILE = 'model.json';
/** Largest model.json or .dcm file read (weights plus a generous header). */
const MAX_FILE_BYTES = MAX_MODEL_BYTES + 4 * 1024 * 1024;

/**
 * Writes `model` to `dir` (created if needed) as model.json + weights.bin.
 * Each file is written to a temporary name in `dir`, flushed, then renamed
 * over the old one, weights first and model.json last, so a reader never sees
 * a half-written file. Errors are Node's own, which name the path.
 *
 * @example
 * ```ts
 * const { modelJsonPath } = await saveModelDir('models/cnn', model);
 * ```
 */
export async function saveModelDir(dir: string, model: ModelWeights): Promise<{ modelJsonPath: string; weightsPath: string }> {
  const { modelJson, weightData } = toLayersModelArtifacts(model);
  await mkdir(dir, { recursive: true });
  const modelJsonPath = join(dir, MODEL_JSON_FILE);
  const weightsPath = join(dir, LAYERS_WEIGHTS_FILE);
  const suffix = `.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
  const temps = [weightsPath + suffix, modelJsonPath + suffix];
  try {
    await writeFlushed(temps[0], new Uint8Array(weightData));
    await writeFlushed(temps[1], new TextEncoder().encode(JSON.stringify(modelJson)));
    await rename(temps[0], weightsPath);
    await rename(temps[1], modelJsonPath);
  } catch (error) {
    await Promise.all(temps.map((t) => unlink(t).catch(() => undefined)));
    throw error;
  }
  return { modelJsonPath, weightsPath };
}

/**
 * Loads a model from a folder holding model.json, a model.json path, or a
 * compact model file (recognised by its `DCM1` magic, whatever its name).
 * A malformed file is a `ModelFormatError` naming it; one that cannot be read
 * (missing, not permitted) is a `ModelFileError` naming it and the reason.
 *
 * @example
 * ```ts
 * const model = await loadModelDir('models/cnn');          // or 'models/cnn/model.json'
 * const shipped = await loadModelDir('models/cnn-int8.dcm');
 * ```
 */
export async function loadModelDir(dirOrModelJsonPath: string): Promise<ModelWeights> {
  const info = await fsCall(dirOrModelJsonPath, () => stat(dirOrModelJsonPath));
  const path = info.isDirectory() ? join(dirOrModelJsonPath, MODEL_JSON_FILE) : dirOrModelJsonPath;
  const bytes = await readCapped(path, MAX_FILE_BYTES);
  if (bytes.length >= 4 && String.fromCharCode(bytes[0], bytes[1], bytes[2], bytes[3]) === COMPACT_MAGIC) {
    return decodeCompactModel(bytes, path);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (cause) {
    throw new ModelFormatError(`${path}: expected a model.json (UTF-8 JSON) or a compact model (DCM1), got neither`, { cause });
  }
  const json = parseJsonText(text, path);
  // Shards are concatenated in manifest order; their total is capped before each read.
  const base = dirname(resolve(path));
  const shards: Uint8Array[] = [];
  let total = 0;
  for (const relative of layersWeightPaths(json, path)) {
    const shard = await readCapped(join(base, relative), MAX_MODEL_BYTES - total);
    shards.push(shard);
    total += shard.length;
  }
  return fromLayersModelArtifacts(json, concatBytes(shards), path);
}

/** Reads a file after checking that it is a regular file of at most `maxBytes`. */
async function readCapped(path: string, maxBytes: number): Promise<Uint8Array> {
  const info = await fsCall(path, () => stat(path));
  if (!info.isFile()) throw new ModelFormatError(`${path}: expected a file, got a directory or special file`);
  if (info.size > maxBytes) throw new ModelFormatError(`${path}: expected at most ${maxBytes} bytes, got ${info.size}`);
  return new Uint8Array(await fsCall(path, () => readFile(path)));
}

/** Node's file-system errors as a {@link ModelFileError} naming `path` and the reason. */
async function fsCall<T>(path: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (cause) {
    throw new ModelFileError(path, `${path}: cannot read the model file: ${fsReason(cause)}`, { cause });
  }
}

/** Writes `data` to a new file and flushes it to disk before returning. */
async function writeFlushed(path: string, data: Uint8Array): Promise<void> {
  const handle = await open(path, 'wx');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

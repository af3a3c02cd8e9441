/**
 * A trained model as files a user keeps or shares: the TensorFlow.js Layers
 * format (model.json + weights.bin), which `tf.loadLayersModel` and
 * `tensorflowjs_converter` read too, and back from such files picked in a
 * file input (treated as untrusted: every field is checked by the core).
 *
 * @example
 * ```ts
 * const files = modelFiles(weights);          // [model.json, weights.bin] as File objects
 * const model = await readModelFiles(input.files!);
 * ```
 */
import { fromLayersModelArtifacts, layersWeightPaths, toLayersModelArtifacts } from '../../src/io/layers-model.js';
import { MAX_MODEL_BYTES } from '../../src/io/model-checks.js';
import type { ModelWeights } from '../../src/models/spec.js';

/** The two files of `model`: model.json (names weights.bin in its manifest) and weights.bin. */
export function modelFiles(model: ModelWeights): File[] {
  const { modelJson, weightData } = toLayersModelArtifacts(model);
  const [weightsName] = modelJson.weightsManifest[0].paths;
  return [
    new File([JSON.stringify(modelJson)], 'model.json', { type: 'application/json' }),
    new File([weightData], weightsName, { type: 'application/octet-stream' }),
  ];
}

/**
 * Starts a download of each file (one click each, as `tf.io.browserDownloads`
 * does) and returns object URLs for links the user can click if the browser
 * held a second automatic download back. Revoke them with {@link revokeLinks}.
 */
export function downloadFiles(files: readonly File[]): { name: string; url: string }[] {
  return files.map((file) => {
    const url = URL.createObjectURL(file);
    const a = document.createElement('a');
    a.href = url;
    a.download = file.name;
    a.rel = 'noopener';
    document.body.append(a);
    a.click();
    a.remove();
    return { name: file.name, url };
  });
}

export function revokeLinks(links: readonly { url: string }[]): void {
  for (const link of links) URL.revokeObjectURL(link.url);
}

/**
 * Reads a model from files the user picked: one `.json` (the model.json) and
 * the weight files its manifest lists, matched by file name. Rejects with a
 * message naming the missing file or the bad field.
 */
export async function readModelFiles(files: FileList | readonly File[]): Promise<ModelWeights> {
  const list = Array.from(files);
  const jsonFiles = list.filter((f) => f.name.toLowerCase().endsWith('.json'));
  if (jsonFiles.length !== 1) {
    throw new Error(`Pick the model's files together: one model.json and its weights.bin (got ${jsonFiles.length} .json files among ${list.length})`);
  }
  const [jsonFile] = jsonFiles;
  if (jsonFile.size > MAX_MODEL_BYTES) throw new Error(`${jsonFile.name} is ${jsonFile.size} bytes, more than a model.json can be`);
  const text = await jsonFile.text();
  const paths = layersWeightPaths(text, jsonFile.name);
  const byName = new Map(list.map((f) => [f.name, f]));
  const parts: Uint8Array[] = [];
  let total = 0;
  for (const path of paths) {
    // Files from a file input carry only their base name.
    const file = byName.get(path) ?? byName.get(path.slice(path.lastIndexOf('/') + 1));
    if (!file) throw new Error(`${jsonFile.name} needs the weights file "${path}": pick it together with ${jsonFile.name}`);
    total += file.size;
    if (total > MAX_MODEL_BYTES) throw new Error(`The weight files add up to more than ${MAX_MODEL_BYTES} bytes`);
    parts.push(new Uint8Array(await file.arrayBuffer()));
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.byteLength;
  }
  return fromLayersModelArtifacts(text, bytes, jsonFile.name);
}

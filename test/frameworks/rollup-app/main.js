// A rollup app that follows the README's rollup recipe: the package's worker script is a second entry of
// the app's build (re-bundled and re-minified with the app), its .wasm files are copied beside it, and the
// app passes its URL as `workerUrl`. ?backend=webgpu|wasm picks the backend; the result lands in window.result.
import { createTrainer } from 'digit-classifier/worker';

const backend = new URLSearchParams(location.search).get('backend') ?? 'wasm';
try {
  const workerUrl = new URL('./trainer-worker.js', import.meta.url);
  const trainer = await createTrainer({ workerUrl, backend, allowFallbackAdapter: true, wasmThreads: 2, epochs: 1, batchSize: 32 }); // 2 threads: the default is 1 on 2 cores
  const pixels = new Uint8Array(320 * 784).map((_, i) => (i * 7919) % 256);
  const labels = new Uint8Array(320).map((_, i) => i % 10);
  await trainer.setData({ train: { images: pixels, labels, count: 320, rows: 28, cols: 28 }, test: { images: pixels.slice(0, 32 * 784), labels: labels.slice(0, 32), count: 32, rows: 28, cols: 28 } });
  let steps = 0;
  await trainer.fit({ onBatch: () => void steps++, onWarning: () => undefined });
  window.result = { backend: trainer.backend, steps };
  await trainer.terminate();
} catch (error) {
  window.result = { error: `${error.name}: ${error.message}` };
}

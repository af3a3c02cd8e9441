/**
 * "Swap backends to compare speed": one button runs the same short training
 * and inference workload on WebGPU, WASM and CPU, one after the other (so
 * they do not compete for cores), each in a fresh worker, and shows them side
 * by side. A backend that cannot start is listed with the reason.
 *
 * The workload: the lesson MLP (SGD 0.1, batch 64, seed 0) for 2 epochs over
 * the first N test-split digits (N = 2,000, `?compare=N`), the second epoch
 * timed (the first pays for warm-up: shader compilation, WASM tiering), then
 * inference on 1,000 other digits. Training and held-out images come from
 * MNIST's test split so the comparison needs no 10 MB training download.
 */
import { html } from 'lit';
import { createTrainer, type BackendReport, type MnistSet } from '../../workers/index.js';
import { backendName } from './backend-text.js';
import type { DemoApp } from './demo-app.js';
import { byId, duration, errorText, integer, percent, show } from './dom.js';

const BACKENDS = ['webgpu', 'wasm', 'cpu'] as const;
const EPOCHS = 2;
const HELD_OUT = 1000;

/** One backend's figures, or why it did not start. */
export interface CompareRow {
  readonly backend: (typeof BACKENDS)[number];
  readonly report?: BackendReport;
  /** Worker start plus backend init, as the page waited for it. */
  readonly startMs?: number;
  readonly secondsPerEpoch?: number;
  readonly samplesPerSecond?: number;
  readonly inferencePerSecond?: number;
  readonly accuracy?: number;
  readonly error?: string;
}

export function setupComparePanel(app: DemoApp): void {
  const button = byId('compare-run', HTMLButtonElement);
  const status = byId('compare-status');
  const results = byId('compare-results');
  const trainCount = app.options.compareSize ?? 2000;
  byId('compare-workload').textContent =
    `One short, equal workload on every backend that starts: the lesson MLP, ${EPOCHS} epochs over ${integer(trainCount)} MNIST digits ` +
    `(batch 64, the second epoch timed), then inference on ${integer(HELD_OUT)} more.`;

  const sync = () => {
    button.disabled = app.busy !== null;
    button.title = app.busy && app.busy !== 'comparing' ? `Wait for the ${app.busy} to finish` : '';
  };
  app.addEventListener('busy', sync);
  sync();

  button.addEventListener('click', async () => {
    if (app.busy) return;
    app.setBusy('comparing');
    const rows: CompareRow[] = [];
    try {
      status.textContent = 'Downloading the MNIST test split…';
      const test = await app.testSet();
      const train = slice(test, 0, Math.min(trainCount, test.count - HELD_OUT));
      const heldOut = slice(test, test.count - HELD_OUT, HELD_OUT);
      for (const backend of BACKENDS) {
        status.textContent = `Running on ${backend}… (${rows.length + 1} of ${BACKENDS.length})`;
        rows.push(await measure(app.workerUrl, backend, train, heldOut));
        show(table(rows), results);
      }
      const ran = rows.filter((r) => r.secondsPerEpoch !== undefined);
      const fastest = ran.reduce<CompareRow | null>((f, r) => (!f || r.secondsPerEpoch! < f.secondsPerEpoch! ? r : f), null);
      status.textContent = fastest ? `Done: ${ran.length} of ${BACKENDS.length} backends started; fastest to train here: ${fastest.backend}.` : 'No backend could start.';
    } catch (error) {
      status.textContent = `Comparison failed: ${errorText(error)}`;
    } finally {
      app.setBusy(null);
    }
  });
}

/** The workload on one backend, in its own worker, ended afterwards. */
async function measure(workerUrl: URL, backend: CompareRow['backend'], train: MnistSet, heldOut: MnistSet): Promise<CompareRow> {
  const t0 = performance.now();
  let client;
  try {
    client = await createTrainer({ backend, workerUrl, model: 'mlp', epochs: EPOCHS, batchSize: 64, learningRate: 0.1, optimizer: 'sgd', seed: 0 });
  } catch (error) {
    return { backend, error: errorText(error) };
  }
  try {
    const startMs = performance.now() - t0;
    await client.setData({ train: copy(train), test: copy(heldOut) });
    const history = await client.fit();
    const last = history[history.length - 1];
    const images = heldOut.images.slice();
    const t1 = performance.now();
    await client.predictBatch(images);
    const inferenceMs = performance.now() - t1;
    return {
      backend,
      report: client.backend,
      startMs,
      secondsPerEpoch: last.seconds,
      samplesPerSecond: last.samplesPerSecond,
      inferencePerSecond: heldOut.count / (inferenceMs / 1000),
      accuracy: last.accuracy,
    };
  } catch (error) {
    return { backend, report: client.backend, error: errorText(error) };
  } finally {
    await client.terminate();
  }
}

function table(rows: readonly CompareRow[]) {
  const best = (key: 'secondsPerEpoch' | 'samplesPerSecond' | 'inferencePerSecond', low: boolean) => {
    const values = rows.map((r) => r[key]).filter((v): v is number => v !== undefined);
    return values.length ? (low ? Math.min(...values) : Math.max(...values)) : undefined;
  };
  const fastEpoch = best('secondsPerEpoch', true);
  const fastInference = best('inferencePerSecond', false);
  return html`<table class="numbers compare">
    <thead>
      <tr><th scope="col">backend</th><th scope="col">s/epoch</th><th scope="col">train samples/s</th><th scope="col">inference samples/s</th><th scope="col">init time</th><th scope="col">test accuracy</th></tr>
    </thead>
    <tbody>
      ${rows.map((r) =>
        r.secondsPerEpoch === undefined
          ? html`<tr class="failed"><th scope="row">${r.report ? backendName(r.report) : r.backend}</th><td colspan="5">did not ${r.report ? 'finish' : 'start'}: ${r.error}</td></tr>`
          : html`<tr>
              <th scope="row">${backendName(r.report!)}</th>
              <td class=${r.secondsPerEpoch === fastEpoch ? 'best' : ''}>${r.secondsPerEpoch.toFixed(3)}</td>
              <td>${integer(r.samplesPerSecond!)}</td>
              <td class=${r.inferencePerSecond === fastInference ? 'best' : ''}>${integer(r.inferencePerSecond!)}</td>
              <td>${duration(r.report!.initMs)} <span class="muted">(${duration(r.startMs!)} with the worker)</span></td>
              <td>${percent(r.accuracy!)}</td>
            </tr>`,
      )}
    </tbody>
  </table>`;
}

function slice(set: MnistSet, start: number, count: number): MnistSet {
  return { images: set.images.subarray(start * 784, (start + count) * 784), labels: set.labels.subarray(start, start + count), count, rows: 28, cols: 28 };
}

/** A fresh copy whose buffers can be moved to a worker. */
function copy(set: MnistSet): MnistSet {
  return { ...set, images: set.images.slice(), labels: set.labels.slice() };
}

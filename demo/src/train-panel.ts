/**
 * The train panel: the run's settings, start / pause / resume / abort, MNIST
 * download progress, the live `<loss-chart>`, the per-epoch table and the
 * backend the worker really uses with the reason. After every epoch it hands
 * the confusion matrix, a full held-out evaluation and the weights to the
 * report card and the draw panel (the worker waits meanwhile, so all three
 * describe the same weights).
 */
import { html } from 'lit';
import type { PresetName } from '../../src/models/presets.js';
import type { OptimizerName } from '../../src/train/optimizer.js';
import { PRESET_RECIPES } from '../../src/train/recipes.js';
import type { BackendChoice, BatchProgress, DownloadProgress, EpochResult, MnistSet, TrainerClient, TrainerOptions } from '../../workers/index.js';
import type { LossChart } from '../../widgets/index.js';
import { backendName, backendReason } from './backend-text.js';
import { modelName, type DemoApp } from './demo-app.js';
import { byId, duration, errorText, integer, isAbort, percent, show, size } from './dom.js';
import type { ReportCard } from './report-card.js';
import { MNIST_TRAIN_COUNT, type TrainingSession } from './training-session.js';

/** The settings of one run, as read from the form. */
interface RunSettings {
  readonly model: PresetName;
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly optimizer: OptimizerName;
  readonly backend: BackendChoice;
  readonly trainSize: number;
}

export function setupTrainPanel(app: DemoApp, session: TrainingSession, report: ReportCard): void {
  const form = byId('train-form', HTMLFormElement);
  const field = <T extends HTMLInputElement | HTMLSelectElement>(name: string) => form.elements.namedItem(name) as T;
  const startButton = byId('start', HTMLButtonElement);
  const pauseButton = byId('pause', HTMLButtonElement);
  const abortButton = byId('abort', HTMLButtonElement);
  const progress = byId('download-progress', HTMLProgressElement);
  const progressText = byId('download-text');
  const backendLine = byId('backend-line');
  const status = byId('train-status');
  const progressLine = byId('train-progress');
  const chart = byId<LossChart>('loss-chart');
  const rows = byId('epoch-rows');

  // 1. Settings: the preset's recipe, then anything the URL says.
  const applyRecipe = (model: PresetName) => {
    const recipe = PRESET_RECIPES[model];
    if (recipe.epochs !== undefined) field<HTMLInputElement>('epochs').value = String(recipe.epochs);
    if (recipe.batchSize !== undefined) field<HTMLInputElement>('batchSize').value = String(recipe.batchSize);
    if (recipe.learningRate !== undefined) field<HTMLInputElement>('learningRate').value = String(recipe.learningRate);
    if (recipe.optimizer !== undefined) field<HTMLSelectElement>('optimizer').value = recipe.optimizer;
  };
  const o = app.options;
  if (o.model) field<HTMLSelectElement>('model').value = o.model;
  applyRecipe(field<HTMLSelectElement>('model').value as PresetName);
  if (o.epochs) field<HTMLInputElement>('epochs').value = String(o.epochs);
  if (o.batchSize) field<HTMLInputElement>('batchSize').value = String(o.batchSize);
  if (o.learningRate) field<HTMLInputElement>('learningRate').value = String(o.learningRate);
  if (o.optimizer) field<HTMLSelectElement>('optimizer').value = o.optimizer;
  if (o.backend) field<HTMLSelectElement>('backend').value = o.backend;
  if (o.trainSize) {
    const select = field<HTMLSelectElement>('trainSize');
    if (![...select.options].some((opt) => opt.value === String(o.trainSize))) select.add(new Option(integer(o.trainSize), String(o.trainSize)));
    select.value = String(o.trainSize);
  }
  field<HTMLSelectElement>('model').addEventListener('change', (e) => applyRecipe((e.target as HTMLSelectElement).value as PresetName));

  const read = (): RunSettings => ({
    model: field<HTMLSelectElement>('model').value as PresetName,
    epochs: Number(field<HTMLInputElement>('epochs').value),
    batchSize: Number(field<HTMLInputElement>('batchSize').value),
    learningRate: Number(field<HTMLInputElement>('learningRate').value),
    optimizer: field<HTMLSelectElement>('optimizer').value as OptimizerName,
    backend: field<HTMLSelectElement>('backend').value as BackendChoice,
    trainSize: Number(field<HTMLSelectElement>('trainSize').value),
  });

  // 2. Run state and buttons.
  let run: { controller: AbortController; client: TrainerClient | null; paused: boolean } | null = null;
  const sync = () => {
    const other = app.busy !== null && app.busy !== 'training';
    startButton.disabled = run !== null || other;
    startButton.title = other ? `Wait for the ${app.busy} to finish` : '';
    pauseButton.disabled = run === null;
    pauseButton.textContent = run?.paused ? 'Resume' : 'Pause';
    pauseButton.setAttribute('aria-pressed', String(Boolean(run?.paused)));
    abortButton.disabled = run === null;
    for (const el of form.querySelectorAll<HTMLInputElement | HTMLSelectElement>('input, select')) el.disabled = run !== null;
  };
  app.addEventListener('busy', sync);

  // 3. Download progress: the test split on the page plus the training split in the worker.
  const parts = new Map<string, DownloadProgress>();
  let progressFrame = 0;
  const showProgress = (part: string) => (p: DownloadProgress) => {
    parts.set(part, p);
    progressFrame ||= requestAnimationFrame(drawProgress);
  };
  const drawProgress = () => {
    progressFrame = 0;
    const all = [...parts.values()];
    const loaded = all.reduce((n, x) => n + x.loaded, 0);
    const total = all.every((x) => x.total !== null) ? all.reduce((n, x) => n + (x.total ?? 0), 0) : null;
    const filesDone = all.reduce((n, x) => n + x.filesDone, 0);
    const files = all.reduce((n, x) => n + x.files, 0);
    progress.max = total ?? 1;
    progress.value = total ? loaded : 0;
    progressText.textContent = `Downloading MNIST: ${size(loaded)}${total ? ` of ${size(total)}` : ''} (${filesDone} of ${files} files)`;
  };

  // 4. Start.
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (run) return;
    const settings = read();
    const problem = check(settings);
    if (problem) {
      status.textContent = problem;
      status.className = 'status error';
      return;
    }
    void start(settings);
  });

  const start = async (s: RunSettings) => {
    const controller = new AbortController();
    run = { controller, client: null, paused: false };
    app.setBusy('training');
    sync();
    status.className = 'status';
    status.textContent = 'Starting the worker and downloading MNIST…';
    chart.clear();
    progressLine.textContent = '';
    show(html``, rows);
    report.reset(`${modelName(s.model)} while it trains`);
    parts.clear();
    const trainLabel = `${integer(s.trainSize)} training image${s.trainSize === 1 ? '' : 's'}`;
    const options: TrainerOptions = { model: s.model, epochs: s.epochs, batchSize: s.batchSize, learningRate: s.learningRate, optimizer: s.optimizer, seed: 0 };
    const epochs: EpochResult[] = [];
    let test: MnistSet | null = null;
    // Batches arrive faster than frames: hand them to the chart and the progress line once per frame.
    const pending: BatchProgress[] = [];
    let frame = 0;
    const flush = () => {
      cancelAnimationFrame(frame);
      frame = 0;
      const last = pending[pending.length - 1];
      for (const b of pending) chart.addBatch(b);
      pending.length = 0;
      if (last) progressLine.textContent = `Epoch ${last.epoch} of ${s.epochs}: batch ${last.batch} of ${last.batches}, loss ${last.loss.toFixed(4)}`;
    };
    const t0 = performance.now();
    try {
      const [client, testSet] = await Promise.all([
        session.prepare({ backend: s.backend, trainSize: s.trainSize }, options, showProgress('train')),
        app.testSet(showProgress('test')),
      ]);
      test = testSet;
      if (controller.signal.aborted) throw controller.signal.reason;
      if (run.paused) await client.pause(); // paused while the data was on its way
      run.client = client;
      if (!run.paused) await client.resume(); // resumed during that call (else a no-op)
      sync();
      cancelAnimationFrame(progressFrame);
      progressFrame = 0;
      progress.max = 1;
      progress.value = 1;
      progressText.textContent = `MNIST ready: ${trainLabel}${s.trainSize < MNIST_TRAIN_COUNT ? ` (the first of ${integer(MNIST_TRAIN_COUNT)})` : ''}, ${integer(test.count)} test images.`;
      showBackend(client);
      status.textContent = run.paused ? 'Paused before the first batch.' : `Training ${modelName(s.model)} for ${s.epochs} epoch${s.epochs === 1 ? '' : 's'}…`;
      const batchesPerEpoch = Math.ceil(s.trainSize / Math.min(s.batchSize, s.trainSize));
      chart.batchesPerEpoch = batchesPerEpoch;
      const heldOut = test;
      await client.fit({
        signal: controller.signal,
        onBatch: (b) => {
          pending.push(b);
          frame ||= requestAnimationFrame(flush);
        },
        onEpoch: async (e) => {
          flush();
          epochs.push(e);
          chart.addEpoch(e);
          show(epochs.map(epochRow), rows);
          const subject = `${modelName(s.model)} after epoch ${e.epoch} of ${s.epochs}`;
          report.showMatrix(e.confusion, subject);
          // The worker waits for this: evaluation and weights are of exactly this epoch's model.
          const [evaluation, weights] = await Promise.all([client.evaluate(), client.getWeights()]);
          void report.showEvaluation(evaluation, heldOut, subject);
          app.setModel({ weights, label: `${modelName(s.model)}, epoch ${e.epoch} of ${s.epochs} on ${trainLabel}`, origin: 'trained', accuracy: e.accuracy }, e.epoch === 1);
        },
        onBackendChange: (change) => {
          showBackend(client);
          status.textContent = `Moved to ${backendName(change.to)}: ${change.reason}`;
        },
      });
      const last = epochs[epochs.length - 1];
      status.textContent = `Done: ${epochs.length} epoch${epochs.length === 1 ? '' : 's'} in ${duration(performance.now() - t0)}; test accuracy ${percent(last.accuracy)}.`;
    } catch (error) {
      flush();
      if (isAbort(error) || controller.signal.aborted) await afterAbort(s, epochs, test, trainLabel);
      else {
        status.className = 'status error';
        status.textContent = `Training failed: ${errorText(error)}`;
        if (!session.current) show('Backend: the worker stopped.', backendLine);
      }
    } finally {
      run = null;
      app.setBusy(null);
      sync();
    }
  };

  /** After an abort the worker keeps the last batch's weights: evaluate and offer them. */
  const afterAbort = async (s: RunSettings, epochs: readonly EpochResult[], test: MnistSet | null, trainLabel: string) => {
    const client = session.current;
    status.textContent = `Aborted after ${epochs.length} full epoch${epochs.length === 1 ? '' : 's'}.`;
    // The worker holds the last completed batch's weights whatever the chart has drawn yet
    // (batch points reach the chart on the next frame), so evaluate them in any case.
    if (!client || !test) return;
    try {
      const [evaluation, weights] = await Promise.all([client.evaluate(), client.getWeights()]);
      const subject = `${modelName(s.model)} when aborted (${chart.points} batches)`;
      report.showMatrix(evaluation.confusion, subject);
      void report.showEvaluation(evaluation, test, subject);
      app.setModel({ weights, label: `${modelName(s.model)}, aborted after ${chart.points} batches on ${trainLabel}`, origin: 'trained', accuracy: evaluation.accuracy }, epochs.length === 0);
      status.textContent += ` The model as it stood reads ${percent(evaluation.accuracy)} of the test set.`;
    } catch (error) {
      status.textContent += ` (Could not evaluate it: ${errorText(error)})`;
    }
  };

  const showBackend = (client: TrainerClient) => {
    const b = client.backend;
    show(html`Backend: <strong>${backendName(b)}</strong>. <span class="reason">Why: ${backendReason(b)}</span>`, backendLine);
  };

  // 5. Pause / resume / abort.
  // Pause works from the moment a run starts: before the data has arrived, the run starts paused.
  pauseButton.addEventListener('click', () => {
    const current = run;
    if (!current) return;
    current.paused = !current.paused;
    sync();
    if (current.paused) status.textContent = current.client ? 'Paused before the next batch.' : 'Paused: training will wait before its first batch.';
    else status.textContent = current.client ? 'Resumed.' : 'Starting the worker and downloading MNIST…';
    if (current.client) void (current.paused ? current.client.pause() : current.client.resume());
  });
  abortButton.addEventListener('click', () => {
    if (!run) return;
    status.textContent = 'Aborting between two batches…';
    run.controller.abort(new DOMException('aborted from the page', 'AbortError'));
  });
  sync();
}

function epochRow(e: EpochResult) {
  return html`<tr>
    <td>${e.epoch}</td>
    <td>${e.trainLoss.toFixed(4)}</td>
    <td>${e.testLoss.toFixed(4)}</td>
    <td>${percent(e.accuracy)}</td>
    <td>${duration(e.seconds * 1000)}${e.evalSeconds ? html` <span class="muted">+ ${duration(e.evalSeconds * 1000)} eval</span>` : ''}</td>
    <td>${integer(e.samplesPerSecond)}</td>
  </tr>`;
}

/** A message naming the first bad setting, or null. */
function check(s: RunSettings): string | null {
  if (!Number.isInteger(s.epochs) || s.epochs < 1) return 'Epochs must be a whole number ≥ 1.';
  if (!Number.isInteger(s.batchSize) || s.batchSize < 1) return 'Batch size must be a whole number ≥ 1.';
  if (!(s.learningRate > 0) || !Number.isFinite(s.learningRate)) return 'Learning rate must be a number > 0.';
  if (!Number.isInteger(s.trainSize) || s.trainSize < 1 || s.trainSize > MNIST_TRAIN_COUNT) return `Training images must be 1 to ${integer(MNIST_TRAIN_COUNT)}.`;
  return null;
}

/**
 * Learn my handwriting, in the draw panel: when the pad misreads, one click
 * on 0–9 says what it should have been; the corrections are kept in
 * IndexedDB (correction-store.ts) and listed as thumbnails, each removable;
 * "Adapt" fine-tunes the model the pad reads with on them in the worker
 * (`TrainerClient.adapt`, with MNIST replay), measures MNIST test accuracy
 * before and after, and makes the adapted model "your model", which the pad
 * then reads with. Progress and abort as in training.
 */
import { html } from 'lit';
import { createInference } from '../../src/inference/create-inference.js';
import { paintPreview } from '../../widgets/digit-pad/pad-ink.js';
import type { DigitPad } from '../../widgets/index.js';
import type { DigitPadPrediction } from '../../widgets/digit-pad/digit-pad.component.js';
import type { BackendChoice, ModelWeights } from '../../workers/index.js';
import { addCorrection, listCorrections, removeCorrection, type Correction } from './correction-store.js';
import type { DemoApp } from './demo-app.js';
import { byId, duration, errorText, isAbort, percent, show } from './dom.js';
import type { PadModel } from './draw-panel.js';
import type { TrainingSession } from './training-session.js';

/** One row of the before/after table. */
interface AccuracyRow {
  readonly name: string;
  readonly accuracy: number;
  /** Corrections it reads right, of `total`. */
  readonly corrections: number;
  readonly total: number;
}

export function setupAdaptPanel(app: DemoApp, session: TrainingSession, padModel: () => PadModel): void {
  const pad = byId<DigitPad>('pad');
  const digitButtons = [...document.querySelectorAll<HTMLButtonElement>('.digit-buttons button[data-digit]')];
  const list = byId('corrections');
  const count = byId('corrections-count');
  const runButton = byId('adapt-run', HTMLButtonElement);
  const abortButton = byId('adapt-abort', HTMLButtonElement);
  const progress = byId('adapt-progress', HTMLProgressElement);
  const status = byId('adapt-status');
  // Every step's line is not a live region: screen readers hear the milestones in `status`, not 120 steps.
  const stepsLine = byId('adapt-steps');
  const table = byId('adapt-accuracy', HTMLTableElement);
  const rows = byId('adapt-rows');
  let reading: DigitPadPrediction | null = null;
  let corrections: Correction[] = [];
  let run: AbortController | null = null;

  const say = (text: string, error = false) => {
    status.textContent = text;
    status.className = error ? 'status error' : 'status';
  };
  const sync = () => {
    for (const b of digitButtons) b.disabled = reading === null;
    runButton.disabled = corrections.length === 0 || app.busy !== null;
    abortButton.disabled = run === null;
  };
  const removeButton = (c: Correction) => html`<button type="button" aria-label=${`Remove the ${c.label} read as ${readText(c.readAs)}`} @click=${() => remove(c.id)}>Remove</button>`;
  const refresh = async () => {
    corrections = await listCorrections();
    count.textContent = corrections.length ? `Your corrections (${corrections.length}):` : 'Your corrections: none yet.';
    show(
      corrections.map(
        (c) => html`<li data-id=${c.id}>
          <canvas width="28" height="28" role="img" aria-label=${`a ${c.label} you drew`} data-correction=${c.id}></canvas>
          <span class="label"><strong>${c.label}</strong><span class="muted">read as ${readText(c.readAs)}</span></span>
          ${removeButton(c)}
        </li>`,
      ),
      list,
    );
    for (const c of corrections) paintPreview(list.querySelector<HTMLCanvasElement>(`canvas[data-correction="${c.id}"]`)!, c.pixels);
    sync();
  };
  const remove = async (id: number) => {
    try {
      await removeCorrection(id);
      await refresh();
      say('Removed.');
    } catch (error) {
      say(errorText(error), true);
    }
  };

  // 1. The pad's latest final reading is what a digit button corrects.
  pad.addEventListener('digit-prediction', (e) => {
    if (!e.detail.final) return;
    reading = pad.prediction;
    sync();
  });
  pad.addEventListener('digit-clear', () => {
    reading = null;
    sync();
  });
  app.addEventListener('busy', sync);

  // 2. One click keeps the drawing with its digit, and clears the pad for the next.
  for (const button of digitButtons) {
    button.addEventListener('click', async () => {
      const current = reading;
      if (!current) return;
      const label = Number(button.dataset.digit);
      try {
        await addCorrection({ pixels: current.pixels, label, readAs: current.isDigit ? current.digit : -1 });
        pad.clear();
        await refresh();
        say(`Kept as ${label} (read as ${readText(current.isDigit ? current.digit : -1)}). Draw the next, or Adapt.`);
      } catch (error) {
        say(errorText(error), true);
      }
    });
  }

  // 3. Adapt in the worker: accuracy before, fine-tune, accuracy after, then the pad reads with it.
  runButton.addEventListener('click', async () => {
    if (run || app.busy || corrections.length === 0) return;
    const controller = new AbortController();
    run = controller;
    app.setBusy('adapting');
    const start = padModel();
    const examples = corrections.slice();
    progress.removeAttribute('value'); // indeterminate until the first step
    stepsLine.textContent = '';
    // Abort works in every phase: between the steps here, and inside adapt through its signal.
    const checkpoint = () => {
      if (controller.signal.aborted) throw controller.signal.reason;
    };
    try {
      const backend = (document.querySelector<HTMLSelectElement>('#train-form select[name="backend"]')?.value ?? 'auto') as BackendChoice;
      say(`Measuring ${start.label} on the 10,000 MNIST test images…`);
      const client = await session.prepareAdapt(start.weights, backend);
      checkpoint();
      const before = await client.evaluate();
      checkpoint();
      const beforeRow = { name: `Before: ${start.label}`, accuracy: before.accuracy, corrections: readRight(start.weights, examples), total: examples.length };
      showRows([beforeRow]);
      say(`Adapting to ${examples.length} drawing${examples.length === 1 ? '' : 's'}…`);
      const t0 = performance.now();
      const images = new Float32Array(examples.length * 784);
      examples.forEach((c, i) => images.set(c.pixels, i * 784));
      await client.adapt(
        { images, labels: examples.map((c) => c.label) },
        {
          seed: 1,
          signal: controller.signal,
          onProgress: (p) => {
            progress.max = p.steps;
            progress.value = p.step;
            stepsLine.textContent = `Step ${p.step} of ${p.steps}, loss ${p.loss.toFixed(4)}`;
          },
        },
      );
      const seconds = (performance.now() - t0) / 1000;
      checkpoint();
      say('Measuring the adapted model on the 10,000 MNIST test images…');
      const [after, weights] = await Promise.all([client.evaluate(), client.getWeights()]);
      // Adapting an adapted model again names what it started from once.
      const name = `${start.name.replace(/ adapted to your \d+ drawings?$/, '')} adapted to your ${examples.length} drawing${examples.length === 1 ? '' : 's'}`;
      showRows([beforeRow, { name: `After: ${name}`, accuracy: after.accuracy, corrections: readRight(weights, examples), total: examples.length }]);
      app.setModel({ weights: weights as ModelWeights, label: name, origin: 'adapted', accuracy: after.accuracy }, true);
      const change = (after.accuracy - before.accuracy) * 100;
      say(`Adapted in ${duration(seconds * 1000)}. MNIST test accuracy ${percent(before.accuracy)} → ${percent(after.accuracy)} (${change >= 0 ? '+' : ''}${change.toFixed(2)} points). The pad now reads with the adapted model.`);
    } catch (error) {
      if (isAbort(error) || controller.signal.aborted) say(`Aborted. The pad still reads with ${start.label}.`);
      else say(`Adapting failed: ${errorText(error)}`, true);
    } finally {
      progress.max = 1;
      progress.value = 0;
      run = null;
      app.setBusy(null);
      sync();
    }
  });
  abortButton.addEventListener('click', () => {
    run?.abort(new DOMException('aborted from the page', 'AbortError'));
    say('Aborting…');
  });

  const showRows = (measured: readonly AccuracyRow[]) => {
    table.hidden = false;
    show(
      measured.map((r) => html`<tr><th scope="row">${r.name}</th><td>${percent(r.accuracy)}</td><td>${r.corrections} of ${r.total}</td></tr>`),
      rows,
    );
  };

  void refresh().catch((error: unknown) => say(`Your corrections could not be read: ${errorText(error)}`, true));
}

/** How many of `examples` the model reads as their label (on this page, tensor-free). */
function readRight(weights: ModelWeights, examples: readonly Correction[]): number {
  const inference = createInference(weights);
  return examples.filter((c) => {
    const p = inference.predict(c.pixels);
    return p.isDigit && p.digit === c.label;
  }).length;
}

function readText(readAs: number): string {
  return readAs < 0 ? 'not a digit' : String(readAs);
}

/**
 * Keep and share: save "your model" in this browser (IndexedDB) and get it
 * back after a refresh; download it as model.json + weights.bin and load such
 * files back; evaluate a restored or loaded model on the test set (in the
 * worker) to fill the report card.
 */
import { html } from 'lit';
import type { BackendChoice } from '../../workers/index.js';
import { modelName, type DemoApp } from './demo-app.js';
import { byId, errorText, percent, show, size } from './dom.js';
import { downloadFiles, modelFiles, readModelFiles, revokeLinks } from './model-files.js';
import { loadSavedModel, saveModel, type SavedModelInfo } from './model-store.js';
import type { ReportCard } from './report-card.js';
import type { TrainingSession } from './training-session.js';

export function setupKeepPanel(app: DemoApp, session: TrainingSession, report: ReportCard): void {
  const saveButton = byId('save-model', HTMLButtonElement);
  const downloadButton = byId('download-model', HTMLButtonElement);
  const evaluateButton = byId('evaluate-model', HTMLButtonElement);
  const fileInput = byId('model-files', HTMLInputElement);
  const modelLine = byId('keep-model');
  const savedLine = byId('saved-info');
  const links = byId('download-links');
  const status = byId('keep-status');
  let saving = false;
  let currentLinks: { name: string; url: string }[] = [];

  const say = (text: string, error = false) => {
    status.textContent = text;
    status.className = error ? 'status error' : 'status';
  };
  const sync = () => {
    const model = app.model;
    saveButton.disabled = !model || saving;
    downloadButton.disabled = !model;
    evaluateButton.disabled = !model || app.busy !== null;
    modelLine.textContent = model ? `Your model: ${model.label}${model.accuracy !== undefined ? `, ${percent(model.accuracy)} on the test set` : ''}.` : 'Your model: none yet.';
  };
  const showSaved = (info: SavedModelInfo | null) => {
    savedLine.textContent = info
      ? `Saved in this browser: ${info.label}${info.accuracy !== undefined ? `, ${percent(info.accuracy)}` : ''} (${size(info.bytes)}, ${new Date(info.savedAt).toLocaleString()}).`
      : 'Saved in this browser: nothing yet.';
  };
  app.addEventListener('model', sync);
  app.addEventListener('busy', sync);
  sync();

  // 1. After a refresh: the saved model comes back as "your model".
  void loadSavedModel().then(
    (saved) => {
      showSaved(saved?.info ?? null);
      if (saved && !app.model) {
        app.setModel({ weights: saved.model, label: `${saved.info.label} (restored from this browser)`, origin: 'saved', accuracy: saved.info.accuracy }, false);
        say('Restored the model saved in this browser.');
      }
    },
    (error: unknown) => {
      savedLine.textContent = `Saved in this browser: could not be read (${errorText(error)}).`;
    },
  );

  // 2. Save: the previous save stays unless this one commits completely.
  saveButton.addEventListener('click', async () => {
    const model = app.model;
    if (!model || saving) return;
    saving = true;
    sync();
    say('Saving…');
    try {
      const label = model.label.replace(/ \(restored from this browser\)$/, '');
      const info = await saveModel(model.weights, { label, accuracy: model.accuracy });
      showSaved(info);
      say(`Saved: ${label}. It will be here after a refresh.`);
    } catch (error) {
      say(errorText(error), true);
    } finally {
      saving = false;
      sync();
    }
  });

  // 3. Download as the tfjs Layers files.
  downloadButton.addEventListener('click', () => {
    const model = app.model;
    if (!model) return;
    try {
      revokeLinks(currentLinks);
      currentLinks = downloadFiles(modelFiles(model.weights));
      show(
        html`If your browser held a download back: ${currentLinks.map((l, i) => html`${i ? ' and ' : ''}<a href=${l.url} download=${l.name}>${l.name}</a>`)}.`,
        links,
      );
      say('Downloading model.json and weights.bin (the TensorFlow.js Layers format: tf.loadLayersModel reads them too).');
    } catch (error) {
      say(`Could not prepare the files: ${errorText(error)}`, true);
    }
  });

  // 4. Load files back.
  fileInput.addEventListener('change', async () => {
    const files = fileInput.files;
    if (!files || files.length === 0) return;
    try {
      const weights = await readModelFiles(files);
      const names = [...files].map((f) => f.name).join(' + ');
      app.setModel({ weights, label: `${modelName(weights.spec.name)} loaded from ${names}`, origin: 'file' });
      say(`Loaded ${names}: ${modelName(weights.spec.name)}. Draw a digit, or evaluate it on the test set.`);
    } catch (error) {
      say(`Could not load the files: ${errorText(error)}`, true);
    } finally {
      fileInput.value = '';
    }
  });

  // 5. Evaluate "your model" in the worker, to fill the report card.
  evaluateButton.addEventListener('click', async () => {
    const model = app.model;
    if (!model || app.busy) return;
    app.setBusy('evaluating');
    say('Evaluating on the 10,000 test images…');
    try {
      const backend = (document.querySelector<HTMLSelectElement>('#train-form select[name="backend"]')?.value ?? 'auto') as BackendChoice;
      const [test, ev] = await Promise.all([app.testSet(), session.evaluate(model.weights, backend)]);
      const subject = model.label;
      report.showMatrix(ev.confusion, subject);
      void report.showEvaluation(ev, test, subject);
      app.setModel({ ...model, accuracy: ev.accuracy }, false);
      say(`Evaluated: ${percent(ev.accuracy)} of the test set read correctly. The report card shows the details.`);
    } catch (error) {
      say(`Evaluation failed: ${errorText(error)}`, true);
    } finally {
      app.setBusy(null);
    }
  });
}

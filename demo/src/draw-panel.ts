/**
 * The draw panel: `<digit-pad>` + `<softmax-bars>` + the 28×28 image the
 * model sees, read by the shipped pretrained CNN or by "your model" (the one
 * just trained, restored or loaded). Reading happens on this page without
 * tfjs (the core's tensor-free inference), so it stays instant while the
 * worker trains.
 */
import type { ModelWeights } from '../../src/models/spec.js';
import { CNN_MODEL } from '../../src/pretrained/cnn-model.js';
import { compactModelFromBase64 } from '../../src/io/compact-model.js';
import { paintPreview } from '../../widgets/digit-pad/pad-ink.js';
import type { DigitPad } from '../../widgets/index.js';
import type { DemoApp, ModelEventDetail } from './demo-app.js';
import { byId, percent } from './dom.js';

/** The model the pad reads with: its weights and a name for it. */
export interface PadModel {
  readonly weights: ModelWeights;
  /** In a sentence: "the shipped CNN" or "your model (…)". */
  readonly label: string;
  /** The model's own name: "the shipped CNN" or your model's label. */
  readonly name: string;
}

/** Sets the draw panel up; returns what the pad reads with now (the shipped CNN unless "your model" is chosen). */
export function setupDrawPanel(app: DemoApp): () => PadModel {
  const pad = byId<DigitPad>('pad');
  const reading = byId('draw-reading');
  const preview = byId('preview28', HTMLCanvasElement);
  const mineLabel = byId('mine-label');
  const radios = [...document.querySelectorAll<HTMLInputElement>('input[name="draw-model"]')];
  const mine = radios.find((r) => r.value === 'mine')!;
  byId('pretrained-label').textContent = `the shipped pretrained CNN (${percent(CNN_MODEL.testAccuracy.shipped)} on the test set)`;

  const chosen = () => (mine.checked && app.model ? 'mine' : 'pretrained');
  const describe = () => (chosen() === 'mine' ? `your model (${app.model!.label})` : 'the shipped CNN');
  const apply = () => {
    pad.model = chosen() === 'mine' ? app.model!.weights : null;
  };
  for (const radio of radios) radio.addEventListener('change', apply);

  app.addEventListener('model', (event) => {
    const model = app.model!;
    mine.disabled = false;
    mineLabel.textContent = `your model: ${model.label}${model.accuracy !== undefined ? ` (${percent(model.accuracy)} on the test set)` : ''}`;
    if ((event as CustomEvent<ModelEventDetail>).detail.select) mine.checked = true;
    apply();
  });

  pad.addEventListener('digit-prediction', (e) => {
    paintPreview(preview, e.detail.pixels);
    if (!e.detail.final) return;
    const { digit, probabilities, isDigit, digitScore } = e.detail;
    reading.textContent = isDigit
      ? `Read as ${digit} (${percent(probabilities[digit], 1)} sure) by ${describe()}.`
      : `That doesn't look like a digit to ${describe()} (digit score ${percent(digitScore, 1)}).`;
  });
  pad.addEventListener('digit-clear', () => {
    paintPreview(preview, null);
    reading.textContent = 'Draw a digit in the box.';
  });
  pad.addEventListener('digit-model-state', (e) => {
    if (e.detail.state === 'error') reading.textContent = `The model could not load: ${e.detail.message ?? 'unknown error'}`;
  });
  paintPreview(preview, null);
  let shipped: ModelWeights | null = null;
  return () =>
    chosen() === 'mine'
      ? { weights: app.model!.weights, label: `your model (${app.model!.label})`, name: app.model!.label }
      : { weights: (shipped ??= compactModelFromBase64(CNN_MODEL.base64, 'the shipped CNN')), label: 'the shipped CNN', name: 'the shipped CNN' };
}

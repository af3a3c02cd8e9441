import { sendKeys, sendMouse, resetMouse } from '@web/test-runner-commands';
import { createInference } from '../../src/inference/create-inference.js';
import { cnnSpec } from '../../src/models/presets.js';
import type { ModelWeights } from '../../src/models/spec.js';
import { layerShapes } from '../../src/models/weight-shapes.js';
import { ONE_TWO_STROKES, SEVEN, assert, captureWarnings, checkA11y, cleanup, close, drawStrokes, equal, fixture, inBothSchemes, nextEvent, part, recordEvents, settle } from '../../test/widgets/helpers.js';
import type { WidgetEvent } from '../internal/events.js';
import { pretrainedCnn } from '../internal/pretrained-cnn.js';
import type { DigitPad } from './digit-pad.js';
import './digit-pad.js';

async function readyPad(markup = '<digit-pad></digit-pad>'): Promise<DigitPad> {
  const pad = await fixture<DigitPad>(markup);
  await modelSettled(pad);
  return pad;
}

/** Waits until the pad's model (after any property change) is ready or has failed. */
async function modelSettled(pad: DigitPad): Promise<void> {
  await pad.updateComplete;
  while (pad.modelState === 'loading') await nextEvent(pad, 'digit-model-state');
}

/**
 * Resolves after the page's next idle period, as the pad's warm-up waits for one. WebKit has no
 * requestIdleCallback: there the pad promises a 200 ms timer instead, and this waits past that.
 */
function pastIdle(): Promise<void> {
  if (typeof requestIdleCallback === 'function') return new Promise((resolve) => requestIdleCallback(() => setTimeout(resolve, 50), { timeout: 2500 }));
  console.log(`${navigator.userAgent}: no requestIdleCallback; checking the pad's fallback (its warm-up on a 200 ms timer)`);
  return new Promise((resolve) => setTimeout(resolve, 500));
}

function inkCoverage(canvas: HTMLCanvasElement): number {
  const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
  let ink = 0;
  for (let i = 3; i < data.length; i += 4) ink += data[i] / 255;
  return ink / (canvas.width * canvas.height);
}

describe('<digit-pad>', () => {
  afterEach(cleanup);

  it('is a labelled, focusable surface that browsers do not scroll or zoom under a finger', async () => {
    const pad = await readyPad('<digit-pad label="Draw here"></digit-pad>');
    const surface = part(pad, 'surface');
    equal(surface.getAttribute('aria-label'), 'Draw here', 'accessible name');
    equal(surface.tabIndex, 0, 'tabindex');
    equal(getComputedStyle(surface).touchAction, 'none', 'touch-action');
    equal(part(pad, 'status').getAttribute('role'), 'status', 'live region role');
    equal(pad.getAttribute('model-state'), 'ready', 'model-state attribute');
  });

  it('reads a drawn seven when the stroke ends, with the 28×28 pixels, ten probabilities and the digit', async () => {
    const pad = await readyPad();
    const seen = nextEvent<WidgetEvent<'digit-prediction'>>(pad, 'digit-prediction');
    drawStrokes(part(pad, 'surface'), SEVEN);
    const { detail, bubbles, composed } = await seen;
    assert(bubbles && composed, 'event bubbles out of shadow roots');
    equal(detail.final, true, 'final');
    equal(detail.source, 'pretrained', 'source');
    equal(detail.digit, 7, 'digit');
    equal(detail.pixels.length, 784, 'pixels');
    assert(detail.pixels.every((v) => v >= 0 && v <= 1), 'pixels in [0, 1]');
    equal(detail.probabilities.length, 10, 'probabilities');
    close(detail.probabilities.reduce((a, b) => a + b, 0), 1, 1e-5, 'sum of probabilities');
    equal(detail.probabilities.indexOf(Math.max(...detail.probabilities)), detail.digit, 'digit is the argmax');
    // The same pixels through the core give the same probabilities: the pad adds nothing of its own.
    const direct = pretrainedCnn().predict(detail.pixels);
    close(Math.max(...direct.probabilities.map((p, i) => Math.abs(p - detail.probabilities[i]))), 0, 1e-7, 'pad vs core');
    await settle(pad);
    assert(/Read as 7/.test(part(pad, 'status').textContent ?? ''), `status announces the digit: ${part(pad, 'status').textContent}`);
    equal(pad.prediction?.digit, 7, 'prediction property');
  });

  it('reads live while drawing, throttled by live-interval', async () => {
    const pad = await readyPad('<digit-pad live-interval="1"></digit-pad>');
    const surface = part(pad, 'surface');
    const rec = recordEvents<WidgetEvent<'digit-prediction'>>(pad, 'digit-prediction');
    const rect = surface.getBoundingClientRect();
    const point = (x: number, y: number) => ({ pointerId: 7, pointerType: 'mouse', bubbles: true, composed: true, clientX: rect.left + x * rect.width, clientY: rect.top + y * rect.height });
    surface.dispatchEvent(new PointerEvent('pointerdown', { ...point(0.3, 0.2), button: 0, buttons: 1 }));
    for (let i = 1; i <= 12; i++) {
      await new Promise((r) => setTimeout(r, 3));
      surface.dispatchEvent(new PointerEvent('pointermove', { ...point(0.3 + i * 0.02, 0.2 + i * 0.05), buttons: 1 }));
    }
    surface.dispatchEvent(new PointerEvent('pointerup', point(0.55, 0.8)));
    await pad.updateComplete; // the final reading follows the stroke's end in a microtask
    rec.stop();
    const live = rec.events.filter((e) => !e.detail.final).length;
    assert(live >= 3, `expected several live readings, got ${live}`);
    equal(rec.events[rec.events.length - 1].detail.final, true, 'last reading is final');

    pad.liveInterval = 0;
    await settle(pad);
    const quiet = recordEvents<WidgetEvent<'digit-prediction'>>(pad, 'digit-prediction');
    drawStrokes(surface, SEVEN);
    await pad.updateComplete;
    quiet.stop();
    equal(quiet.events.filter((e) => !e.detail.final).length, 0, 'no live readings with live-interval 0');
  });

  it('undoes the last stroke (button and Ctrl+Z) and reads what is left', async () => {
    const pad = await readyPad();
    const surface = part(pad, 'surface');
    const undoButton = part<HTMLButtonElement>(pad, 'undo-button');
    await settle(pad);
    assert(undoButton.disabled, 'Undo is disabled on an empty pad');
    drawStrokes(surface, ONE_TWO_STROKES);
    equal(pad.strokeCount, 2, 'strokes');
    await settle(pad);
    assert(!undoButton.disabled, 'Undo is enabled after drawing');
    const undone = nextEvent<WidgetEvent<'digit-undo'>>(pad, 'digit-undo');
    const reread = nextEvent<WidgetEvent<'digit-prediction'>>(pad, 'digit-prediction');
    undoButton.click();
    equal((await undone).detail.strokes, 1, 'strokes left after undo');
    equal((await reread).detail.final, true, 'the rest is read again');

    surface.focus();
    const cleared = nextEvent<WidgetEvent<'digit-clear'>>(pad, 'digit-clear');
    // Chord syntax: playwright and WebDriver take "Control+z"; puppeteer (Firefox) wants the key held down.
    if (/\bFirefox\//.test(navigator.userAgent)) {
      await sendKeys({ down: 'Control' });
      await sendKeys({ press: 'z' });
      await sendKeys({ up: 'Control' });
    } else {
      await sendKeys({ press: 'Control+z' });
    }
    equal((await cleared).detail.reason, 'undo', 'undoing the last stroke empties the pad');
    equal(pad.strokeCount, 0, 'no strokes');
    equal(pad.prediction, null, 'no reading');
    close(inkCoverage(surface as HTMLCanvasElement), 0, 0, 'surface is blank');
  });

  it('clears by button, Escape and Delete', async () => {
    const pad = await readyPad();
    const surface = part<HTMLCanvasElement>(pad, 'surface');
    const reasons: string[] = [];
    pad.addEventListener('digit-clear', (e) => reasons.push(e.detail.reason));
    drawStrokes(surface, SEVEN);
    await settle(pad);
    assert(inkCoverage(surface) > 0.01, 'ink on the surface');
    part<HTMLButtonElement>(pad, 'clear-button').click();
    close(inkCoverage(surface), 0, 0, 'blank after Clear');
    for (const key of ['Escape', 'Delete']) {
      drawStrokes(surface, SEVEN);
      surface.focus();
      await sendKeys({ press: key });
      close(inkCoverage(surface), 0, 0, `blank after ${key}`);
    }
    equal(reasons.join(), 'button,keyboard,keyboard', 'clear reasons');
    await settle(pad);
    assert(/Cleared/.test(part(pad, 'status').textContent ?? ''), 'status says it was cleared');
  });

  it('scales the stroke width with the pad size', async () => {
    const small = await readyPad('<digit-pad style="--digit-pad-size: 140px"></digit-pad>');
    const large = await readyPad('<digit-pad style="--digit-pad-size: 420px"></digit-pad>');
    drawStrokes(part(small, 'surface'), SEVEN);
    drawStrokes(part(large, 'surface'), SEVEN);
    await settle(document.body);
    const a = inkCoverage(part<HTMLCanvasElement>(small, 'surface'));
    const b = inkCoverage(part<HTMLCanvasElement>(large, 'surface'));
    close(a / b, 1, 0.08, 'inked fraction of a small and a large pad');
    equal(small.prediction?.digit, 7, 'small pad reads 7');
    equal(large.prediction?.digit, 7, 'large pad reads 7');
  });

  it('draws with a real mouse (trusted pointer events, pointer capture)', async () => {
    const pad = await readyPad();
    const rect = part(pad, 'surface').getBoundingClientRect();
    const to = (x: number, y: number) => [Math.round(rect.left + x * rect.width), Math.round(rect.top + y * rect.height)] as [number, number];
    const seen = new Promise<WidgetEvent<'digit-prediction'>>((resolve) => {
      pad.addEventListener('digit-prediction', (e) => e.detail.final && resolve(e));
    });
    await sendMouse({ type: 'move', position: to(0.5, 0.15) });
    await sendMouse({ type: 'down' });
    for (let i = 1; i <= 8; i++) await sendMouse({ type: 'move', position: to(0.5, 0.15 + i * 0.085) });
    await sendMouse({ type: 'up' });
    await resetMouse();
    const { detail } = await seen;
    equal(detail.digit, 1, 'a vertical line reads as 1');
    equal(pad.strokeCount, 1, 'one stroke');
  });

  it('shows the 28×28 preview of what the model sees', async () => {
    const pad = await readyPad('<digit-pad preview></digit-pad>');
    const seen = nextEvent<WidgetEvent<'digit-prediction'>>(pad, 'digit-prediction');
    drawStrokes(part(pad, 'surface'), SEVEN);
    const { detail } = await seen;
    await settle(pad);
    const preview = part<HTMLCanvasElement>(pad, 'preview');
    equal(preview.width, 28, 'preview width');
    const data = preview.getContext('2d')!.getImageData(0, 0, 28, 28).data;
    let worst = 0;
    for (let i = 0; i < 784; i++) worst = Math.max(worst, Math.abs(data[4 * i] / 255 - detail.pixels[i]));
    close(worst, 0, 1 / 255, 'preview pixels equal the event pixels');
  });

  it('warms its reading path up while the page is idle, unseen: no event, no reading, no ink, no call to a trainer', async () => {
    const pad = await fixture<DigitPad>('<digit-pad preview></digit-pad>');
    const events = recordEvents<WidgetEvent<'digit-prediction'>>(pad, 'digit-prediction');
    await modelSettled(pad);
    // The warm-up runs in an idle callback (at the latest 2 s after the model is ready); wait past it.
    await pastIdle();
    await new Promise((resolve) => setTimeout(resolve, 300));
    equal(events.events.length, 0, 'digit-prediction events');
    equal(pad.prediction, null, 'reading');
    equal(inkCoverage(part(pad, 'surface') as HTMLCanvasElement), 0, 'ink on the visible pad');
    // A trainer is never called for it.
    let calls = 0;
    pad.trainer = { predict: () => (calls++, { digit: 0, probabilities: new Float32Array(10).fill(0.1), isDigit: true, digitScore: 0.1 }) };
    await modelSettled(pad);
    await pastIdle();
    equal(calls, 0, 'trainer.predict calls before any stroke');
  });

  it('predicts with a model given as a property, and with an async trainer', async () => {
    const pad = await readyPad();
    // A model whose last layer always says 3: zero kernels, bias peaked at 3.
    const spec = cnnSpec();
    const weights = layerShapes(spec).weights.map(({ name, shape }) => {
      const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
      if (name === layerShapes(spec).weights.at(-1)!.name) values[3] = 5;
      return { name, shape: [...shape], values };
    });
    const model: ModelWeights = { spec, weights };
    createInference(model); // valid
    pad.model = model;
    await modelSettled(pad);
    const fromModel = nextEvent<WidgetEvent<'digit-prediction'>>(pad, 'digit-prediction');
    drawStrokes(part(pad, 'surface'), SEVEN);
    equal((await fromModel).detail.source, 'model', 'source');
    equal(pad.prediction?.digit, 3, 'the model was used');

    const calls: Float32Array[] = [];
    pad.trainer = {
      async predict(pixels: Float32Array) {
        calls.push(pixels);
        await new Promise((r) => setTimeout(r, 20));
        return { digit: 8, probabilities: new Float32Array([0, 0, 0, 0, 0, 0, 0, 0, 1, 0]), isDigit: true, digitScore: 1 };
      },
    };
    const again = nextEvent<WidgetEvent<'digit-prediction'>>(pad, 'digit-prediction');
    // The drawing already on the pad is read by the new trainer as soon as it is set.
    const { detail } = await again;
    equal(detail.source, 'trainer', 'source');
    equal(detail.digit, 8, 'the trainer was used');
    equal(calls[0].length, 784, 'trainer got 784 pixels');
    assert(calls[0] instanceof Float32Array, 'the same input as Inference.predict: floats in [0, 1]');
    equal(Array.from(calls[0]).join(), Array.from(detail.pixels).join(), 'the very pixels of the event, not rounded to bytes');
    assert(Array.from(calls[0]).some((v) => Math.round(v * 255) !== v * 255), 'anti-aliased floats between byte levels reach the trainer');

    // What is not a Prediction (bare logits) is refused with a typed error, shown and warned about.
    const refused = await captureWarnings(async () => {
      pad.trainer = { predict: async () => [0, 0, 0, 0, 0, 0, 0, 0, 0, 4] as never };
      await new Promise((r) => setTimeout(r, 50));
    });
    assert(refused.some((w) => /trainer\.predict returned an array of length 10, expected \{ digit, probabilities, isDigit, digitScore \}/.test(w)), `refused: ${refused.join(' | ')}`);
    pad.clear();
    equal(pad.prediction, null, 'cleared');

    pad.trainer = null;
    pad.model = null;
    const back = nextEvent<WidgetEvent<'digit-model-state'>>(pad, 'digit-model-state');
    equal((await back).detail.source, 'pretrained', 'back to the shipped CNN');
  });

  it('keeps drawing and says why when the model fails to load', async () => {
    const pad = await readyPad();
    const warnings = await captureWarnings(async () => {
      pad.model = { spec: cnnSpec(), weights: [] };
      await modelSettled(pad);
    });
    equal(pad.modelState, 'error', 'model-state');
    assert(/weight/i.test(pad.modelError), `the error says what is wrong: ${pad.modelError}`);
    assert(warnings.some((w) => w.includes('<digit-pad>') && w.includes('"model"')), `a console warning names the property: ${warnings.join(' | ')}`);
    await settle(pad);
    equal(pad.getAttribute('model-state'), 'error', 'model-state attribute');
    const status = part(pad, 'status');
    assert(/Model unavailable/.test(status.textContent ?? '') && /still draw/.test(status.textContent ?? ''), `visible reason: ${status.textContent}`);
    drawStrokes(part(pad, 'surface'), SEVEN);
    await settle(pad);
    assert(inkCoverage(part<HTMLCanvasElement>(pad, 'surface')) > 0.01, 'drawing still works');
    assert(!part<HTMLButtonElement>(pad, 'undo-button').disabled, 'undo still works');
    equal(pad.prediction, null, 'no reading without a model');

    const missing = await captureWarnings(async () => {
      pad.model = null;
      pad.src = '/no/such/model.dcm';
      await modelSettled(pad);
    });
    await settle(pad);
    equal(pad.modelState, 'error', 'a missing file is an error');
    assert(/404/.test(part(pad, 'status').textContent ?? ''), `HTTP status shown: ${part(pad, 'status').textContent}`);
    assert(missing.some((w) => w.includes('"src"')), 'warning names src');

    const broken = await captureWarnings(async () => {
      pad.src = '';
      pad.trainer = { predict: () => Promise.reject(new Error('worker terminated')) };
      await modelSettled(pad);
      await new Promise((r) => setTimeout(r, 20));
    });
    await settle(pad);
    assert(/worker terminated/.test(part(pad, 'status').textContent ?? ''), `prediction failure shown: ${part(pad, 'status').textContent}`);
    assert(broken.some((w) => w.includes('"trainer"')), 'warning names trainer');
    drawStrokes(part(pad, 'surface'), SEVEN);
    equal(pad.strokeCount, 2, 'still drawing');
  });

  it('passes axe-core and looks right in light and dark (screenshots)', async () => {
    const pad = await readyPad('<digit-pad preview></digit-pad>');
    drawStrokes(part(pad, 'surface'), SEVEN);
    await inBothSchemes(pad, 'digit-pad', () => checkA11y(pad));
    const empty = await readyPad();
    await inBothSchemes(empty, 'digit-pad-empty', () => checkA11y(empty));
  });
});

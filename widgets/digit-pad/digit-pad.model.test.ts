/**
 * `<digit-pad>` and its model: the idle warm-up (unseen, no event, no call to
 * a trainer), a model given as a property or an async trainer, and a model
 * that fails to load (the pad keeps drawing and says why).
 */
import { createInference } from '../../src/inference/create-inference.js';
import { cnnSpec } from '../../src/models/presets.js';
import type { ModelWeights } from '../../src/models/spec.js';
import { layerShapes } from '../../src/models/weight-shapes.js';
import { SEVEN, assert, captureWarnings, cleanup, drawStrokes, equal, fixture, nextEvent, part, recordEvents, settle } from '../../test/widgets/helpers.js';
import { inkCoverage, modelSettled, pastIdle, readyPad } from '../../test/widgets/pad-helpers.js';
import type { WidgetEvent } from '../internal/events.js';
import type { DigitPad } from './digit-pad.js';
import './digit-pad.js';

describe('<digit-pad> and its model', () => {
  afterEach(cleanup);

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
});

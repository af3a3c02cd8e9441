/**
 * `<digit-pad>` as a drawing surface: labelled and focusable, reading a drawn
 * seven (at the end of a stroke and live), undo, clear, stroke width, a real
 * mouse, the 28×28 preview, axe-core and screenshots. Its model is in
 * digit-pad.model.test.ts.
 */
import { sendKeys, sendMouse, resetMouse } from '@web/test-runner-commands';
import { ONE_TWO_STROKES, SEVEN, assert, checkA11y, cleanup, close, drawStrokes, equal, inBothSchemes, nextEvent, part, recordEvents, settle } from '../../test/widgets/helpers.js';
import { inkCoverage, readyPad } from '../../test/widgets/pad-helpers.js';
import type { WidgetEvent } from '../internal/events.js';
import { pretrainedCnn } from '../internal/pretrained-cnn.js';
import './digit-pad.js';

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

  it('passes axe-core and looks right in light and dark (screenshots)', async () => {
    const pad = await readyPad('<digit-pad preview></digit-pad>');
    drawStrokes(part(pad, 'surface'), SEVEN);
    await inBothSchemes(pad, 'digit-pad', () => checkA11y(pad));
    const empty = await readyPad();
    await inBothSchemes(empty, 'digit-pad-empty', () => checkA11y(empty));
  });
});

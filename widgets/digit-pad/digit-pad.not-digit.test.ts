/**
 * The "not a digit" state, end to end through the widgets with the shipped
 * model: hatching and a scribble drawn on `<digit-pad>` as pointer events are
 * flagged (`isDigit` false in the event and in the core for the same pixels),
 * the pad and a bound `<softmax-bars>` show and announce it and claim no
 * digit; digits drawn the same way are not flagged; the state clears with the
 * pad; it holds at a phone's width, in light and dark, and passes axe-core.
 */
import { ONE_TWO_STROKES, SEVEN, assert, captureWarnings, checkA11y, cleanup, close, drawStrokes, equal, fixture, inBothSchemes, nextEvent, part, parts, settle } from '../../test/widgets/helpers.js';
import type { WidgetEvent } from '../internal/events.js';
import { pretrainedCnn } from '../internal/pretrained-cnn.js';
import type { SoftmaxBars } from '../softmax-bars/softmax-bars.js';
import '../softmax-bars/softmax-bars.js';
import type { DigitPad } from './digit-pad.js';
import './digit-pad.js';

/** Cross-hatching: four strokes each way across most of the pad (pad units). */
const HATCHING: number[][] = [
  ...[0.2, 0.4, 0.6, 0.8].map((x) => [x - 0.1, 0.15, x + 0.1, 0.85]),
  ...[0.2, 0.4, 0.6, 0.8].map((y) => [0.15, y + 0.1, 0.85, y - 0.1]),
];
/** A scribble: one stroke jumping about the pad, 30 seeded points in [0.15, 0.85]². */
const SCRIBBLE: number[][] = (() => {
  let seed = 7;
  const next = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 0.7 + 0.15;
  return [Array.from({ length: 60 }, next)];
})();
/** A zero: an ellipse in one stroke. */
const ZERO: number[][] = [Array.from({ length: 33 }, (_, i) => [0.5 + 0.24 * Math.sin((i / 32) * 2 * Math.PI), 0.5 - 0.32 * Math.cos((i / 32) * 2 * Math.PI)]).flat()];

/** Draws `strokes` on a cleared pad and resolves with the final reading's event detail. */
async function draw(pad: DigitPad, strokes: readonly (readonly number[])[]): Promise<WidgetEvent<'digit-prediction'>['detail']> {
  pad.clear();
  const seen = new Promise<WidgetEvent<'digit-prediction'>>((resolve) => {
    const on = (e: WidgetEvent<'digit-prediction'>) => {
      if (!e.detail.final) return;
      pad.removeEventListener('digit-prediction', on);
      resolve(e);
    };
    pad.addEventListener('digit-prediction', on);
  });
  drawStrokes(part(pad, 'surface'), strokes);
  const { detail } = await seen;
  await settle(pad.parentElement!);
  return detail;
}

describe('<digit-pad> and <softmax-bars>: not a digit', () => {
  afterEach(cleanup);

  it('flag hatching and a scribble drawn on the pad with the shipped model, not digits, and say so to eyes and screen readers', async () => {
    const host = await fixture<HTMLDivElement>('<div><digit-pad id="nd" preview></digit-pad><softmax-bars for="nd"></softmax-bars></div>', { width: 340 });
    const pad = host.querySelector('digit-pad')!;
    const bars = host.querySelector<SoftmaxBars>('softmax-bars')!;
    while (pad.modelState === 'loading') await nextEvent(pad, 'digit-model-state');
    const status = part(pad, 'status');
    const cnn = pretrainedCnn();

    for (const [name, strokes] of [['hatching', HATCHING], ['a scribble', SCRIBBLE]] as const) {
      const detail = await draw(pad, strokes);
      // The event carries the core's Prediction for these very pixels.
      const core = cnn.predict(detail.pixels);
      equal(detail.isDigit, core.isDigit, `${name}: isDigit as the core says`);
      close(detail.digitScore, core.digitScore, 1e-6, `${name}: digitScore as the core says`);
      equal(detail.isDigit, false, `${name} is flagged (digitScore ${detail.digitScore.toFixed(3)}, read as ${detail.digit})`);
      assert(detail.digitScore >= 0 && detail.digitScore <= 1, `${name}: digitScore in [0, 1]: ${detail.digitScore}`);
      equal(pad.prediction?.isDigit, false, `${name}: the pad's prediction property`);
      assert(pad.hasAttribute('not-digit'), `${name}: the pad has the not-digit attribute`);
      const said = status.textContent ?? '';
      assert(/doesn.t look like a digit/.test(said) && !/Read as/.test(said), `${name}: the live region says it and claims no digit: "${said}"`);
      equal(status.getAttribute('aria-live'), 'polite', 'announced through the live region');
      assert(bars.hasAttribute('not-digit'), `${name}: the bound bars have the not-digit attribute`);
      equal(bars.digit, null, `${name}: the bars claim no digit`);
      equal(parts(bars, 'top').length, 0, `${name}: no row highlighted`);
      assert(parts(bars, 'row').every((r) => !/most likely/.test(r.getAttribute('aria-valuetext') ?? '')), `${name}: no meter says most likely`);
      const verdict = part(bars, 'verdict');
      assert(/doesn.t look like a digit/.test(verdict.textContent ?? ''), `${name}: the bars' verdict: ${verdict.textContent}`);
      equal(part(bars, 'base').getAttribute('aria-describedby'), verdict.id, `${name}: the group is described by the verdict`);
      assert(Number(getComputedStyle(parts(bars, 'fill')[detail.digit]).opacity) < 0.6, `${name}: the bars are dimmed`);
    }
    // The state as it looks (light and dark) and its accessibility.
    await inBothSchemes(host, 'digit-pad-not-digit', () => checkA11y(host));

    for (const [name, strokes, digit] of [['a seven', SEVEN, 7], ['a one in two strokes', ONE_TWO_STROKES, 1], ['a zero', ZERO, 0]] as const) {
      const detail = await draw(pad, strokes);
      equal(detail.digit, digit, `${name} is read`);
      equal(detail.isDigit, true, `${name} is not flagged (digitScore ${detail.digitScore.toFixed(3)})`);
      assert(!pad.hasAttribute('not-digit') && !bars.hasAttribute('not-digit'), `${name}: neither element is in the not-digit state`);
      assert(/Read as/.test(status.textContent ?? ''), `${name}: the status reads it: ${status.textContent}`);
      equal(parts(bars, 'verdict').length, 0, `${name}: no verdict on the bars`);
      equal(bars.digit, digit, `${name}: the bars claim it`);
    }

    // Cleared from the not-digit state: both elements leave it.
    await draw(pad, HATCHING);
    assert(pad.hasAttribute('not-digit'), 'hatching again');
    pad.clear();
    await settle(host);
    assert(!pad.hasAttribute('not-digit') && !bars.hasAttribute('not-digit'), 'clear leaves the state');
  });

  it('takes the state from a trainer, keeps it at phone width, and refuses a malformed isDigit', async () => {
    const pad = await fixture<DigitPad>('<digit-pad style="--digit-pad-size: 240px"></digit-pad>', { width: 272 });
    const probabilities = new Float32Array([0, 0, 0, 0.9, 0, 0, 0.1, 0, 0, 0]);
    let answer: object = { digit: 3, probabilities, isDigit: false, digitScore: 0.04 };
    pad.trainer = { predict: async () => answer as never };
    while (pad.modelState === 'loading') await nextEvent(pad, 'digit-model-state');
    const detail = await draw(pad, SEVEN);
    equal(detail.isDigit, false, 'isDigit passed through from the trainer');
    equal(detail.digitScore, 0.04, 'digitScore passed through');
    assert(pad.hasAttribute('not-digit'), 'not-digit state from the trainer');
    const status = part(pad, 'status');
    assert(status.scrollWidth <= status.clientWidth + 1 && pad.getBoundingClientRect().width <= 272, `fits a 240 px pad: status ${status.scrollWidth} px in ${status.clientWidth} px`);

    // A predictor written before isDigit existed makes no claim: a digit, score 1.
    answer = { digit: 3, probabilities };
    const plain = await draw(pad, SEVEN);
    assert(plain.isDigit === true && plain.digitScore === 1 && !pad.hasAttribute('not-digit'), `no fields: a digit (${plain.isDigit}, ${plain.digitScore})`);

    answer = { digit: 3, probabilities, isDigit: 'no', digitScore: 0.04 };
    const warnings = await captureWarnings(async () => {
      drawStrokes(part(pad, 'surface'), ONE_TWO_STROKES);
      await new Promise((r) => setTimeout(r, 50));
    });
    assert(warnings.some((w) => /trainer\.predict returned isDigit a string "no", expected true or false/.test(w)), `refused: ${warnings.join(' | ')}`);
    answer = { digit: 3, probabilities, isDigit: true, digitScore: 1.5 };
    const scoreWarnings = await captureWarnings(async () => {
      drawStrokes(part(pad, 'surface'), ONE_TWO_STROKES);
      await new Promise((r) => setTimeout(r, 50));
    });
    assert(scoreWarnings.some((w) => /digitScore 1\.5, expected a number in \[0, 1\]/.test(w)), `refused: ${scoreWarnings.join(' | ')}`);
  });
});

import { SEVEN, assert, captureWarnings, checkA11y, cleanup, close, drawStrokes, equal, fixture, inBothSchemes, nextEvent, part, parts, settle } from '../../test/widgets/helpers.js';
import type { DigitPad } from '../digit-pad/digit-pad.js';
import '../digit-pad/digit-pad.js';
import type { SoftmaxBars } from './softmax-bars.js';
import './softmax-bars.js';

const PROBS = [0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.62, 0.05, 0.05];

function values(bars: SoftmaxBars): string[] {
  return parts(bars, 'value').map((v) => v.textContent ?? '');
}

async function readyPad(pad: DigitPad): Promise<void> {
  await pad.updateComplete;
  while (pad.modelState === 'loading') await nextEvent(pad, 'digit-model-state');
}

describe('<softmax-bars>', () => {
  afterEach(cleanup);

  it('shows ten labelled bars with percentages, the most likely one highlighted', async () => {
    const bars = await fixture<SoftmaxBars>('<softmax-bars></softmax-bars>');
    bars.probabilities = PROBS;
    await settle(bars);
    const rows = parts(bars, 'row');
    equal(rows.length, 10, 'rows');
    equal(parts(bars, 'label').map((l) => l.textContent).join(''), '0123456789', 'labels');
    equal(values(bars)[7], '62.0%', 'percentage of 7');
    equal(values(bars)[0], '1.0%', 'percentage of 0');
    equal(parts(bars, 'top').length, 1, 'one highlighted row');
    equal(rows.indexOf(part(bars, 'top')), 7, 'the argmax is highlighted');
    equal(bars.digit, 7, 'digit');
    // The fill is scaled to the value, and glides there.
    const fill = parts(bars, 'fill')[7];
    close(parseFloat(fill.style.getPropertyValue('--_value')), PROBS[7], 1e-6, 'fill scale');
    assert(parseFloat(getComputedStyle(fill).transitionDuration) > 0, 'bars glide to new values');
  });

  it('exposes each bar as a meter with a value text', async () => {
    const bars = await fixture<SoftmaxBars>('<softmax-bars></softmax-bars>');
    bars.probabilities = PROBS;
    await settle(bars);
    const meter = parts(bars, 'row')[7];
    equal(meter.getAttribute('role'), 'meter', 'role');
    equal(meter.getAttribute('aria-label'), '7', 'name');
    equal(meter.getAttribute('aria-valuenow'), '62.0', 'value now');
    equal(meter.getAttribute('aria-valuemin'), '0', 'min');
    equal(meter.getAttribute('aria-valuemax'), '100', 'max');
    equal(meter.getAttribute('aria-valuetext'), '62.0%, most likely', 'value text');
    equal(parts(bars, 'row')[0].getAttribute('aria-valuetext'), '1.0%', 'value text of another');
    await checkA11y(bars);
  });

  it('binds to a pad with for="…", whichever is created first, and resets on clear', async () => {
    const host = await fixture<HTMLDivElement>('<div><softmax-bars for="pad-a"></softmax-bars><digit-pad id="pad-a"></digit-pad></div>');
    const bars = host.querySelector('softmax-bars')!;
    const pad = host.querySelector('digit-pad')!;
    await readyPad(pad);
    const read = nextEvent(pad, 'digit-prediction');
    drawStrokes(part(pad, 'surface'), SEVEN);
    await read;
    await settle(bars);
    equal(bars.digit, 7, 'bars show the pad reading');
    close(parseFloat(values(bars)[7]), pad.prediction!.probabilities[7] * 100, 0.051, 'percentage of 7');
    pad.clear();
    await settle(bars);
    equal(bars.digit, null, 'cleared with the pad');
    equal(values(bars)[7], '–', 'no value after clear');

    // A pad with another id is ignored; rebinding picks up the current reading.
    const other = await fixture<DigitPad>('<digit-pad id="pad-b"></digit-pad>');
    await readyPad(other);
    drawStrokes(part(other, 'surface'), SEVEN);
    await settle(other);
    await settle(bars);
    equal(bars.digit, null, 'a reading of another pad is ignored');
    bars.htmlFor = 'pad-b';
    await settle(bars);
    equal(bars.digit, 7, 'rebinding shows that pad’s current reading');
  });

  it('binds inside a shadow root too', async () => {
    const host = await fixture<HTMLDivElement>('<div></div>');
    const root = host.attachShadow({ mode: 'open' });
    root.innerHTML = '<digit-pad id="inner"></digit-pad><softmax-bars for="inner"></softmax-bars>';
    const pad = root.querySelector('digit-pad')!;
    const bars = root.querySelector('softmax-bars')!;
    await readyPad(pad);
    drawStrokes(part(pad, 'surface'), SEVEN);
    await settle(root);
    equal(bars.digit, 7, 'bars in the same shadow root follow the pad');
  });

  it('shows a visible message and warns, naming the property, for malformed probabilities', async () => {
    const bars = await fixture<SoftmaxBars>('<softmax-bars></softmax-bars>');
    const cases: [unknown, RegExp][] = [
      [PROBS.slice(0, 9), /expected 10 numbers, got an array of length 9/],
      [[...PROBS.slice(0, 9), NaN], /NaN at index 9/],
      [[...PROBS.slice(0, 9), 1.5], /1\.5 at index 9/],
      ['0.1,0.9', /got a string/],
    ];
    for (const [value, pattern] of cases) {
      const warnings = await captureWarnings(async () => {
        bars.probabilities = value as number[];
        await settle(bars);
      });
      const message = part(bars, 'message').textContent ?? '';
      assert(pattern.test(message), `message for ${String(value)}: ${message}`);
      assert(warnings.some((w) => w.includes('<softmax-bars> property "probabilities"') && pattern.test(w)), `warning for ${String(value)}: ${warnings.join(' | ')}`);
      equal(bars.digit, null, 'no digit from malformed input');
      equal(parts(bars, 'row').length, 10, 'the bars are still there');
    }
    bars.probabilities = PROBS;
    await settle(bars);
    equal(parts(bars, 'message').length, 0, 'message gone with valid input');
    await inBothSchemes(bars, 'softmax-bars-invalid', async () => {
      bars.probabilities = [0.5, 0.5];
      await settle(bars);
    });
  });

  it('passes axe-core and looks right in light and dark (screenshots)', async () => {
    const bars = await fixture<SoftmaxBars>('<softmax-bars></softmax-bars>', { width: 320 });
    bars.probabilities = PROBS;
    await inBothSchemes(bars, 'softmax-bars', () => checkA11y(bars));
    const pair = await fixture<HTMLDivElement>(
      '<div style="display: flex; gap: 24px; align-items: start"><digit-pad id="shot" preview></digit-pad><softmax-bars for="shot" style="width: 260px"></softmax-bars></div>',
    );
    const pad = pair.querySelector('digit-pad')!;
    await readyPad(pad);
    drawStrokes(part(pad, 'surface'), SEVEN);
    await inBothSchemes(pair, 'digit-pad-with-softmax-bars', () => checkA11y(pair));
  });
});

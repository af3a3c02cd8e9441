/**
 * Packaging: all four elements from one import, registration that survives a
 * second copy of the package on the page, and the CDN build working from a
 * plain <script type="module"> with no bundler (dist/ comes from `npm run
 * build`, which `npm test` runs first).
 */
import { assert, captureWarnings, cleanup, drawStrokes, equal, SEVEN } from '../test/widgets/helpers.js';
import { ConfusionMatrix, DigitPad, LossChart, SoftmaxBars } from './index.js';

const CDN = '/dist/cdn/digit-classifier-widgets.js';

async function cdnBuilt(): Promise<void> {
  const response = await fetch(CDN, { method: 'HEAD' });
  assert(response.ok, `${CDN} is missing: run \`npm run build\` first (npm test does)`);
}

/** Loads `html` into a fresh iframe (its own custom element registry) and waits for it. */
async function frame(html: string): Promise<Window> {
  const iframe = document.createElement('iframe');
  iframe.className = 'fixture';
  iframe.style.cssText = 'width: 700px; height: 420px; border: 0';
  const loaded = new Promise((resolve) => iframe.addEventListener('load', resolve, { once: true }));
  iframe.srcdoc = html;
  document.body.append(iframe);
  await loaded;
  return iframe.contentWindow!;
}

async function until(condition: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = performance.now() + ms;
  while (!condition()) {
    assert(performance.now() < end, `timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('digit-classifier/widgets', () => {
  afterEach(cleanup);

  it('defines all four elements from one import, with their classes', () => {
    equal(customElements.get('digit-pad'), DigitPad, 'digit-pad');
    equal(customElements.get('softmax-bars'), SoftmaxBars, 'softmax-bars');
    equal(customElements.get('confusion-matrix'), ConfusionMatrix, 'confusion-matrix');
    equal(customElements.get('loss-chart'), LossChart, 'loss-chart');
    assert(document.createElement('digit-pad') instanceof DigitPad, 'createElement gives the class');
  });

  it('survives being imported again, and a second copy of the package on the page', async () => {
    await import('./digit-pad/digit-pad.js?again' as string);
    await cdnBuilt();
    const warnings = await captureWarnings(() => import(/* @vite-ignore */ `${CDN}?second-copy`));
    equal(customElements.get('digit-pad'), DigitPad, 'the first definition stays');
    assert(warnings.some((w) => w.includes('<digit-pad> is already defined by another copy')), `a warning says so: ${warnings.join(' | ')}`);
  });

  it('works from the CDN build with two lines of HTML and no bundler', async () => {
    await cdnBuilt();
    const win = await frame(
      `<script type="module" src="${CDN}"></script>\n<digit-pad id="pad"></digit-pad> <softmax-bars for="pad"></softmax-bars>`,
    );
    await until(() => !!win.customElements.get('digit-pad') && !!win.customElements.get('softmax-bars'), 'the CDN build to define the elements');
    const pad = win.document.querySelector('digit-pad') as DigitPad;
    const bars = win.document.querySelector('softmax-bars') as SoftmaxBars;
    await until(() => pad.modelState === 'ready', 'the shipped model');
    // Pointer events from the frame's own realm, as a pen on that page would send.
    const surface = pad.shadowRoot!.querySelector('[part~="surface"]')!;
    const PointerEventOfFrame = (win as unknown as { PointerEvent: typeof PointerEvent }).PointerEvent;
    const original = globalThis.PointerEvent;
    globalThis.PointerEvent = PointerEventOfFrame;
    try {
      drawStrokes(surface, SEVEN);
    } finally {
      globalThis.PointerEvent = original;
    }
    await until(() => bars.digit === 7, 'the bars to show 7');
    equal(pad.prediction?.digit, 7, 'the pad reads 7');
  });
});

/**
 * Helpers of the `<digit-pad>` suites: a pad whose model has settled, the
 * page's next idle period, and how much ink a canvas holds.
 */
import type { DigitPad } from '../../widgets/digit-pad/digit-pad.js';
import { fixture, nextEvent } from './helpers.js';

/** A pad from `markup`, its model ready (or failed). */
export async function readyPad(markup = '<digit-pad></digit-pad>'): Promise<DigitPad> {
  const pad = await fixture<DigitPad>(markup);
  await modelSettled(pad);
  return pad;
}

/** Waits until the pad's model (after any property change) is ready or has failed. */
export async function modelSettled(pad: DigitPad): Promise<void> {
  await pad.updateComplete;
  while (pad.modelState === 'loading') await nextEvent(pad, 'digit-model-state');
}

/**
 * Resolves after the page's next idle period, as the pad's warm-up waits for one. WebKit has no
 * requestIdleCallback: there the pad promises a 200 ms timer instead, and this waits past that.
 */
export function pastIdle(): Promise<void> {
  if (typeof requestIdleCallback === 'function') return new Promise((resolve) => requestIdleCallback(() => setTimeout(resolve, 50), { timeout: 2500 }));
  console.log(`${navigator.userAgent}: no requestIdleCallback; checking the pad's fallback (its warm-up on a 200 ms timer)`);
  return new Promise((resolve) => setTimeout(resolve, 500));
}

/** The share of the canvas covered by ink (alpha), 0–1. */
export function inkCoverage(canvas: HTMLCanvasElement): number {
  const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
  let ink = 0;
  for (let i = 3; i < data.length; i += 4) ink += data[i] / 255;
  return ink / (canvas.width * canvas.height);
}

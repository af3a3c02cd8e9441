// <digit-pad> with input as people really draw: touch and pen (pressure),
// coalesced samples, a second finger, a cancelled pointer, in every engine.
// The events are synthesised in the page (new PointerEvent), which every
// engine can do; trusted touch from the automation layer is covered by the
// demo's end-to-end suite. Where an engine cannot build a part of an event
// (coalesced samples in PointerEventInit), the test says which and checks the
// fallback the pad promises (the event's own position) instead.
import { SEVEN, assert, cleanup, equal, fixture, nextEvent, part, recordEvents } from '../../test/widgets/helpers.js';
import type { WidgetEvent } from '../internal/events.js';
import type { DigitPad } from './digit-pad.js';
import './digit-pad.js';

async function readyPad(): Promise<{ pad: DigitPad; surface: HTMLCanvasElement; at: (x: number, y: number) => { clientX: number; clientY: number } }> {
  const pad = await fixture<DigitPad>('<digit-pad live-interval="0"></digit-pad>');
  await pad.updateComplete;
  while (pad.modelState === 'loading') await nextEvent(pad, 'digit-model-state');
  const surface = part<HTMLCanvasElement>(pad, 'surface');
  const rect = surface.getBoundingClientRect();
  return { pad, surface, at: (x, y) => ({ clientX: rect.left + x * rect.width, clientY: rect.top + y * rect.height }) };
}

/** Alpha of the pad's canvas around (x, y) in pad units (a 5×5 pixel patch). */
function inkAt(surface: HTMLCanvasElement, x: number, y: number): number {
  const px = Math.round(x * surface.width);
  const py = Math.round(y * surface.height);
  const data = surface.getContext('2d')!.getImageData(px - 2, py - 2, 5, 5).data;
  let ink = 0;
  for (let i = 3; i < data.length; i += 4) ink = Math.max(ink, data[i]);
  return ink;
}

const base = (pointerId: number, pointerType: string, isPrimary = true) => ({ pointerId, pointerType, isPrimary, bubbles: true, composed: true, cancelable: true });

/** A stroke of `points` (pad units) as `pointerType`, with `extra` fields on every event. */
function stroke(surface: Element, at: (x: number, y: number) => object, points: readonly (readonly [number, number])[], pointerType: string, extra: PointerEventInit = {}, end: 'pointerup' | 'pointercancel' = 'pointerup', pointerId = 21): void {
  const b = { ...base(pointerId, pointerType), ...extra };
  surface.dispatchEvent(new PointerEvent('pointerdown', { ...b, ...at(...points[0]), button: 0, buttons: 1 }));
  for (const p of points.slice(1)) surface.dispatchEvent(new PointerEvent('pointermove', { ...b, ...at(...p), button: -1, buttons: 1 }));
  const last = points[points.length - 1];
  surface.dispatchEvent(new PointerEvent(end, { ...b, ...at(...last), button: 0, buttons: 0 }));
}

const sevenPoints = (): [number, number][][] => SEVEN.map((s) => Array.from({ length: s.length / 2 }, (_, i) => [s[2 * i], s[2 * i + 1]] as [number, number]));

describe('<digit-pad> pointer input', () => {
  afterEach(cleanup);

  for (const pointerType of ['touch', 'pen'] as const) {
    it(`reads a 7 drawn with ${pointerType} (${pointerType === 'pen' ? 'pressure 0.6' : 'a finger 20 px wide'})`, async () => {
      const { pad, surface, at } = await readyPad();
      const rec = recordEvents<WidgetEvent<'digit-prediction'>>(pad, 'digit-prediction');
      const extra: PointerEventInit = pointerType === 'pen' ? { pressure: 0.6, tiltX: 20 } : { width: 20, height: 20, pressure: 0.5 };
      for (const [i, s] of sevenPoints().entries()) stroke(surface, at, s, pointerType, extra, 'pointerup', 30 + i);
      await pad.updateComplete;
      await new Promise((r) => setTimeout(r, 50));
      rec.stop();
      equal(pad.strokeCount, SEVEN.length, 'one stroke per stroke drawn');
      const final = rec.events.filter((e) => e.detail.final).pop();
      assert(final, 'a final reading');
      equal(final.detail.digit, 7, `the ${pointerType} 7 is read as 7`);
    });
  }

  it('a pen hovering (moves with no button) draws nothing', async () => {
    const { pad, surface, at } = await readyPad();
    for (let i = 0; i < 10; i++) surface.dispatchEvent(new PointerEvent('pointermove', { ...base(40, 'pen'), ...at(0.2 + i * 0.05, 0.5), buttons: 0, pressure: 0 }));
    equal(pad.strokeCount, 0, 'no stroke from hovering');
    equal(inkAt(surface, 0.45, 0.5), 0, 'no ink where the pen hovered');
  });

  it('uses the coalesced samples of a move (or, where the engine cannot build them, the move itself)', async () => {
    const { pad, surface, at } = await readyPad();
    // A V whose bottom vertex (0.5, 0.8) exists only among the coalesced samples of the last move. The pad
    // draws smooth curves through the points' midpoints, which round the vertex off to about y = 0.75.
    const probe = new PointerEvent('pointermove', { coalescedEvents: [new PointerEvent('pointermove', { clientX: 1 })] } as PointerEventInit);
    const canCoalesce = typeof probe.getCoalescedEvents === 'function' && probe.getCoalescedEvents().length === 1;
    const b = base(50, 'touch');
    surface.dispatchEvent(new PointerEvent('pointerdown', { ...b, ...at(0.2, 0.2), button: 0, buttons: 1 }));
    const samples = [[0.3, 0.4], [0.4, 0.6], [0.5, 0.8], [0.6, 0.6], [0.7, 0.4], [0.8, 0.2]].map(([x, y]) => new PointerEvent('pointermove', { ...b, ...at(x, y), buttons: 1 }));
    surface.dispatchEvent(new PointerEvent('pointermove', { ...b, ...at(0.8, 0.2), buttons: 1, coalescedEvents: samples } as PointerEventInit));
    surface.dispatchEvent(new PointerEvent('pointerup', { ...b, ...at(0.8, 0.2), button: 0, buttons: 0 }));
    equal(pad.strokeCount, 1, 'one stroke');
    if (canCoalesce) {
      assert(inkAt(surface, 0.5, 0.74) > 0, `ink at the vertex that only a coalesced sample carried (ink ${inkAt(surface, 0.5, 0.74)} there, ${inkAt(surface, 0.8, 0.2)} at the end, ${inkAt(surface, 0.35, 0.5)} on the way down; ${surface.width}×${surface.height} canvas)`);
    } else {
      console.log(`${navigator.userAgent}: PointerEventInit.coalescedEvents is not supported, so no coalesced samples can be synthesised here; checking the fallback (the move's own position)`);
      equal(inkAt(surface, 0.5, 0.74), 0, 'without samples, the straight line from (0.2, 0.2) to (0.8, 0.2) leaves the vertex blank');
      assert(inkAt(surface, 0.5, 0.2) > 0, "the move's own position is drawn");
    }
  });

  it('ignores a second finger while the first draws, and its lifting does not end the stroke', async () => {
    const { pad, surface, at } = await readyPad();
    const first = base(61, 'touch');
    const second = base(62, 'touch', false);
    surface.dispatchEvent(new PointerEvent('pointerdown', { ...first, ...at(0.2, 0.3), button: 0, buttons: 1 }));
    surface.dispatchEvent(new PointerEvent('pointerdown', { ...second, ...at(0.5, 0.9), button: 0, buttons: 1 }));
    surface.dispatchEvent(new PointerEvent('pointermove', { ...second, ...at(0.9, 0.9), buttons: 1 }));
    surface.dispatchEvent(new PointerEvent('pointerup', { ...second, ...at(0.9, 0.9), button: 0, buttons: 0 }));
    surface.dispatchEvent(new PointerEvent('pointermove', { ...first, ...at(0.8, 0.3), buttons: 1 }));
    equal(pad.strokeCount, 1, 'one stroke: the second finger started none');
    equal(inkAt(surface, 0.7, 0.9), 0, 'no ink along the second finger');
    assert(inkAt(surface, 0.6, 0.3) > 0, "the first finger's move after the second lifted still draws");
    surface.dispatchEvent(new PointerEvent('pointerup', { ...first, ...at(0.8, 0.3), button: 0, buttons: 0 }));
    equal(pad.strokeCount, 1, 'still one stroke after both lift');
  });

  it('a cancelled pointer (the browser took the touch) ends the stroke, and the next touch starts a new one', async () => {
    const { pad, surface, at } = await readyPad();
    stroke(surface, at, [[0.3, 0.2], [0.4, 0.5]], 'touch', {}, 'pointercancel', 71);
    equal(pad.strokeCount, 1, 'the cancelled stroke is kept as drawn');
    // Moves of the cancelled pointer after the cancel draw nothing.
    surface.dispatchEvent(new PointerEvent('pointermove', { ...base(71, 'touch'), ...at(0.9, 0.9), buttons: 1 }));
    equal(inkAt(surface, 0.7, 0.75), 0, 'no ink after the cancel');
    stroke(surface, at, [[0.6, 0.2], [0.6, 0.8]], 'touch', {}, 'pointerup', 72);
    equal(pad.strokeCount, 2, 'a new touch starts a new stroke');
  });
});

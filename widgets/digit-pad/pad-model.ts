/**
 * The pad's model: resolved from its `trainer`, `model` or `src` (or the
 * shipped CNN) whenever one of them changes, a load overtaken by a newer one
 * ignored, the outcome reported as `model-state` and a `digit-model-state`
 * event; and, once a model is ready on an untouched pad, a warm-up while the
 * page is idle.
 */
import type { PropertyValues } from 'lit';
import { emit } from '../internal/events.js';
import type { PadInk } from './pad-ink.js';
import { resolvePredictor, type PadPredictor, type PredictorInputs } from './pad-predictor.js';
import type { PadSurface } from './pad-surface.js';
import type { Stroke } from './stroke-path.js';

/** A stroke read once, unseen, to warm the reading path up (a "7"). */
const WARM_UP_STROKE: Stroke = [0.3, 0.25, 0.7, 0.25, 0.45, 0.8];

/** What the model loading asks of its element. */
export interface PadModelHost {
  readonly element: HTMLElement;
  /** The element's `trainer`, `model` and `src`. */
  inputs(): PredictorInputs;
  /** Where the model is, and the problem to show ('' for none). */
  state(state: 'loading' | 'ready' | 'error', problem: string): void;
  /** The model is ready (the pad may hold strokes drawn while it loaded). */
  ready(predictor: PadPredictor): void;
}

export class PadModel {
  /** The model to read with; null while loading or after a failure. */
  predictor: PadPredictor | null = null;
  private token = 0;
  private loadedOnce = false;

  constructor(private readonly host: PadModelHost) {}

  /** Loads the model the first time, and again when `trainer`, `model` or `src` changed. */
  update(changed: PropertyValues): void {
    if (!this.loadedOnce || changed.has('model') || changed.has('src') || changed.has('trainer')) {
      this.loadedOnce = true;
      void this.load();
    }
  }

  private async load(): Promise<void> {
    const token = ++this.token;
    this.predictor = null;
    this.host.state('loading', '');
    const inputs = this.host.inputs();
    const property = inputs.trainer != null ? 'trainer' : inputs.model != null ? 'model' : inputs.src ? 'src' : null;
    try {
      const predictor = await resolvePredictor(inputs);
      if (token !== this.token) return;
      this.predictor = predictor;
      this.host.state('ready', '');
      emit(this.host.element, 'digit-model-state', { state: 'ready', source: predictor.source });
      this.host.ready(predictor);
    } catch (error) {
      if (token !== this.token) return;
      const why = error instanceof Error ? error.message : String(error);
      this.host.state('error', `Model unavailable: ${why}. You can still draw.`);
      console.warn(`<digit-pad> ${property ? `property "${property}"` : 'pretrained model'}: the model failed to load: ${why}`);
      emit(this.host.element, 'digit-model-state', { state: 'error', source: property ?? 'pretrained', message: why, error });
    }
  }
}

/**
 * A few throwaway readings (ink, `toMnistPixels`, the model) while the page is
 * idle, so that the visitor's first digit does not pay for compiling that
 * path: over 8 fresh page loads the first digit was read a median 57 ms
 * after its stroke ended without this and 15 ms with it, against 5 ms for
 * later digits (`npm run bench:widgets`). No event, no state; never for a
 * trainer. Skipped when `untouched()` is false by then (a stroke, a new model).
 */
export function warmUpWhenIdle(predictor: PadPredictor, ink: PadInk, surface: PadSurface, penSize: () => number, untouched: () => boolean): void {
  const run = () => {
    if (!untouched()) return;
    // Three rounds: V8 optimises a function only after it has run a few times.
    for (let i = 0; i < 3; i++) {
      const pixels = ink.read([WARM_UP_STROKE], penSize());
      if (pixels) void Promise.resolve(predictor.predict(pixels)).catch(() => undefined);
    }
    // The visible canvas too, painted and wiped in the same task: no frame ever shows it.
    surface.paintAndWipe(WARM_UP_STROKE);
  };
  if (typeof requestIdleCallback === 'function') requestIdleCallback(run, { timeout: 2000 });
  else setTimeout(run, 200);
}

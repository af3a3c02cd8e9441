import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { ModelWeights } from '../../src/models/spec.js';
import { emit, type DigitClearDetail } from '../internal/events.js';
import { digitPadStyles } from './digit-pad.styles.js';
import { PadInk, paintPreview } from './pad-ink.js';
import type { Prediction } from '../../src/inference/prediction.js';
import { resolvePredictor, type DigitPredictor, type PadPredictor } from './pad-predictor.js';
import { paintStroke, paintStrokeTail, type Stroke } from './stroke-path.js';

/** Pointer samples closer than this (pad units) to the previous one are dropped. */
const MIN_STEP = 0.002;
/** A stroke read once, unseen, to warm the reading path up (a \"7\"). */
const WARM_UP_STROKE: Stroke = [0.3, 0.25, 0.7, 0.25, 0.45, 0.8];

/** The stroke being drawn: its pointer, the surface's box when it began, and the ink colour. */
interface ActiveStroke {
  readonly pointerId: number;
  readonly stroke: Stroke;
  readonly rect: DOMRect;
  readonly colour: string;
}

/** The pad's latest reading. */
export interface DigitPadPrediction extends Prediction {
  /** What the model saw: 784 values in [0, 1]. */
  readonly pixels: Float32Array;
}

/**
 * A drawing pad that reads a handwritten digit: draw with mouse, touch or pen,
 * and after each stroke (and live while drawing) the drawing is converted the
 * way MNIST was made and classified by the shipped pretrained CNN, or by the
 * `model`, `src` or `trainer` you give it.
 *
 * @summary Draw a digit; the pad says which it is.
 *
 * A drawing that does not look like a digit (a letter, a smiley, a scribble:
 * the model's `isDigit` is false) claims no digit: the status says "That
 * doesn't look like a digit", screen readers hear it, and the host gets the
 * `not-digit` attribute to style on.
 *
 * @fires digit-prediction - A reading, the core's `Prediction` and more: `{ digit, probabilities, isDigit, digitScore, pixels, final, source }`; `final` is false for live updates while drawing; `isDigit` false means the drawing does not look like a digit.
 * @fires digit-clear - The pad became empty: `{ reason }` (`button`, `keyboard`, `undo`, `api`).
 * @fires digit-undo - The last stroke was removed: `{ strokes }` left.
 * @fires digit-model-state - The model finished loading (`{ state: 'ready', source }`) or failed (`{ state: 'error', message }`).
 *
 * @csspart base - The wrapper around everything.
 * @csspart frame - The box around the drawing surface.
 * @csspart surface - The canvas you draw on (focusable; Escape or Delete clears, Ctrl/Cmd+Z undoes).
 * @csspart placeholder - The "Draw a digit" hint over an empty pad.
 * @csspart toolbar - The row of buttons and the preview.
 * @csspart button - Both buttons.
 * @csspart undo-button - The Undo button.
 * @csspart clear-button - The Clear button.
 * @csspart preview - The 28×28 image the model sees (with the `preview` attribute).
 * @csspart status - The live region: the reading ("Read as 7 (98% sure)." or "That doesn't look like a digit."), or why the model is unavailable. Style the "not a digit" state with `digit-pad[not-digit]::part(status)`.
 *
 * @cssproperty [--digit-pad-size=280px] - Width of the pad (the surface is square).
 * @cssproperty [--digit-pad-background=#ffffff] - Surface colour (dark scheme: #161b22).
 * @cssproperty [--digit-pad-ink=#111827] - Pen colour (dark scheme: #f5f7fa). The model reads the strokes, not the colours.
 * @cssproperty [--digit-pad-border-color=#c4c9d2] - Borders of the surface, buttons and preview.
 * @cssproperty [--digit-pad-radius=12px] - Corner radius of the surface.
 * @cssproperty [--digit-pad-text-color=#1f2937] - Text colour.
 * @cssproperty [--digit-pad-muted-color=#5b6472] - Placeholder and status text.
 * @cssproperty [--digit-pad-accent=#2563eb] - Focus ring and hovered button border.
 * @cssproperty [--digit-pad-error-color=#b42318] - Status text when the model failed.
 * @cssproperty [--digit-pad-not-digit-color=#b45309] - Border of the surface and status text while the drawing does not look like a digit (dark scheme: #fbbf24).
 * @cssproperty [--digit-pad-button-background=#f1f3f6] - Button background.
 * @cssproperty [--digit-pad-preview-size=56px] - Size of the preview.
 * @cssproperty [--digit-pad-font=system-ui] - Font family.
 */
export class DigitPad extends LitElement {
  static override styles = digitPadStyles;

  /** Accessible name of the drawing surface. */
  @property({ reflect: true }) accessor label = 'Digit drawing pad';

  /** Pen width as a fraction of the pad's side (0.08 ≈ MNIST's stroke width for a digit drawn across most of the pad). */
  @property({ type: Number, reflect: true, attribute: 'pen-size' }) accessor penSize = 0.08;

  /** Milliseconds between live readings while drawing; 0 reads only when a stroke ends. */
  @property({ type: Number, reflect: true, attribute: 'live-interval' }) accessor liveInterval = 100;

  /** Shows the 28×28 image the model sees. */
  @property({ type: Boolean, reflect: true }) accessor preview = false;

  /** URL of a compact model file (`digit-classifier export --out model.dcm`) to use instead of the shipped CNN. */
  @property({ reflect: true }) accessor src = '';

  /** Model weights (or a promise of them) to predict with instead of the shipped CNN; run without tfjs. */
  @property({ attribute: false }) accessor model: ModelWeights | PromiseLike<ModelWeights> | null = null;

  /** Anything with `predict(pixels)` (784 floats in [0, 1]) returning (a promise of) a `Prediction` `{ digit, probabilities, isDigit, digitScore }`: the worker's `TrainerClient`, the core's `Trainer` or an `Inference`; wins over `model` and `src`. */
  @property({ attribute: false }) accessor trainer: DigitPredictor | null = null;

  /** Set while the latest reading says the drawing does not look like a digit (read-only: reflects `prediction.isDigit` false; cleared with the pad). */
  @property({ type: Boolean, reflect: true, attribute: 'not-digit' }) accessor notDigit = false;

  /** `loading`, `ready` or `error` (read-only: reflects where the model is). */
  @property({ reflect: true, attribute: 'model-state' }) accessor modelState: 'loading' | 'ready' | 'error' = 'loading';

  @state() private accessor drawn = 0;
  @state() private accessor reading: DigitPadPrediction | null = null;
  @state() private accessor message = '';
  @state() private accessor problem = '';

  @query('[part="surface"]') private accessor surface!: HTMLCanvasElement;
  @query('[part="preview"]') private accessor previewCanvas!: HTMLCanvasElement | null;

  private strokes: Stroke[] = [];
  private active: ActiveStroke | null = null;
  private predictor: PadPredictor | null = null;
  private loadToken = 0;
  private loadedOnce = false;
  private requestSeq = 0;
  private readQueued = false;
  private inFlight = false;
  /** A stroke ended while an asynchronous reading was in flight: read once more when it settles (latest input wins). */
  private rereadPending = false;
  private lastLive = 0;
  private readonly ink = new PadInk();
  private resizeObserver: ResizeObserver | null = null;
  private readonly darkScheme = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null;

  /** The latest reading (`null` while the pad is empty or nothing was read yet). */
  get prediction(): DigitPadPrediction | null {
    return this.reading;
  }

  /** How many strokes are on the pad. */
  get strokeCount(): number {
    return this.strokes.length;
  }

  /** Why the model is unavailable (empty when it is ready or loading). */
  get modelError(): string {
    return this.modelState === 'error' ? this.problem : '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.darkScheme?.addEventListener('change', this.repaint);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.darkScheme?.removeEventListener('change', this.repaint);
    if (this.repaintFrame && typeof cancelAnimationFrame === 'function') cancelAnimationFrame(this.repaintFrame);
    this.repaintFrame = 0;
    this.resizeObserver?.disconnect();
    this.resizeObserver = null;
  }

  /** Removes every stroke and the reading. */
  clear(): void {
    this.clearAs('api');
  }

  /** Removes the last stroke and reads what is left. */
  undo(): void {
    if (this.strokes.length === 0) return;
    this.strokes.pop();
    this.afterStrokesChanged();
    emit(this, 'digit-undo', { strokes: this.strokes.length });
    if (this.strokes.length === 0) this.emptied('undo');
    else this.readSoon();
  }

  /**
   * Reads the drawing now and resolves with the reading (null when the pad is
   * empty or the model is not ready). Fires `digit-prediction` like a stroke end.
   */
  async predict(): Promise<DigitPadPrediction | null> {
    return this.read(true);
  }

  protected override render() {
    const empty = this.drawn === 0;
    const error = this.modelState === 'error' || this.problem !== '';
    return html`
      <div part="base">
        <div part="frame">
          <canvas
            part="surface"
            tabindex="0"
            role="img"
            aria-roledescription="drawing pad"
            aria-label=${this.label}
            aria-describedby="keys"
            @pointerdown=${this.onPointerDown}
            @pointermove=${this.onPointerMove}
            @pointerup=${this.onPointerUp}
            @pointercancel=${this.onPointerUp}
            @lostpointercapture=${this.onPointerUp}
            @keydown=${this.onKeyDown}
          ></canvas>
          ${empty ? html`<span part="placeholder" aria-hidden="true">Draw a digit</span>` : nothing}
        </div>
        <span id="keys" class="visually-hidden">Draw with mouse, touch or pen. Escape or Delete clears, Control+Z undoes.</span>
        <div part="toolbar">
          <button part="button undo-button" type="button" ?disabled=${empty} @click=${this.undo}>Undo</button>
          <button part="button clear-button" type="button" ?disabled=${empty} @click=${() => this.clearAs('button')}>Clear</button>
          ${this.preview
            ? html`<canvas part="preview" width="28" height="28" role="img" aria-label="What the model sees: the drawing as 28 by 28 pixels"></canvas>`
            : nothing}
        </div>
        <p part="status" role="status" aria-live="polite" class=${error ? 'error' : ''}>${this.statusText()}</p>
      </div>
    `;
  }

  protected override firstUpdated(): void {
    this.resizeObserver = new ResizeObserver(() => this.fitCanvas());
    this.resizeObserver.observe(this.surface);
    this.fitCanvas();
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (!this.loadedOnce || changed.has('model') || changed.has('src') || changed.has('trainer')) {
      this.loadedOnce = true;
      void this.loadModel();
    }
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('penSize')) this.repaint();
    if (changed.has('reading') || changed.has('preview')) this.paintPreview();
  }

  private statusText(): string {
    if (this.problem) return this.problem;
    if (this.modelState === 'loading') return 'Loading the model…';
    return this.message;
  }

  // 1. The model: resolved from trainer, model, src or the shipped CNN.

  private async loadModel(): Promise<void> {
    const token = ++this.loadToken;
    this.predictor = null;
    this.modelState = 'loading';
    this.problem = '';
    const property = this.trainer != null ? 'trainer' : this.model != null ? 'model' : this.src ? 'src' : null;
    try {
      const predictor = await resolvePredictor({ trainer: this.trainer, model: this.model, src: this.src });
      if (token !== this.loadToken) return;
      this.predictor = predictor;
      this.modelState = 'ready';
      emit(this, 'digit-model-state', { state: 'ready', source: predictor.source });
      if (this.strokes.length > 0) void this.read(true);
      else if (predictor.source !== 'trainer') this.warmUpWhenIdle(predictor, token);
    } catch (error) {
      if (token !== this.loadToken) return;
      const why = error instanceof Error ? error.message : String(error);
      this.modelState = 'error';
      this.problem = `Model unavailable: ${why}. You can still draw.`;
      console.warn(`<digit-pad> ${property ? `property "${property}"` : 'pretrained model'}: the model failed to load: ${why}`);
      emit(this, 'digit-model-state', { state: 'error', source: property ?? 'pretrained', message: why, error });
    }
  }

  /**
   * A few throwaway readings (ink, `toMnistPixels`, the model) while the page is
   * idle, so that the visitor's first digit does not pay for compiling that
   * path: over 8 fresh page loads the first digit was read a median 57 ms
   * after its stroke ended without this and 15 ms with it, against 5 ms for
   * later digits (`npm run bench:widgets`). No event, no state; a trainer is
   * never called for it.
   */
  private warmUpWhenIdle(predictor: PadPredictor, token: number): void {
    const run = () => {
      if (token !== this.loadToken || this.predictor !== predictor || this.strokes.length > 0 || this.active) return;
      // Three rounds: V8 optimises a function only after it has run a few times.
      for (let i = 0; i < 3; i++) {
        const pixels = this.ink.read([WARM_UP_STROKE], this.penSize);
        if (pixels) void Promise.resolve(predictor.predict(pixels)).catch(() => undefined);
      }
      // The visible canvas too, painted and wiped in the same task: no frame ever shows it.
      const ctx = this.surface?.getContext('2d');
      if (ctx) {
        ctx.strokeStyle = ctx.fillStyle = this.inkColour();
        paintStroke(ctx, WARM_UP_STROKE, { side: this.surface.width, penSize: this.penSize });
        this.repaint();
      }
    };
    if (typeof requestIdleCallback === 'function') requestIdleCallback(run, { timeout: 2000 });
    else setTimeout(run, 200);
  }

  // 2. Drawing: Pointer Events, one pointer at a time, points kept in pad units.

  private onPointerDown = (event: PointerEvent): void => {
    if (this.active || (event.pointerType === 'mouse' && event.button !== 0)) return;
    event.preventDefault();
    this.surface.focus({ preventScroll: true });
    try {
      this.surface.setPointerCapture(event.pointerId);
    } catch {
      // Synthetic pointers (tests, replays) cannot be captured; drawing works without.
    }
    const rect = this.surface.getBoundingClientRect();
    const stroke: Stroke = [];
    this.active = { pointerId: event.pointerId, stroke, rect, colour: this.inkColour() };
    this.strokes.push(stroke);
    this.addPoint(event, this.active);
    this.drawn = this.strokes.length;
    this.lastLive = performance.now();
  };

  private onPointerMove = (event: PointerEvent): void => {
    const active = this.active;
    if (!active || event.pointerId !== active.pointerId) return;
    const samples = typeof event.getCoalescedEvents === 'function' ? event.getCoalescedEvents() : [];
    for (const sample of samples.length ? samples : [event]) this.addPoint(sample, active);
    const now = performance.now();
    if (this.liveInterval > 0 && now - this.lastLive >= this.liveInterval) {
      this.lastLive = now;
      void this.read(false);
    }
  };

  private onPointerUp = (event: PointerEvent): void => {
    const active = this.active;
    if (!active || event.pointerId !== active.pointerId) return;
    if (event.type === 'pointerup') this.addPoint(event, active);
    this.active = null;
    // The stroke's tail is on screen already; its smooth path replaces it in the next frame, once for
    // however many strokes end before then (a burst of strokes must not repaint every stroke each time).
    this.repaintSoon();
    this.readSoon();
  };

  private onKeyDown = (event: KeyboardEvent): void => {
    if (event.key === 'Escape' || event.key === 'Delete' || event.key === 'Backspace') {
      if (this.strokes.length === 0) return;
      event.preventDefault();
      this.clearAs('keyboard');
    } else if ((event.ctrlKey || event.metaKey) && !event.shiftKey && event.key.toLowerCase() === 'z') {
      event.preventDefault();
      this.undo();
    }
  };

  private addPoint(event: PointerEvent, active: ActiveStroke): void {
    const { rect, stroke } = active;
    const x = clamp01((event.clientX - rect.left) / rect.width);
    const y = clamp01((event.clientY - rect.top) / rect.height);
    const n = stroke.length;
    if (n >= 2 && Math.abs(x - stroke[n - 2]) < MIN_STEP && Math.abs(y - stroke[n - 1]) < MIN_STEP) return;
    stroke.push(x, y);
    const ctx = this.surface.getContext('2d');
    if (ctx) {
      ctx.strokeStyle = ctx.fillStyle = active.colour;
      paintStrokeTail(ctx, stroke, { side: this.surface.width, penSize: this.penSize });
    }
  }

  private clearAs(reason: DigitClearDetail['reason']): void {
    if (this.strokes.length === 0 && !this.active) return;
    this.strokes = [];
    this.active = null;
    this.afterStrokesChanged();
    this.emptied(reason);
  }

  private afterStrokesChanged(): void {
    this.requestSeq++; // readings still in flight are now stale
    this.drawn = this.strokes.length;
    this.repaint();
  }

  private emptied(reason: DigitClearDetail['reason']): void {
    this.reading = null;
    this.notDigit = false;
    this.message = 'Cleared.';
    emit(this, 'digit-clear', { reason });
  }

  // 3. Reading: strokes → off-screen ink → toMnistPixels → the predictor.

  /**
   * A final reading in a microtask: right after the handler that ended the
   * stroke (so nothing waits for a frame), and once for strokes ended together
   * (a replayed drawing), not once per stroke.
   */
  private readSoon(): void {
    if (this.readQueued) return;
    this.readQueued = true;
    queueMicrotask(() => {
      this.readQueued = false;
      // A slow predictor: do not queue one reading per stroke; read the latest drawing once the current one settles.
      if (this.inFlight) this.rereadPending = true;
      else void this.read(true);
    });
  }

  /** Reads the drawing; stale answers (the drawing changed meanwhile) are dropped. */
  private async read(final: boolean): Promise<DigitPadPrediction | null> {
    const predictor = this.predictor;
    if (!predictor || this.strokes.length === 0) return null;
    if (!final && this.inFlight) return null; // a slow trainer: skip live readings, never final ones
    const pixels = this.ink.read(this.strokes, this.penSize);
    if (!pixels) return null;
    const seq = ++this.requestSeq;
    try {
      let result = predictor.predict(pixels);
      if (result instanceof Promise) {
        this.inFlight = true;
        try {
          result = await result;
        } finally {
          this.inFlight = false;
          if (this.rereadPending) {
            this.rereadPending = false;
            this.readSoon();
          }
        }
      }
      if (seq !== this.requestSeq || this.predictor !== predictor) return null;
      return this.deliver({ ...(result as Prediction), pixels }, final, predictor);
    } catch (error) {
      if (seq !== this.requestSeq) return null;
      const why = error instanceof Error ? error.message : String(error);
      this.problem = `Could not read the digit: ${why}`;
      console.warn(`<digit-pad> ${predictor.source === 'trainer' ? 'property "trainer"' : 'model'}: prediction failed: ${why}`);
      return null;
    }
  }

  private deliver(reading: DigitPadPrediction, final: boolean, predictor: PadPredictor): DigitPadPrediction {
    this.reading = reading;
    if (this.problem && this.modelState === 'ready') this.problem = '';
    // The state follows final readings only: half a digit, mid-stroke, often looks like none.
    if (final) {
      this.notDigit = !reading.isDigit;
      const percent = Math.round(reading.probabilities[reading.digit] * 100);
      this.message = reading.isDigit ? `Read as ${reading.digit} (${percent}% sure).` : "That doesn't look like a digit.";
    }
    emit(this, 'digit-prediction', {
      digit: reading.digit,
      probabilities: reading.probabilities.slice(),
      isDigit: reading.isDigit,
      digitScore: reading.digitScore,
      pixels: reading.pixels,
      final,
      source: predictor.source,
    });
    return reading;
  }

  // 4. Painting the visible surface and the preview.

  private fitCanvas(): void {
    const canvas = this.surface;
    const side = Math.max(1, Math.round(canvas.clientWidth * (globalThis.devicePixelRatio || 1)));
    if (canvas.width !== side || canvas.height !== side) {
      canvas.width = side;
      canvas.height = side;
    }
    this.repaint();
  }

  /** A pending next-frame repaint (see {@link repaintSoon}); 0 when none. */
  private repaintFrame = 0;

  private repaintSoon(): void {
    if (this.repaintFrame) return;
    const run = () => {
      this.repaintFrame = 0;
      this.repaint();
    };
    this.repaintFrame = typeof requestAnimationFrame === 'function' ? requestAnimationFrame(run) : (setTimeout(run, 16) as unknown as number);
  }

  private repaint = (): void => {
    const canvas = this.surface;
    const ctx = canvas?.getContext('2d');
    if (!ctx) return;
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.strokeStyle = ctx.fillStyle = this.inkColour();
    for (const stroke of this.strokes) paintStroke(ctx, stroke, { side: canvas.width, penSize: this.penSize });
  };

  private paintPreview(): void {
    if (this.previewCanvas) paintPreview(this.previewCanvas, this.reading?.pixels ?? null);
  }

  private inkColour(): string {
    return getComputedStyle(this).getPropertyValue('--_ink').trim() || '#111827';
  }
}

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

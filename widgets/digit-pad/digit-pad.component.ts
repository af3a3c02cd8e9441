import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { ModelWeights } from '../../src/models/spec.js';
import { emit, type DigitClearDetail } from '../internal/events.js';
import { digitPadStyles } from './digit-pad.styles.js';
import { PadInk, paintPreview } from './pad-ink.js';
import type { Prediction } from '../../src/inference/prediction.js';
import { PadModel, warmUpWhenIdle } from './pad-model.js';
import type { DigitPredictor, PadPredictor } from './pad-predictor.js';
import { PadReadQueue } from './pad-read-queue.js';
import { PadPointer, padKeyHandler } from './pad-input.js';
import { PadSurface } from './pad-surface.js';
import type { Stroke } from './stroke-path.js';

/** The pad's latest reading. */
export interface DigitPadPrediction extends Prediction {
  /** What the model saw: 28×28 = 784 values in [0, 1], row-major, ink 1. */
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
  private readonly ink = new PadInk();
  private resizeObserver: ResizeObserver | null = null;
  private readonly surfaceView = new PadSurface({ element: this, canvas: () => this.surface ?? undefined, strokes: () => this.strokes, penSize: () => this.penSize });
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
    this.darkScheme?.addEventListener('change', this.surfaceView.repaint);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.darkScheme?.removeEventListener('change', this.surfaceView.repaint);
    this.surfaceView.cancel();
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
    else this.reads.soon();
  }

  /**
   * Reads the drawing now and resolves with the reading (null when the pad is
   * empty or the model is not ready). Fires `digit-prediction` like a stroke end.
   */
  async predict(): Promise<DigitPadPrediction | null> {
    return this.reads.read(true);
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
            @pointerdown=${this.pen.down}
            @pointermove=${this.pen.move}
            @pointerup=${this.pen.up}
            @pointercancel=${this.pen.up}
            @lostpointercapture=${this.pen.up}
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
    this.resizeObserver = new ResizeObserver(() => this.surfaceView.fit());
    this.resizeObserver.observe(this.surface);
    this.surfaceView.fit();
  }

  protected override willUpdate(changed: PropertyValues): void {
    this.models.update(changed);
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('penSize')) this.surfaceView.repaint();
    if ((changed.has('reading') || changed.has('preview')) && this.previewCanvas) paintPreview(this.previewCanvas, this.reading?.pixels ?? null);
  }

  private statusText(): string {
    if (this.problem) return this.problem;
    if (this.modelState === 'loading') return 'Loading the model…';
    return this.message;
  }

  // 1. The model: resolved from trainer, model, src or the shipped CNN (pad-model.ts).

  private readonly models = new PadModel({
    element: this,
    inputs: () => ({ trainer: this.trainer, model: this.model, src: this.src }),
    state: (state, problem) => {
      this.modelState = state;
      this.problem = problem;
    },
    ready: (predictor) => {
      if (this.strokes.length > 0) void this.reads.read(true);
      else if (predictor.source !== 'trainer') {
        warmUpWhenIdle(predictor, this.ink, this.surfaceView, () => this.penSize, () => this.models.predictor === predictor && this.strokes.length === 0 && !this.pen.drawing);
      }
    },
  });

  // 2. Drawing: Pointer Events and keys (pad-input.ts); painting the visible surface (pad-surface.ts).

  private readonly pen = new PadPointer({
    canvas: () => this.surface,
    surface: this.surfaceView,
    strokes: () => this.strokes,
    liveInterval: () => this.liveInterval,
    began: () => (this.drawn = this.strokes.length),
    live: () => void this.reads.read(false),
    ended: () => {
      // The stroke's tail is on screen already; its smooth path replaces it in the next frame, once for
      // however many strokes end before then (a burst of strokes must not repaint every stroke each time).
      this.surfaceView.repaintSoon();
      this.reads.soon();
    },
  });

  private onKeyDown = padKeyHandler({ empty: () => this.strokes.length === 0, clear: () => this.clearAs('keyboard'), undo: () => this.undo() });

  private clearAs(reason: DigitClearDetail['reason']): void {
    if (this.strokes.length === 0 && !this.pen.drawing) return;
    this.strokes = [];
    this.pen.cancel();
    this.afterStrokesChanged();
    this.emptied(reason);
  }

  private afterStrokesChanged(): void {
    this.reads.invalidate(); // readings still in flight are now stale
    this.drawn = this.strokes.length;
    this.surfaceView.repaint();
  }

  private emptied(reason: DigitClearDetail['reason']): void {
    this.reading = null;
    this.notDigit = false;
    this.message = 'Cleared.';
    emit(this, 'digit-clear', { reason });
  }

  // 3. Reading: strokes → off-screen ink → toMnistPixels → the predictor (when: pad-read-queue.ts).

  private readonly reads = new PadReadQueue<DigitPadPrediction>({
    predictor: () => this.models.predictor,
    pixels: () => (this.strokes.length === 0 ? null : this.ink.read(this.strokes, this.penSize)),
    deliver: (prediction, pixels, final, predictor) => this.deliver({ ...prediction, pixels }, final, predictor),
    fail: (error, predictor) => {
      const why = error instanceof Error ? error.message : String(error);
      this.problem = `Could not read the digit: ${why}`;
      console.warn(`<digit-pad> ${predictor.source === 'trainer' ? 'property "trainer"' : 'model'}: prediction failed: ${why}`);
    },
  });

  private deliver(reading: DigitPadPrediction, final: boolean, predictor: PadPredictor): DigitPadPrediction {
    this.reading = reading;
    if (this.problem && this.modelState === 'ready') this.problem = '';
    // The state follows final readings only: half a digit, mid-stroke, often looks like none.
    if (final) {
      this.notDigit = !reading.isDigit;
      const percent = Math.round(reading.probabilities[reading.digit] * 100);
      this.message = reading.isDigit ? `Read as ${reading.digit} (${percent}% sure).` : "That doesn't look like a digit.";
    }
    const { digit, isDigit, digitScore, pixels } = reading;
    emit(this, 'digit-prediction', { digit, probabilities: reading.probabilities.slice(), isDigit, digitScore, pixels, final, source: predictor.source });
    return reading;
  }
}

import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { checkNumbers, warnProperty } from '../internal/property-warning.js';
import { SmoothedSeries } from './chart-scale.js';
import { drawLossChart, type AccuracyPoint } from './draw-loss-chart.js';
import { lossChartStyles } from './loss-chart.styles.js';
import { describeValue } from '../../src/util/describe-value.js';

const DEFAULT_SMOOTHING = 0.9;

/**
 * A streaming training chart: the loss of every batch (raw, as a faint
 * min–max band, and smoothed by an exponential moving average) on the left
 * axis, and the held-out accuracy after each epoch on the right axis. Push
 * points one at a time with `addBatch` / `addEpoch` (straight from the
 * trainer's `onBatch` / `onEpoch`), or set the whole history through `loss`
 * and `accuracy`. Drawing is folded to one line per pixel column, so 50,000
 * points draw about as fast as 500; pushes are coalesced into one draw per
 * animation frame.
 *
 * @summary Training loss per batch and held-out accuracy per epoch, live.
 *
 * @csspart base - The wrapper around everything.
 * @csspart legend - The key above the plot.
 * @csspart canvas - The plot (role img, labelled with a summary of the latest values).
 * @csspart message - Shown when values were rejected or are not finite.
 *
 * @cssproperty [--loss-chart-height=240px] - Height of the plot.
 * @cssproperty [--loss-chart-background=transparent] - Plot background.
 * @cssproperty [--loss-chart-raw-color=rgba(37,99,235,0.28)] - Band of the raw per-batch loss (dark: rgba(110,168,255,0.3)).
 * @cssproperty [--loss-chart-smooth-color=#1d4ed8] - Smoothed loss line (dark: #6ea8ff).
 * @cssproperty [--loss-chart-accuracy-color=#c2410c] - Held-out accuracy line and points (dark: #ffa25e).
 * @cssproperty [--loss-chart-grid-color=#e3e6eb] - Grid lines (dark: #2c333e).
 * @cssproperty [--loss-chart-axis-color=#8a93a0] - Axis lines (dark: #6b7480).
 * @cssproperty [--loss-chart-text-color=#3b4350] - Labels and ticks (dark: #c9d0da).
 * @cssproperty [--loss-chart-warning-color=#9a3412] - Message colour for rejected values (dark: #fdba74).
 * @cssproperty [--loss-chart-font=system-ui] - Font family of the labels.
 */
export class LossChart extends LitElement {
  static override styles = lossChartStyles;

  /** Weight of the past in the smoothed loss, in [0, 1): 0 is no smoothing, 0.99 very smooth. */
  @property({ type: Number, reflect: true }) accessor smoothing = DEFAULT_SMOOTHING;

  /** Batches per epoch, to place the accuracies of a whole `accuracy` history (0: spread them evenly over the loss). */
  @property({ type: Number, reflect: true, attribute: 'batches-per-epoch' }) accessor batchesPerEpoch = 0;

  /** Accessible name of the plot. */
  @property({ reflect: true }) accessor label = 'Training loss and held-out accuracy';

  @state() private accessor problems: readonly string[] = [];

  @query('[part="canvas"]') private accessor canvas!: HTMLCanvasElement;

  private series = new SmoothedSeries(DEFAULT_SMOOTHING);
  private accuracyPoints: AccuracyPoint[] = [];
  private accuracyHistory: number[] | null = null;
  private frame = 0;
  private resizeObserver: ResizeObserver | null = null;
  private readonly darkScheme = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null;

  /** Per-batch training loss, the whole history (a copy). Setting it replaces the history. */
  @property({ attribute: false })
  set loss(values: ArrayLike<number>) {
    // NaN and ±Infinity are accepted (a diverging run is real data) but counted and not drawn.
    const problem = checkNumbers('loss', values, null, -Infinity, Infinity, true);
    if (problem) {
      this.addProblem(warnProperty(this, problem));
      return;
    }
    this.series.reset(values, this.validSmoothing());
    this.placeAccuracyHistory();
    this.changed();
  }
  get loss(): Float32Array {
    return this.series.raw.slice(0, this.series.length);
  }

  /** Held-out accuracy after each epoch, in [0, 1], the whole history (a copy). Setting it replaces the history. */
  @property({ attribute: false })
  set accuracy(values: ArrayLike<number>) {
    const problem = checkNumbers('accuracy', values, null, 0, 1);
    if (problem) {
      this.addProblem(warnProperty(this, problem));
      return;
    }
    this.accuracyHistory = Array.from(values);
    this.placeAccuracyHistory();
    this.changed();
  }
  get accuracy(): number[] {
    return this.accuracyPoints.map((p) => p.value);
  }

  /** Number of loss points held. */
  get points(): number {
    return this.series.length;
  }

  /**
   * Appends one batch's loss: a number, or the trainer's batch progress
   * (`{ loss }`), so `onBatch: (b) => chart.addBatch(b)` works as is.
   */
  addBatch(batch: number | { readonly loss: number }): void {
    const loss = typeof batch === 'number' ? batch : batch?.loss;
    if (typeof loss !== 'number') {
      this.addProblem(warnProperty(this, { property: 'loss', message: `addBatch expected a number or { loss }, got ${describeValue(batch)}` }));
      return;
    }
    this.series.push(loss);
    this.changed();
  }

  /**
   * Appends one epoch's held-out accuracy at the current batch: a number in
   * [0, 1], or the trainer's epoch result (`{ accuracy }`).
   */
  addEpoch(epoch: number | { readonly accuracy: number }): void {
    const accuracy = typeof epoch === 'number' ? epoch : epoch?.accuracy;
    if (typeof accuracy !== 'number' || !(accuracy >= 0 && accuracy <= 1)) {
      this.addProblem(warnProperty(this, { property: 'accuracy', message: `addEpoch expected an accuracy in [0, 1], got ${typeof accuracy === 'number' ? accuracy : describeValue(epoch)}` }));
      return;
    }
    this.accuracyHistory = null;
    this.accuracyPoints.push({ batch: this.series.length, value: accuracy });
    this.changed();
  }

  /** Removes every point. */
  clear(): void {
    this.series.reset([], this.validSmoothing());
    this.accuracyPoints = [];
    this.accuracyHistory = null;
    this.problems = [];
    this.changed();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.darkScheme?.addEventListener('change', this.scheduleDraw);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.darkScheme?.removeEventListener('change', this.scheduleDraw);
    this.resizeObserver?.disconnect();
    this.resizeObserver = null;
    cancelAnimationFrame(this.frame);
    this.frame = 0;
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('smoothing') && changed.get('smoothing') !== undefined) {
      this.series.reset(this.series.raw.slice(0, this.series.length), this.validSmoothing());
    }
    if (changed.has('batchesPerEpoch')) this.placeAccuracyHistory();
  }

  protected override render() {
    const n = this.series.length;
    const nonFinite = this.series.nonFinite;
    const messages = nonFinite > 0 ? [...this.problems, `loss: ${nonFinite} value${nonFinite === 1 ? '' : 's'} not finite (NaN or ±Infinity), not drawn`] : this.problems;
    return html`
      <div part="base">
        <ul part="legend">
          <li><span class="key raw" aria-hidden="true"></span>loss per batch</li>
          <li><span class="key smooth" aria-hidden="true"></span>loss, smoothed</li>
          <li><span class="key accuracy" aria-hidden="true"></span>held-out accuracy</li>
        </ul>
        <canvas part="canvas" role="img" aria-label=${`${this.label}. ${this.summary()}`}></canvas>
        ${messages.length ? html`<p part="message">${messages.join('; ')}</p>` : nothing}
        ${this.accuracyPoints.length
          ? html`<table class="visually-hidden">
              <caption>Held-out accuracy per epoch</caption>
              <thead><tr><th scope="col">epoch</th><th scope="col">batch</th><th scope="col">accuracy</th><th scope="col">smoothed loss</th></tr></thead>
              <tbody>
                ${this.accuracyPoints.map(
                  (p, i) => html`<tr><td>${i + 1}</td><td>${p.batch}</td><td>${(p.value * 100).toFixed(2)}%</td><td>${formatLoss(this.series.smooth[Math.min(n, p.batch) - 1])}</td></tr>`,
                )}
              </tbody>
            </table>`
          : nothing}
      </div>
    `;
  }

  protected override firstUpdated(): void {
    this.resizeObserver = new ResizeObserver(() => this.scheduleDraw());
    this.resizeObserver.observe(this.canvas);
  }

  protected override updated(): void {
    this.scheduleDraw();
  }

  /** A sentence with the latest values, for the plot's accessible name. */
  private summary(): string {
    const n = this.series.length;
    if (n === 0 && this.accuracyPoints.length === 0) return 'No data yet.';
    const parts: string[] = [];
    if (n > 0) parts.push(`Batch ${n}: loss ${formatLoss(this.series.raw[n - 1])}, smoothed ${formatLoss(this.series.smooth[n - 1])}.`);
    const last = this.accuracyPoints[this.accuracyPoints.length - 1];
    if (last) parts.push(`Held-out accuracy ${(last.value * 100).toFixed(2)}% after epoch ${this.accuracyPoints.length}.`);
    return parts.join(' ');
  }

  private changed(): void {
    this.requestUpdate();
  }

  private addProblem(text: string): void {
    if (!this.problems.includes(text)) this.problems = [...this.problems, text];
  }

  private validSmoothing(): number {
    const s = this.smoothing;
    if (typeof s === 'number' && s >= 0 && s < 1) return s;
    this.addProblem(warnProperty(this, { property: 'smoothing', message: `expected a number in [0, 1), got ${String(s)}` }));
    return DEFAULT_SMOOTHING;
  }

  private placeAccuracyHistory(): void {
    const history = this.accuracyHistory;
    if (!history) return;
    const n = this.series.length;
    const per = this.batchesPerEpoch > 0 ? this.batchesPerEpoch : history.length ? n / history.length : 0;
    this.accuracyPoints = history.map((value, i) => ({ batch: Math.round((i + 1) * per), value }));
  }

  private scheduleDraw = (): void => {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  };

  /**
   * Draws now (normally done once per animation frame after changes). The
   * cost is one pass over the points plus one line per pixel column.
   */
  draw(): void {
    const canvas = this.canvas;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const dpr = globalThis.devicePixelRatio || 1;
    const width = canvas.clientWidth;
    const height = canvas.clientHeight;
    if (width === 0 || height === 0) return;
    if (canvas.width !== Math.round(width * dpr) || canvas.height !== Math.round(height * dpr)) {
      canvas.width = Math.round(width * dpr);
      canvas.height = Math.round(height * dpr);
    }
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);

    const style = getComputedStyle(this);
    drawLossChart(ctx, width, height, this.series, this.accuracyPoints, (name) => style.getPropertyValue(`--_${name}`).trim());
  }
}

function formatLoss(v: number | undefined): string {
  return v === undefined || !Number.isFinite(v) ? 'not finite' : v.toPrecision(3);
}

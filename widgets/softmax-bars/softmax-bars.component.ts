import { argmaxRow } from '../../src/metrics/argmax.js';
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { cssProperties } from '../internal/css-properties.js';
import type { WidgetEvent } from '../internal/events.js';
import { checkNumbers, warnProperty } from '../internal/property-warning.js';
import { softmaxBarsStyles } from './softmax-bars.styles.js';
import { describeValue } from '../../src/util/describe-value.js';

const DIGITS: readonly string[] = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/**
 * Ten bars, one per class, with labels and percentages; the most likely class
 * is highlighted and the bars glide to new values. Set `probabilities`, or
 * bind to a `<digit-pad>` in the same document (or shadow root) with
 * `for="pad-id"` and no script at all.
 *
 * When the reading is not a digit (`not-digit`, set from a bound pad's
 * readings or by the page), the bars are dimmed, no class is highlighted or
 * called most likely, and "That doesn't look like a digit" is shown above them.
 *
 * @summary The ten class probabilities as bars, each a screen-reader meter.
 *
 * @csspart base - The group around the bars.
 * @csspart message - Shown instead of values when `probabilities` is malformed.
 * @csspart verdict - "That doesn't look like a digit", shown above the bars in the `not-digit` state.
 * @csspart row - One class: label, track and value; also `top` on the most likely class.
 * @csspart top - The row of the most likely class (none in the `not-digit` state).
 * @csspart label - The class label.
 * @csspart track - The bar's background.
 * @csspart fill - The bar itself (scaled to the probability).
 * @csspart value - The percentage.
 *
 * @cssproperty [--softmax-bars-fill=#9db4d6] - Bar colour (dark scheme: #4b6284).
 * @cssproperty [--softmax-bars-top-fill=#2563eb] - Bar and text colour of the most likely class (dark: #6ea8ff).
 * @cssproperty [--softmax-bars-track=#eceff3] - Track colour (dark: #262d38).
 * @cssproperty [--softmax-bars-text-color=#1f2937] - Label colour (dark: #e6e9ee).
 * @cssproperty [--softmax-bars-muted-color=#5b6472] - Percentage colour (dark: #a3acb9).
 * @cssproperty [--softmax-bars-warning-color=#9a3412] - Message colour for malformed input (dark: #fdba74).
 * @cssproperty [--softmax-bars-not-digit-color=#b45309] - Colour of the verdict in the `not-digit` state (dark: #fbbf24).
 * @cssproperty [--softmax-bars-not-digit-opacity=0.35] - Opacity of the dimmed bars in the `not-digit` state.
 * @cssproperty [--softmax-bars-bar-height=14px] - Height of each bar.
 * @cssproperty [--softmax-bars-gap=6px] - Space between rows.
 * @cssproperty [--softmax-bars-duration=180ms] - Length of the glide between values (0 under prefers-reduced-motion).
 * @cssproperty [--softmax-bars-font=system-ui] - Font family.
 */
export class SoftmaxBars extends LitElement {
  static override styles = softmaxBarsStyles;

  /** The class probabilities, one per label, each in [0, 1]; `null` shows empty bars. */
  @property({ attribute: false }) accessor probabilities: ArrayLike<number> | null = null;

  /** Id of a `<digit-pad>` in the same document or shadow root whose readings to show. */
  @property({ attribute: 'for', reflect: true }) accessor htmlFor = '';

  /** Class labels (default the digits 0–9); `probabilities` must have as many entries. */
  @property({ attribute: false }) accessor labels: readonly string[] = DIGITS;

  /** Decimal places of the percentages. */
  @property({ type: Number, reflect: true }) accessor decimals = 1;

  /** Accessible name of the group of bars. */
  @property({ reflect: true }) accessor label = 'Digit probabilities';

  /** The reading does not look like a digit (a `Prediction` with `isDigit` false): dim the bars and claim no class. Set from a bound pad's readings. */
  @property({ type: Boolean, reflect: true, attribute: 'not-digit' }) accessor notDigit = false;

  @state() private accessor problem = '';

  private values: Float32Array | null | undefined = undefined;
  private boundRoot: Document | ShadowRoot | null = null;
  private boundFor = '';

  /** The most likely class index, or null when there are no (valid) probabilities or the reading is not a digit. */
  get digit(): number | null {
    return this.values && !this.notDigit ? argmax(this.values) : null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.bind();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unbind();
  }

  protected override willUpdate(changed: PropertyValues): void {
    // Binding may take the pad's current reading, so it comes before the check.
    if (changed.has('htmlFor') && this.isConnected && this.boundFor !== this.htmlFor) this.bind();
    if (changed.has('probabilities') || changed.has('labels') || this.values === undefined) this.check();
  }

  protected override render() {
    const labels = this.labels;
    const values = this.values;
    const verdict = this.notDigit && values !== null;
    const top = values && !verdict ? argmax(values) : -1;
    return html`
      <div part="base" role="group" aria-label=${this.label} aria-describedby=${verdict ? 'verdict' : nothing}>
        ${this.problem ? html`<p part="message">${this.problem}</p>` : nothing}
        ${verdict ? html`<p part="verdict" id="verdict">That doesn't look like a digit</p>` : nothing}
        ${labels.map((label, i) => {
          const p = values ? values[i] : 0;
          const text = values ? `${(p * 100).toFixed(this.decimals)}%` : '–';
          return html`
            <div
              part=${i === top ? 'row top' : 'row'}
              role="meter"
              aria-label=${label}
              aria-valuemin="0"
              aria-valuemax="100"
              aria-valuenow=${(p * 100).toFixed(this.decimals)}
              aria-valuetext=${values ? `${text}${i === top ? ', most likely' : ''}` : 'no reading'}
            >
              <span part="label" aria-hidden="true">${label}</span>
              <span part="track" aria-hidden="true"><span part="fill" ${cssProperties({ '--_value': String(p) })}></span></span>
              <span part="value" aria-hidden="true">${text}</span>
            </div>
          `;
        })}
      </div>
    `;
  }

  /** Validates `probabilities` against `labels`; a bad value shows a message and empty bars. */
  private check(): void {
    const labels = this.labels;
    if (!Array.isArray(labels) || labels.length === 0) {
      this.problem = warnProperty(this, { property: 'labels', message: `expected a non-empty array of strings, got ${describeValue(labels)}` });
      this.labels = DIGITS;
      return;
    }
    const p = this.probabilities;
    if (p === null || p === undefined) {
      this.values = null;
      this.problem = '';
      return;
    }
    const problem = checkNumbers('probabilities', p, labels.length, 0, 1);
    if (problem) {
      this.values = null;
      this.problem = warnProperty(this, problem);
      return;
    }
    this.values = Float32Array.from(p);
    this.problem = '';
  }

  // `for`: listen where the pad's events arrive (its root), keep the ones from the pad with that id.

  private bind(): void {
    this.unbind();
    this.boundFor = this.htmlFor;
    if (!this.htmlFor) return;
    const root = this.getRootNode() as Document | ShadowRoot;
    root.addEventListener('digit-prediction', this.onPrediction as EventListener);
    root.addEventListener('digit-clear', this.onClear as EventListener);
    this.boundRoot = root;
    const pad = root.getElementById(this.htmlFor) as (Element & { prediction?: { probabilities: Float32Array; isDigit: boolean } | null }) | null;
    if (pad?.prediction) {
      this.probabilities = pad.prediction.probabilities;
      this.notDigit = !pad.prediction.isDigit;
    }
  }

  private unbind(): void {
    this.boundRoot?.removeEventListener('digit-prediction', this.onPrediction as EventListener);
    this.boundRoot?.removeEventListener('digit-clear', this.onClear as EventListener);
    this.boundRoot = null;
    this.boundFor = '';
  }

  private fromBoundPad(event: Event): boolean {
    return (event.target as Element | null)?.id === this.htmlFor;
  }

  private onPrediction = (event: WidgetEvent<'digit-prediction'>): void => {
    if (!this.fromBoundPad(event)) return;
    this.probabilities = event.detail.probabilities;
    // Like the pad: the state follows final readings (half a digit, mid-stroke, often looks like none).
    if (event.detail.final) this.notDigit = !event.detail.isDigit;
  };

  private onClear = (event: WidgetEvent<'digit-clear'>): void => {
    if (!this.fromBoundPad(event)) return;
    this.probabilities = null;
    this.notDigit = false;
  };
}

function argmax(values: ArrayLike<number>): number {
  return argmaxRow(values, 0, values.length);
}

/**
 * Pure helpers of `<loss-chart>`: a growable series with its exponential
 * moving average, "nice" axis ticks, and the per-pixel-column envelope that
 * keeps drawing cost bounded by the chart's width instead of the number of
 * points.
 */

/**
 * Per-batch values in a growable Float32Array, with a debiased exponential
 * moving average kept alongside (TensorBoard's smoothing: early points are
 * not dragged towards zero). Non-finite values are stored but skipped by the
 * average and counted.
 */
export class SmoothedSeries {
  raw: Float32Array = new Float32Array(1024);
  smooth: Float32Array = new Float32Array(1024);
  length = 0;
  nonFinite = 0;
  private ema = 0;
  private weight = 0;

  constructor(private smoothing: number) {}

  /** Appends one value. */
  push(value: number): void {
    if (this.length === this.raw.length) {
      this.raw = grow(this.raw);
      this.smooth = grow(this.smooth);
    }
    this.raw[this.length] = value;
    if (Number.isFinite(value)) {
      this.ema = this.smoothing * this.ema + (1 - this.smoothing) * value;
      this.weight = this.smoothing * this.weight + (1 - this.smoothing);
    } else {
      this.nonFinite++;
    }
    this.smooth[this.length] = this.weight > 0 ? this.ema / this.weight : NaN;
    this.length++;
  }

  /** Replaces everything with `values`. */
  reset(values: ArrayLike<number> = [], smoothing = this.smoothing): void {
    this.smoothing = smoothing;
    this.length = 0;
    this.nonFinite = 0;
    this.ema = 0;
    this.weight = 0;
    for (let i = 0; i < values.length; i++) this.push(values[i]);
  }
}

function grow(a: Float32Array): Float32Array {
  const b = new Float32Array(a.length * 2);
  b.set(a);
  return b;
}

/**
 * About `count` evenly spaced round ticks (1, 2 or 5 × 10^k apart) covering
 * [min, max].
 *
 * @example
 * ```ts
 * niceTicks(0, 2.31, 5); // [0, 0.5, 1, 1.5, 2, 2.5]
 * ```
 */
export function niceTicks(min: number, max: number, count: number): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks: number[] = [];
  for (let v = Math.floor(min / step) * step; v <= max + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  if (ticks[ticks.length - 1] < max) ticks.push(Number((ticks[ticks.length - 1] + step).toPrecision(12)));
  return ticks;
}

/** For each pixel column, the min and max of the raw values and the last smoothed value there. */
export interface ColumnEnvelope {
  readonly columns: number;
  readonly min: Float32Array;
  readonly max: Float32Array;
  readonly smooth: Float32Array;
}

/**
 * Folds points `0 … length - 1` spread over `xMax` into `columns` pixel
 * columns: one pass over the data, whatever its size, and the drawing then
 * costs one line per column. Empty columns hold NaN.
 */
export function columnEnvelope(series: SmoothedSeries, xMax: number, columns: number): ColumnEnvelope {
  const min = new Float32Array(columns).fill(NaN);
  const max = new Float32Array(columns).fill(NaN);
  const smooth = new Float32Array(columns).fill(NaN);
  const { raw, length } = series;
  const perColumn = columns / Math.max(1, xMax);
  for (let i = 0; i < length; i++) {
    const v = raw[i];
    const c = Math.min(columns - 1, Math.floor(i * perColumn));
    if (v === v && v !== Infinity && v !== -Infinity) {
      if (!(v >= min[c])) min[c] = v;
      if (!(v <= max[c])) max[c] = v;
    }
    const s = series.smooth[i];
    if (s === s) smooth[c] = s;
  }
  return { columns, min, max, smooth };
}

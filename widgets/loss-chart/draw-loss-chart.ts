/**
 * The canvas drawing of `<loss-chart>`: axes, ticks and titles, the raw loss
 * as a min–max band per pixel column, the smoothed loss, and the held-out
 * accuracy per epoch on a second axis. One pass over the points to fold them
 * into pixel columns, then one line per column, whatever the number of points.
 */
import { columnEnvelope, niceTicks, type SmoothedSeries } from './chart-scale.js';

/** An epoch's held-out accuracy, placed at the batch where the epoch ended. */
export interface AccuracyPoint {
  readonly batch: number;
  readonly value: number;
}

/** Plot margins in CSS pixels: room for tick labels and axis titles. */
const MARGIN = { left: 54, right: 58, top: 10, bottom: 38 } as const;

/**
 * Draws the chart on `ctx` (already scaled to CSS pixels) over `width` ×
 * `height`. `colour(name)` gives the theme value of `raw`, `smooth`,
 * `accuracy`, `grid`, `axis`, `text` and `font`.
 */
export function drawLossChart(
  ctx: CanvasRenderingContext2D,
  width: number,
  height: number,
  series: SmoothedSeries,
  acc: readonly AccuracyPoint[],
  colour: (name: string) => string,
): void {
  const font = `12px ${colour('font') || 'sans-serif'}`;
  const text = colour('text');
  const n = series.length;
  const plot = { left: MARGIN.left, right: width - MARGIN.right, top: MARGIN.top, bottom: height - MARGIN.bottom };
  const plotWidth = Math.max(1, Math.floor(plot.right - plot.left));

  // 1. Scales: x over batches, loss from 0, accuracy up to 100 %.
  const xMax = Math.max(1, n, acc.length ? acc[acc.length - 1].batch : 0);
  const envelope = columnEnvelope(series, xMax, plotWidth);
  let lossMax = 0;
  for (let c = 0; c < plotWidth; c++) if (envelope.max[c] > lossMax) lossMax = envelope.max[c];
  const lossTicks = niceTicks(0, lossMax > 0 ? lossMax : 1, 5);
  const lossTop = lossTicks[lossTicks.length - 1];
  const accMin = acc.length ? Math.max(0, Math.floor((Math.min(...acc.map((p) => p.value)) - 0.01) * 20) / 20) : 0;
  const accTicks = niceTicks(accMin, 1, 4).filter((t) => t >= accMin - 1e-9 && t <= 1 + 1e-9);
  const xTicks = niceTicks(0, xMax, Math.max(2, Math.floor(plotWidth / 90))).filter((t) => t <= xMax);
  const xOf = (batch: number) => plot.left + (batch / xMax) * (plot.right - plot.left);
  const yLoss = (v: number) => plot.bottom - (v / lossTop) * (plot.bottom - plot.top);
  const yAcc = (v: number) => plot.bottom - ((v - accMin) / (1 - accMin || 1)) * (plot.bottom - plot.top);

  // 2. Grid, axes, ticks and titles. With no data yet, no scale means anything:
  // axes and titles only, no grid and no tick labels (not "0 0 0 1 1 1").
  const empty = n === 0 && acc.length === 0;
  ctx.font = font;
  ctx.lineWidth = 1;
  ctx.strokeStyle = colour('grid');
  ctx.beginPath();
  for (const t of empty ? [] : lossTicks) {
    const y = Math.round(yLoss(t)) + 0.5;
    ctx.moveTo(plot.left, y);
    ctx.lineTo(plot.right, y);
  }
  ctx.stroke();
  ctx.strokeStyle = colour('axis');
  ctx.beginPath();
  ctx.moveTo(plot.left + 0.5, plot.top);
  ctx.lineTo(plot.left + 0.5, plot.bottom + 0.5);
  ctx.lineTo(plot.right + 0.5, plot.bottom + 0.5);
  if (acc.length) ctx.lineTo(plot.right + 0.5, plot.top);
  ctx.stroke();
  ctx.fillStyle = text;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  if (!empty) for (const t of lossTicks) ctx.fillText(formatTick(t), plot.left - 6, yLoss(t));
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  if (!empty) for (const t of xTicks) ctx.fillText(formatCount(t), xOf(t), plot.bottom + 6);
  ctx.fillText('batch', (plot.left + plot.right) / 2, plot.bottom + 21);
  if (acc.length) {
    ctx.textAlign = 'left';
    ctx.textBaseline = 'middle';
    for (const t of accTicks) ctx.fillText(`${Math.round(t * 100)}%`, plot.right + 6, yAcc(t));
  }
  verticalTitle(ctx, 'loss', 14, (plot.top + plot.bottom) / 2, -Math.PI / 2);
  if (acc.length) verticalTitle(ctx, 'held-out accuracy', width - 12, (plot.top + plot.bottom) / 2, Math.PI / 2);

  if (empty) {
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText('No training data yet', (plot.left + plot.right) / 2, (plot.top + plot.bottom) / 2);
    return;
  }

  // 3. Raw loss: a min–max band per pixel column (or the line itself when there are fewer points than columns).
  ctx.save();
  ctx.beginPath();
  ctx.rect(plot.left, plot.top - 1, plot.right - plot.left + 1, plot.bottom - plot.top + 2);
  ctx.clip();
  ctx.fillStyle = ctx.strokeStyle = colour('raw');
  const dense = n > plotWidth;
  if (dense) {
    for (let c = 0; c < plotWidth; c++) {
      const lo = envelope.min[c];
      if (lo !== lo) continue;
      const top = yLoss(envelope.max[c]);
      ctx.fillRect(plot.left + c, top, 1, Math.max(1, yLoss(lo) - top));
    }
  } else {
    polyline(ctx, n, (i) => xOf(i + 0.5), (i) => yLoss(series.raw[i]), 1.5);
  }

  // 4. Smoothed loss, one vertex per column.
  ctx.strokeStyle = colour('smooth');
  // (The average is never NaN once it has started, so empty columns are bridged, not gaps.)
  if (dense) polyline(ctx, plotWidth, (c) => plot.left + c + 0.5, (c) => yLoss(envelope.smooth[c]), 2, true);
  else polyline(ctx, n, (i) => xOf(i + 0.5), (i) => yLoss(series.smooth[i]), 2);

  // 5. Held-out accuracy per epoch on the right axis.
  if (acc.length) {
    const accColour = colour('accuracy');
    ctx.strokeStyle = ctx.fillStyle = accColour;
    ctx.setLineDash([5, 4]);
    polyline(ctx, acc.length, (i) => xOf(acc[i].batch), (i) => yAcc(acc[i].value), 2);
    ctx.setLineDash([]);
    for (const p of acc) {
      ctx.beginPath();
      ctx.arc(xOf(p.batch), yAcc(p.value), 3.5, 0, 2 * Math.PI);
      ctx.fill();
    }
  }
  ctx.restore();
}

/** Strokes a line through `count` points, lifting the pen over NaN gaps (or bridging them). */
function polyline(ctx: CanvasRenderingContext2D, count: number, x: (i: number) => number, y: (i: number) => number, width: number, bridge = false): void {
  ctx.lineWidth = width;
  ctx.lineJoin = 'round';
  ctx.beginPath();
  let pen = false;
  for (let i = 0; i < count; i++) {
    const yi = y(i);
    if (!Number.isFinite(yi)) {
      pen &&= bridge;
      continue;
    }
    if (pen) ctx.lineTo(x(i), yi);
    else ctx.moveTo(x(i), yi);
    pen = true;
  }
  ctx.stroke();
}

function verticalTitle(ctx: CanvasRenderingContext2D, label: string, x: number, y: number, angle: number): void {
  ctx.save();
  ctx.translate(x, y);
  ctx.rotate(angle);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(label, 0, 0);
  ctx.restore();
}

function formatTick(v: number): string {
  return Number(v.toPrecision(3)).toString();
}

function formatCount(v: number): string {
  return v >= 10_000 ? `${Number((v / 1000).toPrecision(3))}k` : String(Math.round(v));
}

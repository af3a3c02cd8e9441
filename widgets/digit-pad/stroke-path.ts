/**
 * Strokes as the pad keeps them, and how they are painted: points in pad
 * units (0–1 across and down, so a resize or a different canvas repaints the
 * same drawing), joined by quadratic curves through the midpoints of
 * successive points, which smooths the corners of raw pointer samples without
 * lagging behind the pen.
 */

/** One stroke: a flat list x0, y0, x1, y1, … in pad units (0–1). */
export type Stroke = number[];

/** Where and how wide to paint: the canvas side in pixels and the pen width as a fraction of it. */
export interface PaintScale {
  readonly side: number;
  readonly penSize: number;
}

/**
 * Paints a whole stroke. A single point is a dot the width of the pen.
 *
 * @example
 * ```ts
 * paintStroke(ctx, [0.2, 0.2, 0.5, 0.8], { side: 280, penSize: 0.08 });
 * ```
 */
export function paintStroke(ctx: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D, stroke: Stroke, scale: PaintScale): void {
  const { side } = scale;
  const n = stroke.length / 2;
  if (n === 0) return;
  prepare(ctx, scale);
  if (n === 1) {
    dot(ctx, stroke[0] * side, stroke[1] * side, (scale.penSize * side) / 2);
    return;
  }
  ctx.beginPath();
  ctx.moveTo(stroke[0] * side, stroke[1] * side);
  for (let i = 1; i < n - 1; i++) {
    const x = stroke[2 * i] * side;
    const y = stroke[2 * i + 1] * side;
    ctx.quadraticCurveTo(x, y, ((stroke[2 * i] + stroke[2 * i + 2]) / 2) * side, ((stroke[2 * i + 1] + stroke[2 * i + 3]) / 2) * side);
  }
  ctx.lineTo(stroke[2 * n - 2] * side, stroke[2 * n - 1] * side);
  ctx.stroke();
}

/**
 * Paints what the stroke's last point added, while it is being drawn: the
 * curve up to the newest midpoint, plus a straight provisional piece to the
 * point itself (painted over by the next curve, or by the repaint when the
 * stroke ends).
 */
export function paintStrokeTail(ctx: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D, stroke: Stroke, scale: PaintScale): void {
  const { side } = scale;
  const n = stroke.length / 2;
  if (n < 2) {
    paintStroke(ctx, stroke, scale);
    return;
  }
  prepare(ctx, scale);
  const at = (i: number) => [stroke[2 * i] * side, stroke[2 * i + 1] * side] as const;
  const mid = (i: number) => [((stroke[2 * i] + stroke[2 * i + 2]) / 2) * side, ((stroke[2 * i + 1] + stroke[2 * i + 3]) / 2) * side] as const;
  ctx.beginPath();
  if (n === 2) {
    ctx.moveTo(...at(0));
  } else {
    // The curve the new point settles: from where the previous one ended, bent by the point before.
    ctx.moveTo(...(n === 3 ? at(0) : mid(n - 3)));
    ctx.quadraticCurveTo(...at(n - 2), ...mid(n - 2));
  }
  ctx.lineTo(...at(n - 1));
  ctx.stroke();
}

function prepare(ctx: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D, scale: PaintScale): void {
  ctx.lineWidth = scale.penSize * scale.side;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
}

function dot(ctx: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D, x: number, y: number, r: number): void {
  ctx.beginPath();
  ctx.arc(x, y, r, 0, 2 * Math.PI);
  ctx.fill();
}

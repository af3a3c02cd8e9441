/**
 * The pad's visible canvas: sized to its box at the screen's pixel ratio,
 * painted in the theme's ink colour, a stroke's tail painted as the pointer
 * moves and the whole drawing repainted smoothly (at once, or once in the next
 * frame for however many strokes end before it). What the model reads is
 * painted elsewhere (pad-ink.ts), so nothing here changes a reading.
 */
import { paintStroke, paintStrokeTail, type Stroke } from './stroke-path.js';

/** What the surface asks of its element. */
export interface PadSurfaceHost {
  /** The element whose `--_ink` custom property gives the ink colour. */
  readonly element: Element;
  /** The canvas, once rendered. */
  canvas(): HTMLCanvasElement | undefined;
  /** The strokes on the pad, in pad units. */
  strokes(): readonly Stroke[];
  /** The pen's width, a fraction of the pad's side. */
  penSize(): number;
}

export class PadSurface {
  /** A pending next-frame repaint (see {@link repaintSoon}); 0 when none. */
  private frame = 0;

  constructor(private readonly host: PadSurfaceHost) {}

  /** Sizes the canvas to its box in device pixels, then repaints. */
  fit(): void {
    const canvas = this.host.canvas();
    if (!canvas) return;
    const side = Math.max(1, Math.round(canvas.clientWidth * (globalThis.devicePixelRatio || 1)));
    if (canvas.width !== side || canvas.height !== side) {
      canvas.width = side;
      canvas.height = side;
    }
    this.repaint();
  }

  /** Repaints every stroke now (an arrow function: it is also a media-query listener). */
  readonly repaint = (): void => {
    const canvas = this.host.canvas();
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.strokeStyle = ctx.fillStyle = this.inkColor();
    for (const stroke of this.host.strokes()) paintStroke(ctx, stroke, { side: canvas.width, penSize: this.host.penSize() });
  };

  /** One repaint in the next frame, however many times this is called before it. */
  repaintSoon(): void {
    if (this.frame) return;
    const run = () => {
      this.frame = 0;
      this.repaint();
    };
    this.frame = typeof requestAnimationFrame === 'function' ? requestAnimationFrame(run) : (setTimeout(run, 16) as unknown as number);
  }

  /** Cancels a pending repaint (the element left the page). */
  cancel(): void {
    if (this.frame && typeof cancelAnimationFrame === 'function') cancelAnimationFrame(this.frame);
    this.frame = 0;
  }

  /** Paints the newest segment of a stroke being drawn, in `color` (the ink when the stroke began). */
  paintTail(stroke: Stroke, color: string): void {
    const canvas = this.host.canvas();
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    ctx.strokeStyle = ctx.fillStyle = color;
    paintStrokeTail(ctx, stroke, { side: canvas.width, penSize: this.host.penSize() });
  }

  /** Paints a stroke and wipes it in the same task (no frame shows it): warms the painting path up. */
  paintAndWipe(stroke: Stroke): void {
    const canvas = this.host.canvas();
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    ctx.strokeStyle = ctx.fillStyle = this.inkColor();
    paintStroke(ctx, stroke, { side: canvas.width, penSize: this.host.penSize() });
    this.repaint();
  }

  /** The theme's ink colour (`--digit-pad-ink`, through the private `--_ink`). */
  inkColor(): string {
    return getComputedStyle(this.host.element).getPropertyValue('--_ink').trim() || '#111827';
  }
}

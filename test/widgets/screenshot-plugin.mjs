// A @web/test-runner server command for the widget tests: `widget-screenshot`
// saves a PNG of a region of the test page under test-artifacts/widgets/
// (gitignored), so the look of each element in light and dark can be checked
// by eye. Playwright launcher only.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

/** @param {{ dir?: string }} [options] */
export function widgetScreenshotPlugin({ dir = 'test-artifacts/widgets' } = {}) {
  return {
    name: 'widget-screenshot',
    /** @param {{ command: string, payload: any, session: any }} args */
    async executeCommand({ command, payload, session }) {
      if (command !== 'widget-screenshot') return undefined;
      const name = String(payload?.name ?? '');
      if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`widget-screenshot: name must be kebab-case, got "${name}"`);
      const page = session.browser.getPage(session.id);
      await mkdir(dir, { recursive: true });
      const path = join(dir, `${name}.png`);
      // Full page, so a fixture below the fold is not cut off; the clip is in page coordinates.
      await page.screenshot({ path, clip: payload.clip, fullPage: true, animations: 'disabled' });
      return path;
    },
  };
}

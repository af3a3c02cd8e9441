// A @web/test-runner server command for the browser reliability checks of
// issue 6: `reliability-result` writes `.bench/reliability/<mode>/<name>.json`
// (the same record as test/core/helpers/reliability-results.ts writes from
// Node), since a test page cannot use the file system. The report
// (scripts/reliability-report.mjs) reads it like any other check.
// `reliability-config` tells a page the mode (`fast` or `long`), so the long
// run (`npm run reliability:long`) can inject more faults than `npm test`.
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';

export function reliabilityResultPlugin() {
  const root = resolve(process.env.RELIABILITY_DIR ?? '.bench/reliability');
  const mode = process.env.RELIABILITY_MODE ?? (process.env.FUZZ_RUNS ? 'long' : 'fast');
  return {
    name: 'reliability-result',
    /** @param {{ command: string, payload: any, session: any }} args */
    async executeCommand({ command, payload, session }) {
      if (command === 'reliability-config') return { mode };
      if (command !== 'reliability-result') return undefined;
      const name = String(payload?.name ?? '');
      // The figures of record come from Chromium (their notes say so); the checks run in every engine, which
      // passes or fails the test itself. Other engines' runs do not overwrite the record.
      if (session.browser?.name && session.browser.name !== 'Chromium') return true;
      if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`reliability-result: name must be kebab-case, got "${name}"`);
      // Figures may come as [label, value] pairs: the order they were written in survives the trip from the page.
      const data = { ...payload.data };
      if (Array.isArray(data.figures)) data.figures = Object.fromEntries(data.figures);
      const record = {
        name, mode, ...data, date: new Date().toISOString(),
        browser: session.browser?.name ?? 'Chromium', node: process.version, platform: `${process.platform}-${process.arch}`,
        cpu: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
      };
      const dir = join(root, String(record.mode));
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, `${name}.json`), JSON.stringify(record, null, 2) + '\n');
      return true;
    },
  };
}

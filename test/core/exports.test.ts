// The package's entry points follow one pattern: extensionless subpaths, "types" first, one rollup entry each.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as { exports: Record<string, string | Record<string, string>> };

describe('package.json "exports"', () => {
  it('every code subpath is extensionless, types first, and built by exactly one rollup entry', async () => {
    const config = '../../rollup.config.mjs'; // untyped JavaScript: imported by path
    const { LIBRARY_ENTRIES } = (await import(config)) as { LIBRARY_ENTRIES: Record<string, string> };
    const code = Object.entries(pkg.exports).filter(([key]) => key !== './package.json');
    for (const [key, target] of code) {
      expect(key, key).toMatch(/^\.(\/[a-z-]+)*$/); // ".", "./node", "./widgets/digit-pad": no ".js" on some and not others
      expect(Object.keys(target as Record<string, string>), key).toEqual(['types', 'default']);
    }
    const built = Object.keys(LIBRARY_ENTRIES).map((entry) => `./dist/${entry}.js`).sort();
    expect(code.map(([, t]) => (t as Record<string, string>).default).sort()).toEqual(built);
  });
});

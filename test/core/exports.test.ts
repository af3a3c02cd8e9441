// The package's entry points follow one pattern: extensionless subpaths, "types" first, one rollup entry
// for each code subpath; the framework type declarations are types-only subpaths that the build emits.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: Record<string, string | Record<string, string>> };
const entries = Object.entries(pkg.exports).filter(([key]) => key !== './package.json') as [string, Record<string, string>][];

describe('package.json "exports"', () => {
  it('every code subpath is extensionless, types first, and built by exactly one rollup entry', async () => {
    const config = '../../rollup.config.mjs'; // untyped JavaScript: imported by path
    const { LIBRARY_ENTRIES } = (await import(config)) as { LIBRARY_ENTRIES: Record<string, string> };
    const code = entries.filter(([, target]) => 'default' in target);
    for (const [key] of entries) expect(key, key).toMatch(/^\.(\/[a-z-]+)*$/); // ".", "./node", "./widgets/digit-pad": no ".js" on some and not others
    for (const [key, target] of code) expect(Object.keys(target), key).toEqual(['types', 'default']);
    const built = Object.keys(LIBRARY_ENTRIES).map((entry) => `./dist/${entry}.js`).sort();
    expect(code.map(([, t]) => t.default).sort()).toEqual(built);
  });

  it('the types-only subpaths are the framework declarations, and the build emits each one', () => {
    const typesOnly = entries.filter(([, target]) => !('default' in target));
    expect(typesOnly.map(([key]) => key).sort()).toEqual(['./frameworks/jsx', './frameworks/svelte', './frameworks/vue']);
    for (const [key, target] of typesOnly) {
      expect(Object.keys(target), key).toEqual(['types']);
      expect(existsSync(join(root, target.types)), `${key} → ${target.types}`).toBe(true);
    }
  });
});

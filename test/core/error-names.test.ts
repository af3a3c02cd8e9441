// Error classes keep their names in a minified build: a consumer's bundler
// renames classes (`class e extends Error`), so a name read from the class
// (`new.target.name`) would come out as `e`, `ye`, `_e`. Each class states its
// name as a string instead; this builds the two error modules the way an app's
// production build does (esbuild, minified) and checks every exported class.
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

async function minifiedErrors(): Promise<Record<string, unknown>> {
  const result = await build({
    stdin: { contents: "export * from './src/errors.ts'; export * from './workers/errors.ts';", resolveDir: process.cwd(), loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].text;
  return import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
}

describe('error classes in a minified build', () => {
  it('keep their own names, and the minifier did rename the classes', async () => {
    const exports = await minifiedErrors();
    const classes = Object.entries(exports).filter(([, v]) => typeof v === 'function' && (v as { prototype: unknown }).prototype instanceof Error);
    expect(classes.length).toBeGreaterThanOrEqual(13);
    // The build really renamed them (otherwise this test could not fail).
    expect(classes.filter(([key, C]) => (C as { name: string }).name !== key).length).toBeGreaterThan(0);
    for (const [key, C] of classes) {
      const error = new (C as new (...args: string[]) => Error)('CODE', 'a message', 'more');
      expect(error.name, key).toBe(key);
      expect(String(error).startsWith(`${key}: `), key).toBe(true);
    }
  });
});

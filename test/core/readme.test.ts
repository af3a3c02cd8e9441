import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// The README's JavaScript examples run as written, against the built package
// (imported by its own name, as a user would: Node resolves a package's own
// "exports" from inside it), in a folder that holds nothing of the repository:
// a path into the repository (a test fixture) fails there as it does in a
// user's project. The one file a user brings, the drawing `my-digit.png`, is
// put there.
const ROOT = join(__dirname, '../..');
const DIR = join(ROOT, 'test/.readme');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
afterAll(() => rmSync(DIR, { recursive: true, force: true }));

describe('README examples', () => {
  it('has JavaScript examples', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(2);
  });

  blocks.forEach((code, i) => {
    it(`example ${i + 1} runs as written (${code.split('\n')[0].slice(0, 60)}…)`, () => {
      mkdirSync(DIR, { recursive: true });
      copyFileSync(join(ROOT, 'test/fixtures/digits/seven-dark-on-light.png'), join(DIR, 'my-digit.png'));
      const file = join(DIR, `example-${i + 1}.mjs`);
      writeFileSync(file, code);
      const res = spawnSync(process.execPath, [file], { cwd: DIR, encoding: 'utf8', timeout: 120_000 });
      expect(res.stderr).toBe('');
      expect(res.status).toBe(0);
      expect(res.stdout.length).toBeGreaterThan(0);
    });
  });
});

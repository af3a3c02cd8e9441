// Installs the packed package into an app folder the way a user's `npm install
// digit-classifier-x.y.z.tgz` would leave it, for the framework, README and
// consumer checks that build apps from the tarball.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Makes `dir` an app with the tarball installed: its own package.json (without
 * it the repository's, named digit-classifier, would be the app's package
 * scope, and 'digit-classifier' would resolve to the repository itself), the
 * tarball unpacked into node_modules/digit-classifier, and with `mnist` the
 * package's dist/mnist copied to public/mnist, as the README tells an app to.
 * @param {string} dir the app folder (created if missing)
 * @param {string} tarball path of the `npm pack` output
 * @param {{ name: string, mnist?: boolean }} options the app's package name; whether to copy MNIST
 * @returns {string} the installed package's folder
 */
export function installTarball(dir, tarball, { name, mnist = false }) {
  const pkg = join(dir, 'node_modules/digit-classifier');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, private: true, type: 'module' }, null, 2));
  execFileSync('tar', ['-xzf', tarball, '-C', pkg, '--strip-components=1']);
  if (mnist) cpSync(join(pkg, 'dist/mnist'), join(dir, 'public/mnist'), { recursive: true });
  return pkg;
}

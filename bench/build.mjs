// Bundles a benchmark with esbuild (tfjs-core's gradient registry is ESM with
// extensionless imports, so plain Node cannot load it unbundled) and runs it.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';

const [entry, ...args] = process.argv.slice(2);
const outfile = `.bench/${entry.replace(/^.*\//, '').replace(/\.ts$/, '.mjs')}`;
await build({
  entryPoints: [entry],
  bundle: true,
  platform: 'node',
  format: 'esm',
  mainFields: ['module', 'main'],
  outfile,
  logLevel: 'warning',
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; import { fileURLToPath as __fu } from 'node:url'; import { dirname as __dn } from 'node:path'; const require = __cr(import.meta.url); const __filename = __fu(import.meta.url); const __dirname = __dn(__filename);",
  },
});
const res = spawnSync(process.execPath, [outfile, ...args], { stdio: 'inherit' });
process.exit(res.status ?? 1);

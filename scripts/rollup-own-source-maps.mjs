// A rollup output plugin: keeps a chunk's source map only when every source it
// maps is our own code (not under node_modules), and drops the map and its
// `//# sourceMappingURL` comment otherwise. So the package ships maps of its
// own modules (with their sources inside, so they point at nothing missing)
// and none of bundled third-party code (tfjs in the worker bundle, lit in the
// CDN file: 9 MB of maps of other projects' code).
//
//   output: { sourcemap: true, plugins: [ownSourceMapsOnly()] }
import { readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

const THIRD_PARTY = /(^|[\\/])node_modules[\\/]/;

/** Generated data modules (the shipped models' weights, the engine's WebAssembly as base64): a map of them shows nothing worth its 130-250 KB. */
const DATA_MODULES = /[\\/]src[\\/](pretrained[\\/](cnn|mlp)-model|kernels[\\/]generated[\\/][\w-]+)\.ts$/;

export function ownSourceMapsOnly() {
  const dropped = new Set();
  return {
    name: 'own-source-maps-only',
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk' || !chunk.map) continue;
        const ids = Object.keys(chunk.modules);
        const thirdParty = chunk.map.sources.some((s) => THIRD_PARTY.test(s)) || ids.some((id) => THIRD_PARTY.test(id));
        const data = ids.length > 0 && ids.every((id) => DATA_MODULES.test(id));
        if (!thirdParty && !data) continue;
        delete bundle[`${chunk.fileName}.map`];
        dropped.add(chunk.fileName);
      }
    },
    // Rollup appends the sourceMappingURL comment as it writes: take it off the files whose map was dropped,
    // and remove a map an earlier build left beside them.
    async writeBundle(options) {
      for (const fileName of dropped) {
        const path = join(options.dir ?? dirname(options.file), fileName);
        const code = await readFile(path, 'utf8');
        await writeFile(path, code.replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, '\n'));
        await rm(`${path}.map`, { force: true });
      }
      dropped.clear();
    },
  };
}
